"""IAM collectors: only the roles that ML records run as, in the scanned account."""

from __future__ import annotations

from typing import Iterator

from mlaudit.collect.context import CollectContext
from mlaudit.collect.spec import PartCollector
from mlaudit.inventory import IamRole, RefKind

MAX_LISTED_USERS = 20


def role_name_of(arn: str) -> str:
    """`arn:aws:iam::123:role/path/name` -> `name` (IAM calls take the bare name)."""
    return arn.rsplit("/", 1)[-1]


def _account_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 else ""


def _roles(ctx: CollectContext) -> Iterator[IamRole]:
    users = {arn: sorted(set(used)) for arn, used in ctx.referenced(RefKind.IAM_ROLE).items() if _account_of(arn) == ctx.account_id}

    def describe(arn: str) -> IamRole:
        name = role_name_of(arn)
        role = (ctx.call("get_role", RoleName=name) or {}).get("Role") or {}
        attached = ctx.paginate("list_attached_role_policies", "AttachedPolicies", RoleName=name)
        return IamRole(
            arn=role.get("Arn") or arn,
            name=role.get("RoleName") or name,
            account_id=ctx.account_id,
            region=ctx.region,
            attached_policy_arns=tuple(sorted(p["PolicyArn"] for p in attached)),
            used_by=tuple(users[arn][:MAX_LISTED_USERS]),
            use_count=len(users[arn]),
        )

    yield from ctx.fan_out(sorted(users), describe, identify=lambda arn: (role_name_of(arn), arn))


COLLECTORS = (
    PartCollector(
        IamRole,
        ("iam:GetRole", "iam:ListAttachedRolePolicies"),
        _roles,
        follows=RefKind.IAM_ROLE,
    ),
)
