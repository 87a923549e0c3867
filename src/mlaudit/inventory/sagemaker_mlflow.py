"""Managed MLflow in SageMaker: tracking servers (sized, billed by the hour while running) and MLflow apps.

Both reference their artifact store bucket and their role, so that the S3 checks (the bucket exists and belongs to
the account) and the IAM checks judge them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, kms_refs, role_refs, s3_refs

STOPPED_STATES = frozenset({"Stopping", "Stopped", "StopFailed", "Deleting", "DeleteFailed", "CreateFailed"})
"""Tracking server states that bill no compute (or never started)."""


class MlflowTrackingServer(Record):
    part: ClassVar[str] = "sagemaker.mlflow_tracking_server"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::MlflowTrackingServer"
    label: ClassVar[str] = "MLflow tracking servers"
    arn_resource: ClassVar[str] = "mlflow-tracking-server/{lower_id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.S3, RefKind.IAM_ROLE})

    status: str
    is_active: str | None = None
    """Active or Inactive."""
    size: str | None = None
    """Small (AWS's default), Medium or Large."""
    artifact_store_uri: str | None = None
    role_arn: str | None = None
    mlflow_version: str | None = None
    bucket_owner_account_id: str | None = None
    """The account the artifact bucket is expected to belong to (`S3BucketOwnerAccountId`)."""
    bucket_owner_verification: bool | None = None
    """Whether the server checks that owner on every S3 call (`S3BucketOwnerVerification`)."""
    creation_time: datetime | None = None

    @property
    def running(self) -> bool:
        return self.status not in STOPPED_STATES

    def references(self) -> Iterator[Reference]:
        yield from s3_refs(self.artifact_store_uri)
        yield from role_refs(self.role_arn)


class MlflowApp(Record):
    part: ClassVar[str] = "sagemaker.mlflow_app"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::MlflowApp"
    label: ClassVar[str] = "MLflow apps"
    arn_resource: ClassVar[str] = "mlflow-app/{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.S3, RefKind.IAM_ROLE, RefKind.KMS_KEY})

    status: str
    artifact_store_uri: str | None = None
    role_arn: str | None = None
    kms_key_id: str | None = None
    mlflow_version: str | None = None
    creation_time: datetime | None = None

    def references(self) -> Iterator[Reference]:
        yield from s3_refs(self.artifact_store_uri)
        yield from role_refs(self.role_arn)
        yield from kms_refs(self, self.kms_key_id)
