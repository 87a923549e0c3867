"""The account's own IAM identities and policies, beyond the roles ML workloads run as: who may subscribe the
account to the Marketplace models Bedrock serves, and who holds Bedrock permissions they do not use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mlaudit.inventory.iam import CustomerManagedPolicy, InlinePolicy, RoleBedrockAccess, UserBedrockAccess
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
from mlaudit.sdk.iam import grants_everywhere

MARKETPLACE_SUBSCRIBE = "aws-marketplace:Subscribe"
PRODUCT_ID_KEY = "aws-marketplace:productid"
"""The condition key that names the Marketplace products an Allow of Subscribe is for (lower-cased, as IAM compares
keys)."""


@check(
    id="IAM-ML-008",
    name="policy-allows-marketplace-subscribe-everywhere",
    title="IAM policies should not allow subscribing to every AWS Marketplace product",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=(CustomerManagedPolicy, InlinePolicy),
    rationale="""Access to Bedrock's third-party models (Anthropic, Meta, Mistral, Cohere...) is an AWS Marketplace
    subscription: Bedrock subscribes the account the first time a caller invokes such a model, with the caller's
    permission: whoever may call aws-marketplace:Subscribe on every product can subscribe the account to any model,
    and to any other Marketplace product and its charges, without review of its licence or its data terms. Bedrock's
    documentation scopes the permission to named models with the aws-marketplace:ProductId condition. Every customer
    managed policy attached to an identity and every inline policy of the account's users, groups and roles is read,
    not only those of ML execution roles (IAM-ML-002 flags aws-marketplace:* there), because a person subscribes as
    often as a workload.""",
    judges="""Every customer managed policy attached to at least one user, group or role (unattached ones get no
    finding) and every inline policy of a user, group or role of the scanned account. FAIL when an Allow grants
    aws-marketplace:Subscribe (by name, by a wildcard such as aws-marketplace:* or *, or through NotAction) on
    Resource "*" or a NotResource, and no unconditional Deny of it on "*" in the same policy cancels it; an Allow
    with a condition on aws-marketplace:ProductId names its products and passes, any other condition does not
    (as Prowler). AWS managed policies, permissions boundaries, SCPs and denies in other policies are not read.""",
    remediation=Remediation(
        text="Allow aws-marketplace:Subscribe only for the model products the team needs, with a condition on "
        "aws-marketplace:ProductId, and grant it to the few people who approve model access.",
        cli="aws iam create-policy-version --policy-arn <policy-arn> --set-as-default "
        "--policy-document file://subscribe-named-models.json",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/model-access.html",
    ),
    references=(
        ml_lens("MLSEC-03"),
        prowler("iam_policy_no_wildcard_marketplace_subscribe"),
        prowler("iam_inline_policy_no_wildcard_marketplace_subscribe"),
    ),
)
def policy_allows_marketplace_subscribe_everywhere(
    policy: CustomerManagedPolicy | InlinePolicy, ctx: CheckContext
) -> Outcome | None:
    if isinstance(policy, CustomerManagedPolicy) and not policy.attachment_count:
        return None
    grants = grants_everywhere(policy.statements, MARKETPLACE_SUBSCRIBE, frozenset({PRODUCT_ID_KEY}))
    if grants:
        how = sorted({", ".join(s.actions) if s.actions else "NotAction " + ", ".join(s.not_actions) for s in grants})
        return failed(f"allows {MARKETPLACE_SUBSCRIBE} on every product ({'; '.join(how)} on every resource)")
    return passed(f"does not allow {MARKETPLACE_SUBSCRIBE} on every product")


TRACKING_DAYS = 400
"""How far back IAM's service last accessed data reaches."""


@check(
    id="IAM-ML-009",
    name="bedrock-access-unused",
    title="Users and roles that may use Bedrock should have used it recently",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=(RoleBedrockAccess, UserBedrockAccess),
    settings={
        "max_unused_days": Setting(
            default=60,
            description="days without Bedrock use after which an identity's Bedrock permissions are stale",
            minimum=1,
            maximum=TRACKING_DAYS,
        )
    },
    rationale="""A Bedrock permission nobody uses is all risk: a leaked access key or an assumable role that may
    invoke models is what LLMjacking needs (CT-ML-002), and it costs the account whatever the thief runs. IAM keeps,
    for every user and role, when it last authenticated to each service its policies allow; Bedrock permissions
    unused for max_unused_days (Prowler's default: 60) should go. The data comes from IAM's service last accessed
    jobs (GenerateServiceLastAccessedDetails, then GetServiceLastAccessedDetails): starting a job is classified Read
    by IAM, changes nothing and is in AWS's SecurityAudit policy, so it is the one IAM call of this kind mlaudit
    makes. IAM Access Analyzer's unused-access findings would say the same without it, but only in accounts that pay
    for an unused-access analyzer, so they are not used.""",
    judges="""Every IAM user and role of the scanned account whose policies allow Bedrock (IAM lists Bedrock among the
    services they allow), service-linked roles aside. FAIL when it never used Bedrock in IAM's 400-day tracking
    period, or last used it more than max_unused_days ago; PASS otherwise. Identities created less than
    max_unused_days ago are too new to judge and get no finding, nor do identities whose policies allow no Bedrock
    action. Whether it may use Bedrock through a permissions boundary or an SCP is not read.""",
    remediation=Remediation(
        text="Remove the Bedrock statements (or the Bedrock managed policy) from the identity's policies, or the "
        "identity itself if it is no longer used; IAM Access Analyzer can generate a policy from what it really used.",
        cli="aws iam detach-role-policy --role-name <role> --policy-arn arn:aws:iam::aws:policy/AmazonBedrockFullAccess",
        url="https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_last-accessed.html",
    ),
    references=(
        ml_lens("MLSEC-03"),
        prowler("iam_role_access_not_stale_to_bedrock"),
        prowler("iam_user_access_not_stale_to_bedrock"),
    ),
)
def bedrock_access_unused(access: RoleBedrockAccess | UserBedrockAccess, ctx: CheckContext) -> Outcome | None:
    if not access.bedrock_allowed:
        return None
    days = ctx.setting("max_unused_days")
    now = datetime.now(UTC)
    if access.created is not None and access.created > now - timedelta(days=days):
        return None
    if access.last_authenticated is None:
        return failed(f"may use Bedrock but never did in IAM's {TRACKING_DAYS}-day tracking period")
    age = (now - access.last_authenticated).days
    where = f" (in {access.last_region})" if access.last_region else ""
    if age > days:
        return failed(f"last used Bedrock {age} days ago{where}, more than {days}")
    return passed(f"last used Bedrock {age} days ago{where}")
