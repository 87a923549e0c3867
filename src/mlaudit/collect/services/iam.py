"""IAM collectors: only the roles that ML records run as, in the scanned account, and their policies; the
account's Bedrock API keys with the permissions of the users who hold active ones; and the account's customer
managed and inline policies, each kind in one GetAccountAuthorizationDetails listing."""

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
from mlaudit.inventory.bedrock import agent_arn_of
from mlaudit.inventory.iam import (
    ApiKeyHolder,
    BedrockApiKey,
    CustomerManagedPolicy,
    IamRolePolicies,
    InlinePolicy,
    RolePolicy,
    is_aws_managed_policy_arn,
)

MAX_LISTED_USERS = 20
GET_ROLE = Operation("iam:GetRole")
LIST_ATTACHED_ROLE_POLICIES = Operation("iam:ListAttachedRolePolicies")
LIST_ROLE_POLICIES = Operation("iam:ListRolePolicies")
GET_ROLE_POLICY = Operation("iam:GetRolePolicy")
GET_POLICY = Operation("iam:GetPolicy")
GET_POLICY_VERSION = Operation("iam:GetPolicyVersion")
LIST_CREDENTIALS = Operation("iam:ListServiceSpecificCredentials")
GET_USER = Operation("iam:GetUser")
LIST_ATTACHED_USER_POLICIES = Operation("iam:ListAttachedUserPolicies")
LIST_USER_POLICIES = Operation("iam:ListUserPolicies")
GET_USER_POLICY = Operation("iam:GetUserPolicy")
LIST_GROUPS_FOR_USER = Operation("iam:ListGroupsForUser")
LIST_ATTACHED_GROUP_POLICIES = Operation("iam:ListAttachedGroupPolicies")
LIST_GROUP_POLICIES = Operation("iam:ListGroupPolicies")
GET_GROUP_POLICY = Operation("iam:GetGroupPolicy")
GET_AUTHORIZATION_DETAILS = Operation("iam:GetAccountAuthorizationDetails")
BEDROCK_SERVICE = "bedrock.amazonaws.com"
"""The service name of Bedrock API keys among IAM service-specific credentials."""
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
        agents = {agent_arn_of(user) for user in users}
        yield IamRole(
            **_canonical(ctx, arn, role),
            attached_policy_arns=tuple(attached),
            trust_statements=parse_policy(role.get("AssumeRolePolicyDocument")),
            used_by=tuple(users[:MAX_LISTED_USERS]),
            use_count=len(users),
            permissions_boundary_arn=dig(role, "PermissionsBoundary", "PermissionsBoundaryArn"),
            bedrock_agents=tuple(sorted(a for a in agents if a)),
        )


def _managed_policies(ctx: CollectContext) -> Callable[[str], RolePolicy]:
    """The default version of a customer managed policy, fetched once per collection whatever number of roles or
    users attach it, answer or failure: one that needs it while another fetches it waits for that outcome, and a
    refused fetch is not asked again for every other."""
    managed: Once[str, RolePolicy] = Once()

    def fetch(arn: str) -> RolePolicy:
        with _vanished_policy_is_an_error(arn):
            policy = (ctx.call(GET_POLICY, PolicyArn=arn) or {}).get("Policy") or {}
            version_id = policy.get("DefaultVersionId") or "v1"
            answer = ctx.call(GET_POLICY_VERSION, PolicyArn=arn, VersionId=version_id) or {}
        name = policy.get("PolicyName") or arn.rsplit("/", 1)[-1]
        return RolePolicy(name=name, arn=arn, statements=parse_policy(dig(answer, "PolicyVersion", "Document")))

    return lambda arn: managed.get(arn, fetch)


def _role_policies(ctx: CollectContext) -> Iterator[IamRolePolicies]:
    """Each role's inline policies and the default version of its customer managed ones, read as soon as a region's
    records name the role."""
    managed = _managed_policies(ctx)

    def inline_policy(role: str, name: str) -> RolePolicy:
        with _vanished_policy_is_an_error(name):
            document = (ctx.call(GET_ROLE_POLICY, RoleName=role, PolicyName=name) or {}).get("PolicyDocument")
        return RolePolicy(name=name, statements=parse_policy(document))

    def read(arn: str) -> tuple[dict[str, Any], tuple[RolePolicy, ...]]:
        name = role_name_of(arn)
        inline = [
            inline_policy(name, policy) for policy in ctx.paginate(LIST_ROLE_POLICIES, "PolicyNames", RoleName=name)
        ]
        customer = [managed(policy) for policy in _attached(ctx, arn) if not is_aws_managed_policy_arn(policy)]
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


