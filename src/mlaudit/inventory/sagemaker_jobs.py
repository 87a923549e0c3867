"""SageMaker jobs beside training jobs: processing, batch transform and hyperparameter tuning.

Like training jobs, they are collected within the scan's lookback window only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, kms_refs, role_refs, s3_refs
from mlaudit.inventory.ecr import image_repository_refs
from mlaudit.inventory.network import security_group_refs, subnet_refs
from mlaudit.inventory.sagemaker import TRAINING_REFERENCES, SecretVariable, TrainingConfiguration

CLARIFY_IMAGE = "sagemaker-clarify-processing"
"""The repository name of SageMaker Clarify's processing image (in AWS's account of each region)."""


class ProcessingJob(Record):
    part: ClassVar[str] = "sagemaker.processing_job"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::ProcessingJob"
    label: ClassVar[str] = "processing jobs"
    arn_resource: ClassVar[str] = "processing-job/{lower_id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset(
        {
            RefKind.IAM_ROLE,
            RefKind.S3,
            RefKind.KMS_KEY,
            RefKind.SUBNET,
            RefKind.SECURITY_GROUP,
            RefKind.ECR_REPOSITORY,
        }
    )

    status: str
    creation_time: datetime | None = None
    role_arn: str | None = None
    image_uri: str | None = None
    """AppSpecification.ImageUri: the container the job runs."""
    instance_type: str | None = None
    instance_count: int | None = None
    input_s3_uris: tuple[str, ...] = ()
    output_s3_uris: tuple[str, ...] = ()
    """Outputs to S3; outputs to a feature group are encrypted by the feature group's own settings."""
    output_kms_key_id: str | None = None
    volume_kms_key_id: str | None = None
    network_isolation: bool = False
    inter_container_encryption: bool = False
    vpc_subnets: tuple[str, ...] = ()
    vpc_security_group_ids: tuple[str, ...] = ()
    environment_keys: tuple[str, ...] = ()
    """Names of the container's environment variables; values are never stored."""
    environment_secrets: tuple[SecretVariable, ...] = ()
    """The variables whose name or value looks like a secret, classified at collection time."""
    launched_by: str | None = None
    """The monitoring schedule, AutoML job or training job (Debugger and profiler rules) that started this job and
    set its configuration; None for a job someone (or a pipeline) created."""

    @property
    def runs_clarify(self) -> bool:
        """Whether the job runs SageMaker Clarify (bias or explainability analysis), by its image."""
        return CLARIFY_IMAGE in (self.image_uri or "")

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from s3_refs(*self.input_s3_uris, *self.output_s3_uris)
        yield from kms_refs(self, self.output_kms_key_id, self.volume_kms_key_id)
        yield from subnet_refs(self, *self.vpc_subnets)
        yield from security_group_refs(self, *self.vpc_security_group_ids)
        yield from image_repository_refs(self, self.image_uri)


class TransformJob(Record):
    """A batch transform job: a model scoring a dataset from S3 into S3."""

    part: ClassVar[str] = "sagemaker.transform_job"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::TransformJob"
    label: ClassVar[str] = "transform jobs"
    arn_resource: ClassVar[str] = "transform-job/{lower_id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.S3, RefKind.KMS_KEY})

    status: str
    creation_time: datetime | None = None
    model_name: str | None = None
    instance_type: str | None = None
    input_s3_uri: str | None = None
    output_s3_uri: str | None = None
    output_kms_key_id: str | None = None
    volume_kms_key_id: str | None = None
    capture_s3_uri: str | None = None
    capture_kms_key_id: str | None = None

    def references(self) -> Iterator[Reference]:
        yield from s3_refs(self.input_s3_uri, self.output_s3_uri, self.capture_s3_uri)
        yield from kms_refs(self, self.output_kms_key_id, self.volume_kms_key_id, self.capture_kms_key_id)


class TuningTrainingDefinition(TrainingConfiguration):
    """One training job definition of a tuning job: the configuration of every training job started from it."""

    name: str | None = None
    """DefinitionName; None for the single TrainingJobDefinition of a tuning job."""


class HyperParameterTuningJob(Record):
    part: ClassVar[str] = "sagemaker.hyper_parameter_tuning_job"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::HyperParameterTuningJob"
    label: ClassVar[str] = "hyperparameter tuning jobs"
    arn_resource: ClassVar[str] = "hyper-parameter-tuning-job/{lower_id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = TRAINING_REFERENCES
    search_resource: ClassVar[str | None] = "HyperParameterTuningJob"

    status: str
    creation_time: datetime | None = None
    strategy: str | None = None
    """Bayesian, Random, Hyperband or Grid."""
    early_stopping: str | None = None
    """TrainingJobEarlyStoppingType: Off (AWS's default) or Auto."""
    definitions: tuple[TuningTrainingDefinition, ...] = ()

    def references(self) -> Iterator[Reference]:
        for definition in self.definitions:
            yield from definition.training_references(self)
