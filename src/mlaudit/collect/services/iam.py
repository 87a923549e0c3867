"""IAM collectors: only the roles that ML records run as, in the scanned account, and their policies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from mlaudit.collect.accounts.failures import CallFailed
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.once import Once
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import same_identity
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.collect.services._policies import parse_policy
from mlaudit.inventory import IamRole, RefKind
from mlaudit.inventory.iam import IamRolePolicies, RolePolicy, is_aws_managed_policy_arn

MAX_LISTED_USERS = 20
GET_ROLE = Operation("iam:GetRole")
LIST_ATTACHED_ROLE_POLICIES = Operation("iam:ListAttachedRolePolicies")
LIST_ROLE_POLICIES = Operation("iam:ListRolePolicies")
GET_ROLE_POLICY = Operation("iam:GetRolePolicy")
GET_POLICY = Operation("iam:GetPolicy")
GET_POLICY_VERSION = Operation("iam:GetPolicyVersion")


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
        role = (ctx.call(GET_ROLE, RoleName=name) or {}).get("Role") or {}
        attached = ctx.paginate(LIST_ATTACHED_ROLE_POLICIES, "AttachedPolicies", RoleName=name)
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

    yield from ctx.fan_out(sorted(users), describe, identify=lambda arn: ctx.identity(role_name_of(arn), arn=arn))


def _role_policies(ctx: CollectContext) -> Iterator[IamRolePolicies]:
    """Each role's inline policies and the default version of its customer managed ones. A managed policy shared by
    several roles is fetched once, answer or failure: a role that needs it while another fetches it waits for that
    outcome, and a refused fetch is not asked again for every other role."""
    managed: Once[str, RolePolicy] = Once()

    def fetch(arn: str) -> RolePolicy:
        with _vanished_policy_is_an_error(arn):
            policy = (ctx.call(GET_POLICY, PolicyArn=arn) or {}).get("Policy") or {}
            version_id = policy.get("DefaultVersionId") or "v1"
            answer = ctx.call(GET_POLICY_VERSION, PolicyArn=arn, VersionId=version_id) or {}
        name = policy.get("PolicyName") or arn.rsplit("/", 1)[-1]
        return RolePolicy(
            name=name, arn=arn, statements=parse_policy((answer.get("PolicyVersion") or {}).get("Document"))
        )

    def inline_policy(role: IamRole, name: str) -> RolePolicy:
        with _vanished_policy_is_an_error(name):
            document = (ctx.call(GET_ROLE_POLICY, RoleName=role.name, PolicyName=name) or {}).get("PolicyDocument")
        return RolePolicy(name=name, statements=parse_policy(document))

    def describe(role: IamRole) -> IamRolePolicies:
        names = ctx.paginate(LIST_ROLE_POLICIES, "PolicyNames", RoleName=role.name)
        inline = [inline_policy(role, name) for name in names]
        customer = [managed.get(arn, fetch) for arn in role.attached_policy_arns if not is_aws_managed_policy_arn(arn)]
        return IamRolePolicies(
            arn=role.arn, name=role.name, account_id=role.account_id, region=role.region, policies=(*inline, *customer)
        )

    yield from ctx.fan_out(ctx.dependency(IamRole), describe, identify=same_identity)


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
        minimum=_roles_minimum,
    ),
    PartCollector(
        IamRolePolicies,
        _role_policies,
        calls=(LIST_ROLE_POLICIES, GET_ROLE_POLICY, GET_POLICY, GET_POLICY_VERSION),
        aspect_of=IamRole,
        minimum=_policies_minimum,
    ),
)
