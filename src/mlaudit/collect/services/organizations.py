"""AWS Organizations collectors: the organization the scanned account belongs to, and the AI services opt-out
policy in effect for it.

DescribeOrganization and DescribeEffectivePolicy can be called from any account of an organization about itself.
ListAccounts only the management account and a delegated administrator can answer: from another member account the
accounts are recorded as unknown, with AWS's answer, and the checks that need them say what they do then; from the
management account a refusal is an ERROR like any other. ListPolicies (the policies themselves) is not needed for
the account's own opt-out verdict.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator

from mlaudit.collect.accounts.failures import CallFailed
from mlaudit.collect.engine.census import one_call_each
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory.organizations import AiServicesOptOut, OrganizationAccounts

DESCRIBE_ORGANIZATION = Operation("organizations:DescribeOrganization")
LIST_ACCOUNTS = Operation("organizations:ListAccounts")
DESCRIBE_EFFECTIVE_POLICY = Operation("organizations:DescribeEffectivePolicy")
NOT_IN_ORGANIZATION = "AWSOrganizationsNotInUseException"
OPT_OUT_POLICY = "AISERVICES_OPT_OUT_POLICY"
NO_EFFECTIVE_POLICY = "EffectivePolicyNotFoundException"


def _organization(ctx: CollectContext) -> Iterator[OrganizationAccounts]:
    organization = (ctx.call(DESCRIBE_ORGANIZATION, absent=frozenset({NOT_IN_ORGANIZATION})) or {}).get("Organization")
    root = f"arn:{ctx.partition}:iam::{ctx.account_id}:root"
    if not organization:
        yield OrganizationAccounts(arn=root, name="no organization", account_id=ctx.account_id, region=ctx.region)
        return
    management = organization.get("MasterAccountId")
    accounts: tuple[str, ...] | None = None
    unknown_because = None
    try:
        accounts = tuple(sorted(a["Id"] for a in ctx.paginate(LIST_ACCOUNTS, "Accounts") if a.get("Id")))
    except CallFailed as failed:
        if management == ctx.account_id:
            raise
        unknown_because = f"{failed.error.error_code} on organizations:ListAccounts from a member account"
    yield OrganizationAccounts(
        arn=organization.get("Arn") or root,
        name=organization.get("Id") or "organization",
        account_id=ctx.account_id,
        region=ctx.region,
        organization_id=organization.get("Id"),
        management_account_id=management,
        account_ids=accounts,
        unknown_because=unknown_because,
    )


def _minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """DescribeOrganization, then the pages of ListAccounts that an organization's accounts fill."""
    calls = one_call_each(DESCRIBE_ORGANIZATION)
    for organization in census.records(OrganizationAccounts, account_id, region):
        if organization.organization_id is not None:
            calls[str(LIST_ACCOUNTS)] += census.pages(LIST_ACCOUNTS, len(organization.account_ids or ()))
    return calls


def _setting(value: object) -> str:
    """`optOut`, whether the policy gives it plainly (effective policies) or as `{"@@assign": "optOut"}`."""
    return str(value.get("@@assign") if isinstance(value, dict) else value)


def _services(content: str | None) -> tuple[tuple[str, str], ...]:
    services = (json.loads(content) if content else {}).get("services") or {}
    return tuple(
        sorted(
            (name, _setting(entry.get("opt_out_policy")))
            for name, entry in services.items()
            if isinstance(entry, dict) and entry.get("opt_out_policy") is not None
        )
    )


def _opt_out(ctx: CollectContext) -> Iterator[AiServicesOptOut]:
    identity = ctx.identity(ctx.account_id, name=ctx.account_id)
    try:
        answer = ctx.call(DESCRIBE_EFFECTIVE_POLICY, PolicyType=OPT_OUT_POLICY) or {}
    except CallFailed as failed:
        if failed.error.error_code == NOT_IN_ORGANIZATION:
            yield AiServicesOptOut(**identity, in_organization=False)
        elif failed.error.error_code == NO_EFFECTIVE_POLICY:
            yield AiServicesOptOut(**identity)
        else:
            raise
        return
    content = (answer.get("EffectivePolicy") or {}).get("PolicyContent")
    yield AiServicesOptOut(**identity, policy_found=True, services=_services(content))


COLLECTORS = (
    PartCollector(
        OrganizationAccounts,
        _organization,
        calls=(DESCRIBE_ORGANIZATION, LIST_ACCOUNTS),
        minimum=_minimum,
    ),
    PartCollector(
        AiServicesOptOut,
        _opt_out,
        calls=(DESCRIBE_EFFECTIVE_POLICY,),
        minimum=lambda census, account_id, region: one_call_each(DESCRIBE_EFFECTIVE_POLICY),
    ),
)
