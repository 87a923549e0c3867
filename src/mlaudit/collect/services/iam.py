"""IAM collectors: only the roles that ML records run as, in the scanned account, and their policies."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.once import Once
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.collect.services._policies import parse_policy
from mlaudit.inventory import IamRole, RefKind
from mlaudit.inventory.iam import IamRolePolicies, RolePolicy, is_aws_managed_policy_arn

MAX_LISTED_USERS = 20


def role_name_of(arn: str) -> str:
    """`arn:aws:iam::123:role/path/name` -> `name` (IAM calls take the bare name)."""
    return arn.rsplit("/", 1)[-1]


def _account_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 else ""


def _roles(ctx: CollectContext) -> Iterator[IamRole]:
    users = {arn: used for arn, used in ctx.referenced(RefKind.IAM_ROLE).items() if _account_of(arn) == ctx.account_id}

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
            trust_statements=parse_policy(role.get("AssumeRolePolicyDocument")),
            used_by=tuple(users[arn][:MAX_LISTED_USERS]),
            use_count=len(users[arn]),
        )

    yield from ctx.fan_out(sorted(users), describe, identify=lambda arn: (role_name_of(arn), arn))


def _role_policies(ctx: CollectContext) -> Iterator[IamRolePolicies]:
    """Each role's inline policies and the default version of its customer managed ones. A managed policy shared by
    several roles is fetched once, answer or failure: a role that needs it while another fetches it waits for that
    outcome, and a refused fetch is not asked again for every other role."""
    managed: Once[str, RolePolicy] = Once()

    def fetch(arn: str) -> RolePolicy:
        policy = (ctx.call("get_policy", PolicyArn=arn) or {}).get("Policy") or {}
        version_id = policy.get("DefaultVersionId") or "v1"
        version = (ctx.call("get_policy_version", PolicyArn=arn, VersionId=version_id) or {}).get("PolicyVersion") or {}
        name = policy.get("PolicyName") or arn.rsplit("/", 1)[-1]
        return RolePolicy(name=name, arn=arn, statements=parse_policy(version.get("Document")))

    def inline_policy(role: IamRole, name: str) -> RolePolicy:
        document = (ctx.call("get_role_policy", RoleName=role.name, PolicyName=name) or {}).get("PolicyDocument")
        return RolePolicy(name=name, statements=parse_policy(document))

    def describe(role: IamRole) -> IamRolePolicies:
        names = ctx.paginate("list_role_policies", "PolicyNames", RoleName=role.name)
        inline = [inline_policy(role, name) for name in names]
        customer = [managed.get(arn, fetch) for arn in role.attached_policy_arns if not is_aws_managed_policy_arn(arn)]
        return IamRolePolicies(
            arn=role.arn, name=role.name, account_id=role.account_id, region=role.region, policies=(*inline, *customer)
        )

    yield from ctx.fan_out(ctx.dependency(IamRole), describe, identify=lambda role: (role.name, role.arn))


COLLECTORS = (
    PartCollector(
        IamRole,
        ("iam:GetRole", "iam:ListAttachedRolePolicies"),
        _roles,
        follows=RefKind.IAM_ROLE,
    ),
    PartCollector(
        IamRolePolicies,
        ("iam:ListRolePolicies", "iam:GetRolePolicy", "iam:GetPolicy", "iam:GetPolicyVersion"),
        _role_policies,
        aspect_of=IamRole,
    ),
)
