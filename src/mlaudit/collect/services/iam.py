"""IAM collectors: only the roles that ML records run as, in the scanned account, and their policies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from mlaudit.collect.accounts.failures import CallFailed
from mlaudit.collect.engine.answers import dig
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.once import Once
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import follow_references
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.collect.services._policies import parse_policy
from mlaudit.inventory import IamRole, Identity, RefKind
from mlaudit.inventory.iam import IamRolePolicies, RolePolicy, is_aws_managed_policy_arn

MAX_LISTED_USERS = 20
GET_ROLE = Operation("iam:GetRole")
LIST_ATTACHED_ROLE_POLICIES = Operation("iam:ListAttachedRolePolicies")
LIST_ROLE_POLICIES = Operation("iam:ListRolePolicies")
GET_ROLE_POLICY = Operation("iam:GetRolePolicy")
GET_POLICY = Operation("iam:GetPolicy")
GET_POLICY_VERSION = Operation("iam:GetPolicyVersion")
ATTACHED = "iam-attached-policies"
ROLE = "iam-role"
"""The answers both of a role's parts read: its ListAttachedRolePolicies and its GetRole."""


def role_name_of(arn: str) -> str:
    """`arn:aws:iam::123:role/path/name` -> `name` (IAM calls take the bare name)."""
    return arn.rsplit("/", 1)[-1]


def _account_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 else ""


def _in_account(ctx: CollectContext) -> Callable[[str], str | None]:
    """Roles are read in their own account only (another account's role is not this scan's to read)."""
    return lambda arn: arn if _account_of(arn) == ctx.account_id else None


def _attached(ctx: CollectContext, arn: str) -> list[str]:
    """A role's attached managed policies: one ListAttachedRolePolicies that both of a role's parts read."""
    name = role_name_of(arn)

    def fetch() -> list[str]:
        return sorted(
            p["PolicyArn"] for p in ctx.paginate(LIST_ATTACHED_ROLE_POLICIES, "AttachedPolicies", RoleName=name)
        )

    return ctx.shared(ATTACHED, fetch, item=arn)


def _role_identity(ctx: CollectContext, arn: str) -> Identity:
    return ctx.identity(role_name_of(arn), arn=arn)


def _role(ctx: CollectContext, arn: str) -> dict[str, Any]:
    """A role as GetRole answers it, read once for both of its parts: its ARN as IAM gives it (with its path) is the
    identity of both records."""
    return ctx.shared(ROLE, lambda: (ctx.call(GET_ROLE, RoleName=role_name_of(arn)) or {}).get("Role") or {}, item=arn)


def _canonical(ctx: CollectContext, arn: str, role: dict[str, Any]) -> Identity:
    return ctx.identity(role.get("RoleName") or role_name_of(arn), arn=role.get("Arn") or arn)


def _roles(ctx: CollectContext) -> Iterator[IamRole]:
    """The roles of this account that ML records name, each read as soon as a region's records name it."""

    def read(arn: str) -> tuple[dict[str, Any], list[str]]:
        return _role(ctx, arn), _attached(ctx, arn)

    found = follow_references(
        ctx, RefKind.IAM_ROLE, read, lambda arn: _role_identity(ctx, arn), GET_ROLE, _in_account(ctx)
    )
    for arn, (role, attached) in found.answers.items():
        users = found.users[arn]
        yield IamRole(
            **_canonical(ctx, arn, role),
            attached_policy_arns=tuple(attached),
            trust_statements=parse_policy(role.get("AssumeRolePolicyDocument")),
            used_by=tuple(users[:MAX_LISTED_USERS]),
            use_count=len(users),
        )


