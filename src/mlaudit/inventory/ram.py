"""AWS RAM resource shares that share ML resources (SageMaker model package groups, pipelines, catalogs...) with
other accounts: the share, the ML resources in it and the principals it reaches."""

from __future__ import annotations

from typing import ClassVar

from mlaudit.inventory.base import Record, Value


class SharedResource(Value):
    arn: str
    type: str | None = None
    """RAM's resource type, e.g. `sagemaker:ModelPackageGroup`."""


class SharePrincipal(Value):
    id: str
    """An account id, an organization or OU ARN, an IAM role or user ARN, or a service principal."""
    external: bool = False
    """RAM's `external`: the principal is outside the organization of the account that owns the share."""


class RamResourceShare(Record):
    """A resource share this account owns that holds at least one SageMaker resource."""

    part: ClassVar[str] = "ram.resource_share"
    service: ClassVar[str] = "ram"
    resource_type: ClassVar[str] = "AWS::RAM::ResourceShare"
    label: ClassVar[str] = "RAM resource shares of ML resources"

    status: str
    allow_external_principals: bool = False
    resources: tuple[SharedResource, ...] = ()
    principals: tuple[SharePrincipal, ...] = ()
