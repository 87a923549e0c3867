"""What documents and shares a model in the registry: the evaluation reports and model card of approved packages,
the account's model cards and their keys, and the resource policies of model package groups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, Value, kms_refs, s3_refs
from mlaudit.inventory.policies import PolicyStatement


class MetricsReport(Value):
    """One report of a model package's ModelMetrics."""

    kind: str
    """Section and report, e.g. `ModelQuality.Statistics` or `Bias.PostTrainingReport`."""
    s3_uri: str | None = None


class ModelPackageDetail(Record):
    """What DescribeModelPackage adds to an approved model package (aspect of ModelPackage, keyed by the same
    ARN). Only approved versions are described: they are the ones that may be deployed."""

    part: ClassVar[str] = "sagemaker.model_package_detail"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::ModelPackage"
    label: ClassVar[str] = "approved model package details"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.S3, RefKind.KMS_KEY})

    metrics_reports: tuple[MetricsReport, ...] = ()
    model_card_status: str | None = None
    """Status of the model card attached to the version (ModelCard); None when it has none."""
    model_card_evaluations: int = 0
    """How many evaluations the attached model card records (`evaluation_details` of its content)."""
    model_data_urls: tuple[str, ...] = ()
    kms_key_id: str | None = None
    """SecurityConfig.KmsKeyId, which encrypts the version's model card and metadata."""

    def references(self) -> Iterator[Reference]:
        yield from s3_refs(*(r.s3_uri for r in self.metrics_reports), *self.model_data_urls)
        yield from kms_refs(self, self.kms_key_id)


class ModelCard(Record):
    part: ClassVar[str] = "sagemaker.model_card"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::ModelCard"
    label: ClassVar[str] = "model cards"
    arn_resource: ClassVar[str] = "model-card/{lower_id}"

    status: str | None = None
    """Draft, PendingReview, Approved or Archived."""
    creation_time: datetime | None = None


class ModelCardEncryption(Record):
    """What DescribeModelCard adds to a model card: the key its content is encrypted with (aspect of ModelCard,
    keyed by the same ARN). The card's content is never kept."""

    part: ClassVar[str] = "sagemaker.model_card_encryption"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::ModelCard"
    label: ClassVar[str] = "model card encryption"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.KMS_KEY})

    kms_key_id: str | None = None
    """SecurityConfig.KmsKeyId; None: the card is encrypted with an AWS owned key."""

    def references(self) -> Iterator[Reference]:
        yield from kms_refs(self, self.kms_key_id)


class ModelPackageGroupPolicy(Record):
    """A model package group's resource policy (aspect of ModelPackageGroup, keyed by the same ARN): who else may
    read, register or deploy its versions."""

    part: ClassVar[str] = "sagemaker.model_package_group_policy"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::ModelPackageGroup"
    label: ClassVar[str] = "model package group policies"

    statements: tuple[PolicyStatement, ...] = ()
    """Empty when the group has no resource policy."""
