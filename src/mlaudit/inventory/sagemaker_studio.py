"""SageMaker Studio domains: the shared environment (network, storage, default roles) of Studio users and spaces."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind
from mlaudit.inventory.network import subnet_refs


class StudioDomain(Record):
    part: ClassVar[str] = "sagemaker.domain"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::Domain"
    label: ClassVar[str] = "Studio domains"
    arn_resource: ClassVar[str] = "domain/{id}"
    taggable: ClassVar[bool] = True
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.IAM_ROLE, RefKind.KMS_KEY, RefKind.SUBNET})

    domain_id: str
    status: str
    app_network_access_type: str | None = None
    """PublicInternetOnly (AWS's default: traffic leaves through a SageMaker-managed VPC) or VpcOnly."""
    kms_key_id: str | None = None
    """The key that encrypts the domain's EFS home directories (and the volumes of its apps)."""
    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    auth_mode: str | None = None
    default_execution_role_arn: str | None = None
    """The execution role of users who have none of their own."""
    creation_time: datetime | None = None

    def references(self) -> Iterator[Reference]:
        if self.default_execution_role_arn:
            yield Reference(RefKind.IAM_ROLE, self.default_execution_role_arn)
        ref = self.kms_key_ref(self.kms_key_id)
        if ref:
            yield ref
        yield from subnet_refs(self, *self.subnet_ids)

    def matches(self, key: str) -> bool:
        return key in (self.name, self.arn, self.domain_id)
