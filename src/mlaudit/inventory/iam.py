"""IAM records for the roles that ML workloads run as."""

from __future__ import annotations

from typing import ClassVar

from mlaudit.inventory.base import PartScope, Record


class IamRole(Record):
    """An execution role referenced by an ML resource, with its attached managed policies."""

    part: ClassVar[str] = "iam.role"
    service: ClassVar[str] = "iam"
    resource_type: ClassVar[str] = "AWS::IAM::Role"
    label: ClassVar[str] = "ML execution roles"
    scope: ClassVar[PartScope] = PartScope.GLOBAL

    attached_policy_arns: tuple[str, ...] = ()
    used_by: tuple[str, ...] = ()
    """ARNs of (at most the first 20) ML resources that run as this role."""
    use_count: int = 0


RECORDS = (IamRole,)