def _role_policies(ctx: CollectContext) -> Iterator[IamRolePolicies]:
    """Each role's inline policies and the default version of its customer managed ones, read as soon as a region's
    records name the role. A managed policy shared by several roles is fetched once, answer or failure: a role that
    needs it while another fetches it waits for that outcome, and a refused fetch is not asked again for every
    other role."""
    managed: Once[str, RolePolicy] = Once()

    def fetch(arn: str) -> RolePolicy:
        with _vanished_policy_is_an_error(arn):
            policy = (ctx.call(GET_POLICY, PolicyArn=arn) or {}).get("Policy") or {}
            version_id = policy.get("DefaultVersionId") or "v1"
            answer = ctx.call(GET_POLICY_VERSION, PolicyArn=arn, VersionId=version_id) or {}
        name = policy.get("PolicyName") or arn.rsplit("/", 1)[-1]
        return RolePolicy(name=name, arn=arn, statements=parse_policy(dig(answer, "PolicyVersion", "Document")))

    def inline_policy(role: str, name: str) -> RolePolicy:
        with _vanished_policy_is_an_error(name):
            document = (ctx.call(GET_ROLE_POLICY, RoleName=role, PolicyName=name) or {}).get("PolicyDocument")
        return RolePolicy(name=name, statements=parse_policy(document))

    def read(arn: str) -> tuple[dict[str, Any], tuple[RolePolicy, ...]]:
        name = role_name_of(arn)
        inline = [
            inline_policy(name, policy) for policy in ctx.paginate(LIST_ROLE_POLICIES, "PolicyNames", RoleName=name)
        ]
        customer = [
            managed.get(policy, fetch) for policy in _attached(ctx, arn) if not is_aws_managed_policy_arn(policy)
        ]
        return _role(ctx, arn), (*inline, *customer)

    found = follow_references(
        ctx, RefKind.IAM_ROLE, read, lambda arn: _role_identity(ctx, arn), LIST_ROLE_POLICIES, _in_account(ctx)
    )
    for arn, (role, policies) in found.answers.items():
        yield IamRolePolicies(**_canonical(ctx, arn, role), policies=policies)


@contextmanager
def _vanished_policy_is_an_error(policy: str) -> Iterator[None]:
    """A policy that the role listed and that is gone when read (deleted during the scan) leaves the role's
    policies unknown: an error for the role, never a role silently skipped as if the role itself had vanished."""
    try:
        yield
    except CallFailed as failed:
        if not failed.not_found:
            raise
        message = f"the policy {policy} was listed for the role and then not found ({failed.error.message})"
        raise CallFailed(failed.error.model_copy(update={"message": message})) from failed


def _roles_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """Each role read, and its attached policies listed (one page each)."""
    roles = len(census.records(IamRole, account_id, region))
    return Counter({str(GET_ROLE): roles, str(LIST_ATTACHED_ROLE_POLICIES): roles} if roles else {})


def _policies_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """Each role's inline policies listed and read, and each customer managed policy read once, whatever number
    of roles attach it."""
    described = census.records(IamRolePolicies, account_id, region)
    inline = sum(1 for role in described for policy in role.policies if policy.arn is None)
    managed = len({policy.arn for role in described for policy in role.policies if policy.arn is not None})
    calls = {
        LIST_ROLE_POLICIES: len(described),
        GET_ROLE_POLICY: inline,
        GET_POLICY: managed,
        GET_POLICY_VERSION: managed,
    }
    return Counter({str(op): count for op, count in calls.items() if count})


COLLECTORS = (
    PartCollector(
        IamRole,
        _roles,
        calls=(GET_ROLE, LIST_ATTACHED_ROLE_POLICIES),
        follows=RefKind.IAM_ROLE,
        shares=(ATTACHED, ROLE),
        minimum=_roles_minimum,
        streams=True,
    ),
    PartCollector(
        IamRolePolicies,
        _role_policies,
        calls=(
            GET_ROLE,
            LIST_ATTACHED_ROLE_POLICIES,
            LIST_ROLE_POLICIES,
            GET_ROLE_POLICY,
            GET_POLICY,
            GET_POLICY_VERSION,
        ),
        follows=RefKind.IAM_ROLE,
        shares=(ATTACHED, ROLE),
        minimum=_policies_minimum,
        streams=True,
    ),
)
