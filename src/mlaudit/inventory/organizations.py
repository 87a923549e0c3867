"""AWS Organizations records: the organization the scanned account belongs to, as far as the account can see it
(which accounts are inside, so that a resource policy granting another account can be told apart from one granting a
stranger), and the AI services opt-out policy in effect for it."""

from __future__ import annotations

from typing import ClassVar

from mlaudit.inventory.base import PartScope, Record


class OrganizationAccounts(Record):
    """The scanned account's organization (one record per account, named by the organization's id or
    `no organization`)."""

    part: ClassVar[str] = "organizations.accounts"
    service: ClassVar[str] = "organizations"
    resource_type: ClassVar[str] = "AWS::Organizations::Organization"
    label: ClassVar[str] = "organizations"
    scope: ClassVar[PartScope] = PartScope.GLOBAL

    organization_id: str | None = None
    """None: the account belongs to no organization, so every other account is outside it."""
    management_account_id: str | None = None
    account_ids: tuple[str, ...] | None = None
    """The organization's accounts; None when the account cannot list them (only the management account and a
    delegated administrator can)."""
    unknown_because: str | None = None
    """Why the accounts are unknown (the error ListAccounts answered)."""

    def inside(self, account_id: str) -> bool | None:
        """Whether an account belongs to the organization: None when that cannot be known from here."""
        if account_id == self.account_id:
            return True
        if self.organization_id is None:
            return False
        if self.account_ids is None:
            return None
        return account_id in self.account_ids


class AiServicesOptOut(Record):
    """The account's effective AI services opt-out policy (DescribeEffectivePolicy, which any account of an
    organization may call about itself): the policies of the root, its OUs and the account, combined. One record
    per account, named by the account id.

    `services` maps each service key of the policy (`default` for every AI service, present and future) to
    `optOut` or `optIn`."""

    part: ClassVar[str] = "organizations.ai_services_opt_out"
    service: ClassVar[str] = "organizations"
    resource_type: ClassVar[str] = "AWS::Organizations::Policy"
    label: ClassVar[str] = "AI services opt-out policies in effect"
    scope: ClassVar[PartScope] = PartScope.GLOBAL
    arn_resource: ClassVar[str] = "account/{id}"

    in_organization: bool = True
    """False: the account belongs to no organization, so no opt-out policy can apply to it."""
    policy_found: bool = False
    """An opt-out policy applies to the account (attached to it, its OUs or the root)."""
    services: tuple[tuple[str, str], ...] = ()
