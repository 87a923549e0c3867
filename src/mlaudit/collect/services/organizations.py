"""The scanned account's organization: DescribeOrganization (any member account may call it), then ListAccounts,
which only the management account and a delegated administrator can answer. From another member account the
accounts are recorded as unknown, with AWS's answer, and the checks that need them say what they do then; from the
management account a refusal is an ERROR like any other."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from mlaudit.collect.accounts.failures import CallFailed
from mlaudit.collect.engine.census import one_call_each
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory.organizations import OrganizationAccounts

DESCRIBE_ORGANIZATION = Operation("organizations:DescribeOrganization")
LIST_ACCOUNTS = Operation("organizations:ListAccounts")
NOT_IN_ORGANIZATION = frozenset({"AWSOrganizationsNotInUseException"})


def _organization(ctx: CollectContext) -> Iterator[OrganizationAccounts]:
    organization = (ctx.call(DESCRIBE_ORGANIZATION, absent=NOT_IN_ORGANIZATION) or {}).get("Organization")
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


COLLECTORS = (
    PartCollector(
        OrganizationAccounts,
        _organization,
        calls=(DESCRIBE_ORGANIZATION, LIST_ACCOUNTS),
        minimum=_minimum,
    ),
)
