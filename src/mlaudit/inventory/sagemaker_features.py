"""Feature Store records: feature groups, whose offline store (S3) and online store hold the features models learn
from and serve with."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, kms_refs, role_refs, s3_refs


class FeatureGroup(Record):
    part: ClassVar[str] = "sagemaker.feature_group"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::FeatureGroup"
    label: ClassVar[str] = "feature groups"
    arn_resource: ClassVar[str] = "feature-group/{lower_id}"
    taggable: ClassVar[bool] = True
    search_resource: ClassVar[str | None] = "FeatureGroup"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.IAM_ROLE, RefKind.S3, RefKind.KMS_KEY})

    status: str
    offline_store: bool = False
    offline_s3_uri: str | None = None
    offline_kms_key_id: str | None = None
    online_store: bool = False
    online_storage_type: str | None = None
    """Standard (the AWS default when absent), Standard_V2 or InMemory."""
    online_kms_key_id: str | None = None
    role_arn: str | None = None

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from s3_refs(self.offline_s3_uri)
        yield from kms_refs(self, self.offline_kms_key_id, self.online_kms_key_id)
