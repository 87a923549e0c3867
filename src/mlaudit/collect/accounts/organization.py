"""The accounts of an AWS Organization to scan: every ACTIVE one, or those under some OUs, narrowed by id globs.

Listed from the management account or a delegated administrator (`organizations:ListAccounts`, or
`ListChildren` and `ListAccountsForParent` under an OU), every call paginated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from mlaudit.collect.accounts.failures import error_code, error_message
from mlaudit.collect.accounts.session import AwsClients
from mlaudit.core.errors import UserError

ORGANIZATION_OPERATIONS = (
    "organizations:ListAccounts",
    "organizations:ListAccountsForParent",
    "organizations:ListChildren",
)
"""What listing the organization calls, in the account where mlaudit runs."""
ACCOUNT_GLOB = re.compile(r"^[0-9*?\[\]!-]+$")


@dataclass(frozen=True)
class AccountFilter:
    """Which accounts of the organization to scan: `accounts` and `exclude_accounts` are ids or globs."""

    accounts: Sequence[str] = ()
    exclude_accounts: Sequence[str] = ()
    ous: Sequence[str] = ()

    def __post_init__(self) -> None:
        for option, patterns in (("--accounts", self.accounts), ("--exclude-accounts", self.exclude_accounts)):
            for pattern in patterns:
                if not ACCOUNT_GLOB.match(pattern):
                    raise UserError(f"{option}: {pattern!r} is not an account id or a glob of one (1234*)")

    def admits(self, account_id: str) -> bool:
        included = not self.accounts or any(fnmatchcase(account_id, pattern) for pattern in self.accounts)
        return included and not any(fnmatchcase(account_id, pattern) for pattern in self.exclude_accounts)


def _pages(clients: AwsClients, operation: str, key: str, **params: Any) -> Iterator[dict[str, Any]]:
    for page in clients.client("organizations").get_paginator(operation).paginate(**params):
        yield from page.get(key) or []


def _accounts_under(clients: AwsClients, parent: str) -> Iterator[dict[str, Any]]:
    """Accounts directly under `parent` and, recursively, under its child OUs."""
    yield from _pages(clients, "list_accounts_for_parent", "Accounts", ParentId=parent)
    for child in _pages(clients, "list_children", "Children", ParentId=parent, ChildType="ORGANIZATIONAL_UNIT"):
        yield from _accounts_under(clients, child["Id"])


def _is_active(account: dict[str, Any]) -> bool:
    return (account.get("State") or account.get("Status")) == "ACTIVE"


def organization_accounts(clients: AwsClients, selection: AccountFilter) -> list[str]:
    """The ids of the organization's ACTIVE accounts that the filter admits, sorted."""
    try:
        if selection.ous:
            listed = [account for ou in selection.ous for account in _accounts_under(clients, ou)]
        else:
            listed = list(_pages(clients, "list_accounts", "Accounts"))
    except (ClientError, BotoCoreError) as exc:
        raise UserError(
            f"could not list the organization's accounts ({error_code(exc)}: {error_message(exc)})",
            hint="run from the management account or a delegated administrator, with organizations:ListAccounts",
        ) from exc
    return sorted({a["Id"] for a in listed if _is_active(a) and selection.admits(a["Id"])})
