"""AWS Organizations: effective policies, which moto does not implement (AI services opt-out policies only).

- describe_effective_policy(AISERVICES_OPT_OUT_POLICY): for the calling account (or `TargetId`), from any account
  of the organization: the opt-out policies attached to the root, to each OU on the way down and to the account,
  combined as AWS documents it (a child's `@@assign` overrides its parent's, unless the parent set
  `@@operators_allowed_for_child_policies` to `["@@none"]`), answered with the resolved values
  (`{"services": {"default": {"opt_out_policy": "optOut"}}}`). AWSOrganizationsNotInUseException outside an
  organization, EffectivePolicyNotFoundException when no such policy applies, as AWS answers.
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.core.utils import utcnow
from moto.organizations.exceptions import AWSOrganizationsNotInUseException, TargetNotFoundException
from moto.organizations.models import OrganizationsBackend, organizations_backends
from moto.organizations.responses import OrganizationsResponse

RESPONSE_CLASS = OrganizationsResponse

OPT_OUT_POLICY = "AISERVICES_OPT_OUT_POLICY"
LOCKED = ["@@none"]


def _organization(self: OrganizationsResponse) -> OrganizationsBackend:
    """The backend of the organization's management account, whichever account of it calls."""
    backend = self.organizations_backend
    if backend.org is not None:
        return backend
    member = organizations_backends.master_accounts.get(self.current_account)
    if member is None:
        raise AWSOrganizationsNotInUseException
    management_account, partition = member
    return organizations_backends[management_account][partition]


def _path(backend: OrganizationsBackend, account_id: str) -> list[Any]:
    """The root, each OU down to the account, and the account."""
    account = next((a for a in backend.accounts if a.id == account_id), None)
    if account is None:
        raise TargetNotFoundException
    path: list[Any] = [account]
    parent: str | None = account.parent_id
    while parent:
        unit = next(ou for ou in backend.ou if ou.id == parent)
        path.insert(0, unit)
        parent = unit.parent_id
    return path


def _combine(policies: list[dict[str, Any]]) -> dict[str, str]:
    """Each service's setting, top-down: a child's assignment wins unless a parent locked the service."""
    settings: dict[str, str] = {}
    locked: set[str] = set()
    for policy in policies:
        for service, entry in (policy.get("services") or {}).items():
            opt_out = (entry or {}).get("opt_out_policy") or {}
            if service in locked or "@@assign" not in opt_out:
                continue
            settings[service] = opt_out["@@assign"]
            if opt_out.get("@@operators_allowed_for_child_policies") == LOCKED:
                locked.add(service)
    return settings


def describe_effective_policy(self: OrganizationsResponse) -> str:
    if self._get_param("PolicyType") != OPT_OUT_POLICY:
        raise NotImplementedError("mlaudit's moto extension answers AI services opt-out policies only")
    target = self._get_param("TargetId") or self.current_account
    backend = _organization(self)
    attached = [p for node in _path(backend, target) for p in node.attached_policies if p.type == OPT_OUT_POLICY]
    if not attached:
        raise JsonRESTError("EffectivePolicyNotFoundException", "No effective policy of that type applies.")
    settings = _combine([json.loads(p.content) for p in attached])
    content = {"services": {service: {"opt_out_policy": value} for service, value in settings.items()}}
    policy = {
        "PolicyContent": json.dumps(content),
        "LastUpdatedTimestamp": utcnow().timestamp(),
        "TargetId": target,
        "PolicyType": OPT_OUT_POLICY,
    }
    return json.dumps({"EffectivePolicy": policy})


OPERATIONS = {"describe_effective_policy": describe_effective_policy}
