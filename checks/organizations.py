"""The organization's policies as they apply to an ML account: the AI services opt-out policy."""

from __future__ import annotations

from mlaudit.inventory import AccountScope
from mlaudit.inventory.organizations import AiServicesOptOut
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
from mlaudit.sdk.wording import names

OPT_OUT = "optOut"


@check(
    id="ORG-ML-001",
    name="ai-services-opt-out-missing",
    title="ML accounts should opt out of AWS AI services using their content",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=AccountScope,
    uses=(AiServicesOptOut,),
    service="organizations",
    rationale="""Several AWS AI services may store and use the content they process (documents, images, speech,
    text) to improve themselves, possibly in another region, unless the account is opted out; the only way to opt
    out is an AWS Organizations AI services opt-out policy. An ML account feeds such services its training data and
    its customers' inputs, so the policy in effect for it should opt out of every AI service (the `default` key,
    which also covers services AWS launches later), with no service opted back in.""",
    judges="""Accounts with ML workloads in a scanned region (as CT-ML-001), from the effective policy the account
    reads about itself (organizations:DescribeEffectivePolicy, which any member account may call): FAIL outside an
    organization (no policy can apply), without an opt-out policy, when the default is not optOut, or when a service
    is opted in. A denied call is ERROR naming the action to allow.""",
    remediation=Remediation(
        text="From the management account, enable the AI services opt-out policy type and attach to the root a "
        'policy that opts out by default and forbids children to change it: {"services": {"default": '
        '{"opt_out_policy": {"@@assign": "optOut", "@@operators_allowed_for_child_policies": ["@@none"]}}}}.',
        cli="aws organizations create-policy --type AISERVICES_OPT_OUT_POLICY --name ai-opt-out "
        "--description 'Opt out of all AI services' --content file://opt-out-all.json && "
        "aws organizations attach-policy --policy-id <policy-id> --target-id <root-id>",
        url="https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_ai-opt-out.html",
    ),
    references=(ml_lens("MLSEC-08"), ml_lens("MLSEC-07"), prowler("organizations_opt_out_ai_services_policy")),
)
def ai_services_opt_out_missing(account: AccountScope, ctx: CheckContext) -> Outcome | None:
    if not account.hosts_ml_workloads:
        return None
    policy = ctx.require(AiServicesOptOut, account.account_id)
    if not policy.in_organization:
        return failed("the account belongs to no organization, so no AI services opt-out policy can apply to it")
    if not policy.policy_found:
        return failed("no AI services opt-out policy applies to the account")
    settings = dict(policy.services)
    opted_in = sorted(service for service, value in settings.items() if value != OPT_OUT and service != "default")
    if settings.get("default") != OPT_OUT:
        return failed(
            f"the policy in effect does not opt out by default (default: {settings.get('default', 'not set')})"
        )
    if opted_in:
        return failed("the policy opts out by default but opts back in to " + names(opted_in))
    return passed("the policy in effect opts out of every AI service, present and future")
