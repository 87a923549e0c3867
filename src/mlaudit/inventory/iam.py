"""IAM records for the roles that ML workloads run as."""

from __future__ import annotations

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
