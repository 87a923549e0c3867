"""The account's own IAM policies, beyond the roles ML workloads run as: who may subscribe the account to the
Marketplace models Bedrock serves."""

from __future__ import annotations

from mlaudit.inventory.iam import CustomerManagedPolicy, InlinePolicy
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
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
