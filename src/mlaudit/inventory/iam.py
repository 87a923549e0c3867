"""IAM records for the roles that ML workloads run as, the Bedrock API keys of IAM users with the permissions
of the users who hold them, and the account's own policies (customer managed and inline), which decide who may
subscribe the account to Marketplace models."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import PartScope, Record, Value
from mlaudit.inventory.policies import PolicyStatement


def is_aws_managed_policy_arn(policy_arn: str) -> bool:
    """`arn:<partition>:iam::aws:policy/...`: a policy AWS owns and maintains."""
    return policy_arn.split(":", 2)[-1].startswith("iam::aws:policy/")


class IamRole(Record):
    """An execution role referenced by an ML resource, with its attached managed policies and trust policy."""

    part: ClassVar[str] = "iam.role"
    service: ClassVar[str] = "iam"
    resource_type: ClassVar[str] = "AWS::IAM::Role"
    label: ClassVar[str] = "ML execution roles"
    scope: ClassVar[PartScope] = PartScope.GLOBAL

    attached_policy_arns: tuple[str, ...] = ()
    trust_statements: tuple[PolicyStatement, ...] = ()
    """The role's trust policy (AssumeRolePolicyDocument): who may assume it, on what conditions."""
    used_by: tuple[str, ...] = ()
    """ARNs of (at most the first 20) ML resources that run as this role."""
    use_count: int = 0
    permissions_boundary_arn: str | None = None
    """The managed policy that bounds what the role's policies can grant (None: no permissions boundary)."""
    bedrock_agents: tuple[str, ...] = ()
    """ARNs of every Bedrock agent that runs as this role, by its working draft or a version an alias routes to."""


class RolePolicy(Value):
    """One permission policy of a role: inline (no ARN) or customer managed (its default version)."""

    name: str
    arn: str | None = None
    statements: tuple[PolicyStatement, ...] = ()

    @property
    def label(self) -> str:
        return f"{'customer managed' if self.arn else 'inline'} policy {self.name}"


class IamRolePolicies(Record):
    """The inline and customer managed permission policies of an execution role (aspect of IamRole, same ARN).

    AWS managed policies are not fetched: they are known by name (see IAM-ML-001).
    """

    part: ClassVar[str] = "iam.role_policies"
    service: ClassVar[str] = "iam"
    resource_type: ClassVar[str] = "AWS::IAM::Role"
    label: ClassVar[str] = "execution role policies"
    scope: ClassVar[PartScope] = PartScope.GLOBAL

    policies: tuple[RolePolicy, ...] = ()


class BedrockApiKey(Record):
    """A long-term Amazon Bedrock API key: an IAM service-specific credential of an IAM user for
    `bedrock.amazonaws.com` (short-term keys are presigned tokens and leave nothing to list). Credentials have no
    ARN: the record's is mlaudit's `service-specific-credential/<id>`, its name `<user>/<credential id>`."""

    part: ClassVar[str] = "iam.bedrock_api_key"
    service: ClassVar[str] = "iam"
    resource_type: ClassVar[str] = "AWS::IAM::ServiceSpecificCredential"
    label: ClassVar[str] = "Bedrock API keys"
    scope: ClassVar[PartScope] = PartScope.GLOBAL
    arn_resource: ClassVar[str] = "service-specific-credential/{id}"

    credential_id: str
    user_name: str
    status: str
    """Active, Inactive or Expired."""
    create_date: datetime | None = None
    expiration_date: datetime | None = None
    """None: the key never expires."""


class ApiKeyHolder(Record):
    """An IAM user who holds an active Bedrock API key, with what the user may do: the managed policies attached to
    the user and the user's groups (AWS managed ones known by name), and the statements of their inline and
    customer managed policies. The key can do everything the user can."""

    part: ClassVar[str] = "iam.api_key_holder"
    service: ClassVar[str] = "iam"
    resource_type: ClassVar[str] = "AWS::IAM::User"
    label: ClassVar[str] = "IAM users holding Bedrock API keys"
    scope: ClassVar[PartScope] = PartScope.GLOBAL
    arn_resource: ClassVar[str] = "user/{id}"

    groups: tuple[str, ...] = ()
    attached_policy_arns: tuple[str, ...] = ()
    """Managed policies attached to the user or to one of its groups."""
    policies: tuple[RolePolicy, ...] = ()
    """Inline policies of the user and its groups, and the default version of each customer managed policy."""
    permissions_boundary_arn: str | None = None


class CustomerManagedPolicy(Record):
    """A customer managed policy of the account, with the statements of its default version and how many users,
    groups and roles it is attached to (every one, not only those of ML workloads: see IAM-ML-008)."""

    part: ClassVar[str] = "iam.customer_managed_policy"
    service: ClassVar[str] = "iam"
    resource_type: ClassVar[str] = "AWS::IAM::ManagedPolicy"
    label: ClassVar[str] = "customer managed policies"
    scope: ClassVar[PartScope] = PartScope.GLOBAL
    arn_resource: ClassVar[str] = "policy/{id}"

    attachment_count: int = 0
    statements: tuple[PolicyStatement, ...] = ()


class InlinePolicy(Record):
    """An inline policy of an IAM user, group or role of the account. Inline policies have no ARN: the record's is
    its holder's ARN followed by `/inline-policy/<name>`, its name `<kind>/<holder>/<policy>` (`role/etl/s3`)."""

    part: ClassVar[str] = "iam.inline_policy"
    service: ClassVar[str] = "iam"
    resource_type: ClassVar[str] = "AWS::IAM::Policy"
    label: ClassVar[str] = "inline policies"
    scope: ClassVar[PartScope] = PartScope.GLOBAL

    holder_arn: str
    holder_kind: str
    """`user`, `group` or `role`."""
    policy_name: str
    statements: tuple[PolicyStatement, ...] = ()


class BedrockLastAccess(Record):
    """When an IAM user or role last used Bedrock, from IAM's service last accessed data (its tracking period is
    400 days): whether its policies allow Bedrock at all, and when it last authenticated to it (None: never in the
    tracking period)."""

    service: ClassVar[str] = "iam"
    scope: ClassVar[PartScope] = PartScope.GLOBAL

    created: datetime | None = None
    bedrock_allowed: bool = False
    """Whether IAM lists Bedrock among the services the identity's policies allow (with its groups', for a user)."""
    last_authenticated: datetime | None = None
    last_region: str | None = None


class RoleBedrockAccess(BedrockLastAccess):
    """A role of the account (service-linked roles aside) and its last use of Bedrock."""

    part: ClassVar[str] = "iam.role_bedrock_access"
    resource_type: ClassVar[str] = "AWS::IAM::Role"
    label: ClassVar[str] = "roles' Bedrock access"


class UserBedrockAccess(BedrockLastAccess):
    """An IAM user of the account and its last use of Bedrock."""

    part: ClassVar[str] = "iam.user_bedrock_access"
    resource_type: ClassVar[str] = "AWS::IAM::User"
    label: ClassVar[str] = "users' Bedrock access"
