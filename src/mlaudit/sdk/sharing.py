"""Who a resource policy lets in from elsewhere: the accounts and organizations its Allow statements grant, placed
inside or outside the scanned account's organization."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mlaudit.inventory.organizations import OrganizationAccounts
from mlaudit.inventory.policies import EVERYONE, PolicyStatement

ACCOUNT_ID = re.compile(r"^\d{12}$")
ORGANIZATION_KEYS = ("aws:principalorgid", "aws:principalorgpaths")
ACCOUNT_KEYS = ("aws:principalaccount",)


@dataclass(frozen=True)
class Grant:
    """Someone a policy lets in: an account, an organization, or everyone."""

    grantee: str
    inside: bool | None
    """Whether it is the account itself or in its organization; None when that cannot be known from here."""


def _condition_values(statement: PolicyStatement, keys: tuple[str, ...]) -> list[str]:
    return [value for c in statement.conditions if c.key.lower() in keys for value in c.values]


def _account_of(principal: str) -> str | None:
    """The account an AWS principal belongs to: `123456789012`, `arn:aws:iam::123456789012:role/x`..."""
    if ACCOUNT_ID.match(principal):
        return principal
    parts = principal.split(":")
    return parts[4] if len(parts) > 5 and ACCOUNT_ID.match(parts[4]) else None


def _statement_grants(statement: PolicyStatement, organization: OrganizationAccounts) -> list[Grant]:
    organizations = {value.split("/", 1)[0] for value in _condition_values(statement, ORGANIZATION_KEYS)}
    if organizations:
        return [Grant(f"organization {org}", org == organization.organization_id) for org in sorted(organizations)]
    accounts = _condition_values(statement, ACCOUNT_KEYS)
    if statement.applies_to_everyone and not accounts:
        return [Grant("everyone (Principal *)", False)]
    if not accounts:
        accounts = [p.value for p in statement.principals if p.kind == "AWS" and p.value != EVERYONE]
    grants = []
    for principal in accounts:
        account = _account_of(principal)
        grants.append(Grant(f"account {account}" if account else principal, organization.inside(account or "")))
    return grants


def grants_beyond(
    statements: Iterable[PolicyStatement], organization: OrganizationAccounts, trusted: Iterable[str] = ()
) -> list[Grant]:
    """What the Allow statements grant to others than the account itself and the `trusted` accounts: each account
    or organization once. Service principals (the AWS services a policy lets act) are not grantees."""
    allowed = {f"account {account}" for account in (organization.account_id, *trusted)}
    found: dict[str, Grant] = {}
    for statement in statements:
        if statement.allows:
            for grant in _statement_grants(statement, organization):
                if grant.grantee not in allowed:
                    found.setdefault(grant.grantee, grant)
    return list(found.values())
