"""Bedrock API keys: long-term keys of IAM users (service-specific credentials for bedrock.amazonaws.com)."""

from __future__ import annotations

from datetime import UTC, datetime

from mlaudit.inventory.iam import ApiKeyHolder, BedrockApiKey
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Setting,
    Severity,
    check,
    failed,
    ml_lens,
    passed,
    prowler,
)
from mlaudit.sdk.iam import ADMIN_POLICY, BEDROCK_FULL_ACCESS_POLICY, is_aws_managed_policy, wildcard_grants
from mlaudit.sdk.wording import names

ACTIVE = """Active keys only: inactive keys cannot authenticate (until someone reactivates them), and expired ones
never again."""
BROAD_BEDROCK_ACTIONS = frozenset({"*", "bedrock:*"})


@check(
    id="BR-APIKEY-001",
    name="bedrock-api-key-long-lived",
    title="Bedrock API keys should expire soon after they are created",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=BedrockApiKey,
    settings={
        "max_lifetime_days": Setting(
            default=30,
            description="the longest lifetime (creation to expiry) accepted for a long-term API key",
            minimum=1,
            maximum=36600,  # the longest expiry IAM accepts (CreateServiceSpecificCredential CredentialAgeDays)
        )
    },
    rationale="""A long-term Bedrock API key is a bearer secret: whoever holds it invokes models with the user's
    permissions, from anywhere, until it expires, and such keys end up in notebooks, scripts and chat messages. AWS
    recommends short-term keys (valid at most 12 hours) for anything but exploration; a long-term key that never
    expires, or lives for months, turns one leak into unbounded model use and spend.""",
    judges=ACTIVE
    + """ FAIL when the key never expires, or its lifetime from creation to expiry exceeds max_lifetime_days.""",
    remediation=Remediation(
        text="Delete the key and use short-term Bedrock API keys (generated from the caller's credentials) or IAM "
        "roles; where a long-term key is unavoidable, create it with a short expiry.",
        cli="aws iam delete-service-specific-credential --user-name <user> --service-specific-credential-id <key-id>",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/api-keys.html",
    ),
    references=(ml_lens("MLSEC-03"), ml_lens("MLSEC-12"), prowler("bedrock_api_key_no_long_term_credentials")),
)
def bedrock_api_key_long_lived(key: BedrockApiKey, ctx: CheckContext) -> Outcome | None:
    if key.status != "Active":
        return None
    if key.expiration_date is not None and key.expiration_date <= datetime.now(UTC):
        return None  # expired, though listed Active for a moment
    limit = ctx.setting("max_lifetime_days")
    if key.expiration_date is None:
        return failed(f"the key of {key.user_name} never expires")
    if key.create_date is None:
        return failed(f"the key of {key.user_name} expires on {key.expiration_date:%Y-%m-%d}; its age is unknown")
    lifetime = (key.expiration_date - key.create_date).days
    if lifetime > limit:
        return failed(f"the key of {key.user_name} lives {lifetime} days, more than {limit}")
    return passed(f"the key of {key.user_name} expires on {key.expiration_date:%Y-%m-%d} ({lifetime} days)")


def _broad_grants(holder: ApiKeyHolder) -> list[str]:
    """What gives the user every Bedrock action: AWS managed policies, or statements allowing `*` or `bedrock:*`
    on every resource without a condition."""
    found = [
        f"the AWS managed policy {name}"
        for name in (ADMIN_POLICY, BEDROCK_FULL_ACCESS_POLICY)
        if any(is_aws_managed_policy(arn, name) for arn in holder.attached_policy_arns)
    ]
    for policy in holder.policies:
        grants = {g for statement in policy.statements for g in wildcard_grants(statement)}
        broad = sorted(g for g in grants if g in BROAD_BEDROCK_ACTIONS or g.startswith("every action except"))
        if broad:
            found.append(f"{policy.label} ({names(broad, limit=2)} on every resource)")
    return found


@check(
    id="BR-APIKEY-002",
    name="bedrock-api-key-broad-permissions",
    title="Bedrock API keys should belong to users with narrow permissions",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=BedrockApiKey,
    uses=(ApiKeyHolder,),
    rationale="""A Bedrock API key can do whatever its IAM user can with Bedrock, and a long-term key is easily
    leaked. Held by a user with AmazonBedrockFullAccess, AdministratorAccess or an Allow of bedrock:* on every
    resource, a leaked key can also change guardrails, delete invocation logging, read knowledge bases and buy
    provisioned throughput, not just invoke a model. The user's groups count: their policies apply to the key.""",
    judges=ACTIVE
    + """ The user's managed policies (and those of its groups) are known by name; inline and customer managed
    policies are read, and a statement allowing * or bedrock:* (or every action but some) on every resource without
    a condition counts as broad.""",
    remediation=Remediation(
        text="Give the key's user only what the key is for (bedrock:InvokeModel* and bedrock:CallWithBearerToken on "
        "the models it calls), or move the workload to a role with short-term keys.",
        cli="aws iam detach-user-policy --user-name <user> --policy-arn arn:aws:iam::aws:policy/AmazonBedrockFullAccess",
        url="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_bedrock.html",
    ),
    references=(ml_lens("MLSEC-03"), prowler("bedrock_api_key_no_administrative_privileges")),
)
def bedrock_api_key_broad_permissions(key: BedrockApiKey, ctx: CheckContext) -> Outcome | None:
    if key.status != "Active":
        return None
    holder = ctx.require(ApiKeyHolder, key.user_name)
    broad = _broad_grants(holder)
    if broad:
        return failed(f"{key.user_name} can do everything in Bedrock through " + names(broad, limit=3))
    return passed(f"{key.user_name} has no AWS managed full-access policy nor a Bedrock-wide Allow")