def _api_keys(ctx: CollectContext) -> Iterator[BedrockApiKey]:
    """Every IAM user's Bedrock API keys, in one listing (`AllUsers`; botocore has no paginator for it)."""
    params: dict[str, Any] = {"ServiceName": BEDROCK_SERVICE, "AllUsers": True}
    while True:
        page = ctx.call(LIST_CREDENTIALS, **params)
        for c in (page or {}).get("ServiceSpecificCredentials") or ():
            credential_id, user = c["ServiceSpecificCredentialId"], c.get("UserName") or ""
            yield BedrockApiKey(
                **ctx.identity(credential_id, name=f"{user}/{credential_id}"),
                credential_id=credential_id,
                user_name=user,
                status=c.get("Status") or "UNKNOWN",
                create_date=c.get("CreateDate"),
                expiration_date=c.get("ExpirationDate"),
            )
        if not (page or {}).get("IsTruncated"):
            return
        params["Marker"] = (page or {})["Marker"]


def _holders(keys: list[BedrockApiKey]) -> list[str]:
    """The users who hold an active key, once each."""
    return sorted({key.user_name for key in keys if key.status == "Active"})


def _inline(ctx: CollectContext, list_op: Operation, get_op: Operation, owner: dict[str, Any]) -> list[tuple[str, Any]]:
    """The inline policies of a user or group (`owner`: UserName or GroupName): (name, document) pairs."""
    names = list(ctx.paginate(list_op, "PolicyNames", **owner))
    return [(name, (ctx.call(get_op, PolicyName=name, **owner) or {}).get("PolicyDocument")) for name in names]


def _key_holders(ctx: CollectContext) -> Iterator[ApiKeyHolder]:
    """What each holder of an active Bedrock API key may do: the user's and its groups' managed policies (AWS
    managed ones by name), inline policies, and customer managed policies' default versions (each fetched once)."""
    managed = _managed_policies(ctx)

    def describe(user_name: str) -> ApiKeyHolder:
        user = (ctx.call(GET_USER, UserName=user_name) or {}).get("User") or {}
        attached = [
            p["PolicyArn"] for p in ctx.paginate(LIST_ATTACHED_USER_POLICIES, "AttachedPolicies", UserName=user_name)
        ]
        inline = [
            RolePolicy(name=n, statements=parse_policy(d))
            for n, d in _inline(ctx, LIST_USER_POLICIES, GET_USER_POLICY, {"UserName": user_name})
        ]
        groups = [g["GroupName"] for g in ctx.paginate(LIST_GROUPS_FOR_USER, "Groups", UserName=user_name)]
        for group in groups:
            attached += [
                p["PolicyArn"] for p in ctx.paginate(LIST_ATTACHED_GROUP_POLICIES, "AttachedPolicies", GroupName=group)
            ]
            inline += [
                RolePolicy(name=f"{n} (group {group})", statements=parse_policy(d))
                for n, d in _inline(ctx, LIST_GROUP_POLICIES, GET_GROUP_POLICY, {"GroupName": group})
            ]
        arns = sorted(set(attached))
        customer = [managed(arn) for arn in arns if not is_aws_managed_policy_arn(arn)]
        return ApiKeyHolder(
            **identity(user_name, user.get("Arn")),
            groups=tuple(groups),
            attached_policy_arns=tuple(arns),
            policies=(*inline, *customer),
            permissions_boundary_arn=dig(user, "PermissionsBoundary", "PermissionsBoundaryArn"),
        )

    def identity(user_name: str, arn: str | None = None) -> Identity:
        return ctx.identity(user_name, arn=arn)

    yield from ctx.fan_out(_holders(ctx.dependency(BedrockApiKey)), describe, identity)


def _api_keys_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """One listing of every user's keys (a page holds 1000)."""
    keys = len(census.records(BedrockApiKey, account_id, region))
    return Counter({str(LIST_CREDENTIALS): census.pages(LIST_CREDENTIALS, keys)})


def _holders_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """Per holder: the user, its attached and inline policies, its groups and each group's; each customer managed
    policy once."""
    holders = census.records(ApiKeyHolder, account_id, region)
    groups = sum(len(h.groups) for h in holders)
    user_inline = sum(1 for h in holders for p in h.policies if p.arn is None and " (group " not in p.name)
    group_inline = sum(1 for h in holders for p in h.policies if p.arn is None and " (group " in p.name)
    managed = len({p.arn for h in holders for p in h.policies if p.arn is not None})
    calls = {
        GET_USER: len(holders),
        LIST_ATTACHED_USER_POLICIES: len(holders),
        LIST_USER_POLICIES: len(holders),
        LIST_GROUPS_FOR_USER: len(holders),
        GET_USER_POLICY: user_inline,
        LIST_ATTACHED_GROUP_POLICIES: groups,
        LIST_GROUP_POLICIES: groups,
        GET_GROUP_POLICY: group_inline,
        GET_POLICY: managed,
        GET_POLICY_VERSION: managed,
    }
    return Counter({str(op): count for op, count in calls.items() if count})


def _customer_managed_policies(ctx: CollectContext) -> Iterator[CustomerManagedPolicy]:
    """Every customer managed policy of the account with its default version's document, in one listing (a page
    holds 1000 policies with every version's document)."""
    for page in ctx.pages(GET_AUTHORIZATION_DETAILS, Filter=["LocalManagedPolicy"]):
        for policy in page.get("Policies") or ():
            versions = policy.get("PolicyVersionList") or ()
            default: dict[str, Any] = next((v for v in versions if v.get("IsDefaultVersion")), {})
            yield CustomerManagedPolicy(
                **ctx.identity(policy.get("PolicyName") or policy["Arn"].rsplit("/", 1)[-1], arn=policy["Arn"]),
                attachment_count=policy.get("AttachmentCount") or 0,
                statements=parse_policy(default.get("Document")),
            )


HOLDERS = (
    ("user", "UserDetailList", "UserName", "UserPolicyList"),
    ("group", "GroupDetailList", "GroupName", "GroupPolicyList"),
    ("role", "RoleDetailList", "RoleName", "RolePolicyList"),
)
"""Where GetAccountAuthorizationDetails lists each kind of holder of inline policies, its name and its policies."""


def _inline_policies(ctx: CollectContext) -> Iterator[InlinePolicy]:
    """Every inline policy of the account's users, groups and roles, in one listing of the three."""
    for page in ctx.pages(GET_AUTHORIZATION_DETAILS, Filter=["User", "Group", "Role"]):
        for kind, items, name_key, policies in HOLDERS:
            for holder in page.get(items) or ():
                for policy in holder.get(policies) or ():
                    name = f"{kind}/{holder.get(name_key)}/{policy['PolicyName']}"
                    yield InlinePolicy(
                        **ctx.identity(name, arn=f"{holder['Arn']}/inline-policy/{policy['PolicyName']}"),
                        holder_arn=holder["Arn"],
                        holder_kind=kind,
                        policy_name=policy["PolicyName"],
                        statements=parse_policy(policy.get("PolicyDocument")),
                    )


def _customer_managed_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """One listing of the account's customer managed policies (a page holds 1000)."""
    policies = len(census.records(CustomerManagedPolicy, account_id, region))
    return Counter({str(GET_AUTHORIZATION_DETAILS): census.pages(GET_AUTHORIZATION_DETAILS, policies)})


def _inline_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """One listing of the users, groups and roles that hold inline policies (a page holds 1000)."""
    holders = len({p.holder_arn for p in census.records(InlinePolicy, account_id, region)})
    return Counter({str(GET_AUTHORIZATION_DETAILS): census.pages(GET_AUTHORIZATION_DETAILS, holders)})


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
    PartCollector(BedrockApiKey, _api_keys, calls=(LIST_CREDENTIALS,), minimum=_api_keys_minimum),
    PartCollector(
        ApiKeyHolder,
        _key_holders,
        calls=(
            GET_USER,
            LIST_ATTACHED_USER_POLICIES,
            LIST_USER_POLICIES,
            GET_USER_POLICY,
            LIST_GROUPS_FOR_USER,
            LIST_ATTACHED_GROUP_POLICIES,
            LIST_GROUP_POLICIES,
            GET_GROUP_POLICY,
            GET_POLICY,
            GET_POLICY_VERSION,
        ),
        depends_on=(BedrockApiKey,),
        minimum=_holders_minimum,
    ),
    PartCollector(
        CustomerManagedPolicy,
        _customer_managed_policies,
        calls=(GET_AUTHORIZATION_DETAILS,),
        minimum=_customer_managed_minimum,
    ),
    PartCollector(InlinePolicy, _inline_policies, calls=(GET_AUTHORIZATION_DETAILS,), minimum=_inline_minimum),
)
