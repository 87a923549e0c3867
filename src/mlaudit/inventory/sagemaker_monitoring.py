"""Model Monitor records: the four kinds of monitoring job definition, and what a schedule's description adds to
the schedule list (its inline job definition's network settings and its last execution)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, Value, kms_refs, role_refs, s3_refs


class MonitoringNetwork(Value):
    """How a monitoring job's containers are networked: a job definition's `NetworkConfig` with its instance count."""

    network_isolation: bool = False
    inter_container_encryption: bool = False
    instance_count: int | None = None


class MonitoringJobDefinition(Record):
    """A monitoring job definition. Each kind is its own part (AWS lists and describes them separately); checks
    that judge them all name the four kinds."""

    service: ClassVar[str] = "sagemaker"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.IAM_ROLE, RefKind.S3, RefKind.KMS_KEY})
    monitoring_type: ClassVar[str]
    """DataQuality, ModelQuality, ModelBias or ModelExplainability: the word in the API's operation names."""

    endpoint_name: str | None = None
    """The endpoint whose traffic the job reads; None for a batch transform input."""
    network: MonitoringNetwork = MonitoringNetwork()
    role_arn: str | None = None
    instance_type: str | None = None
    output_s3_uris: tuple[str, ...] = ()
    output_kms_key_id: str | None = None
    volume_kms_key_id: str | None = None

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from s3_refs(*self.output_s3_uris)
        yield from kms_refs(self, self.output_kms_key_id, self.volume_kms_key_id)


class DataQualityJobDefinition(MonitoringJobDefinition):
    part: ClassVar[str] = "sagemaker.data_quality_job_definition"
    resource_type: ClassVar[str] = "AWS::SageMaker::DataQualityJobDefinition"
    label: ClassVar[str] = "data quality job definitions"
    arn_resource: ClassVar[str] = "data-quality-job-definition/{lower_id}"
    monitoring_type: ClassVar[str] = "DataQuality"


class ModelQualityJobDefinition(MonitoringJobDefinition):
    part: ClassVar[str] = "sagemaker.model_quality_job_definition"
    resource_type: ClassVar[str] = "AWS::SageMaker::ModelQualityJobDefinition"
    label: ClassVar[str] = "model quality job definitions"
    arn_resource: ClassVar[str] = "model-quality-job-definition/{lower_id}"
    monitoring_type: ClassVar[str] = "ModelQuality"


class ModelBiasJobDefinition(MonitoringJobDefinition):
    part: ClassVar[str] = "sagemaker.model_bias_job_definition"
    resource_type: ClassVar[str] = "AWS::SageMaker::ModelBiasJobDefinition"
    label: ClassVar[str] = "model bias job definitions"
    arn_resource: ClassVar[str] = "model-bias-job-definition/{lower_id}"
    monitoring_type: ClassVar[str] = "ModelBias"


class ModelExplainabilityJobDefinition(MonitoringJobDefinition):
    part: ClassVar[str] = "sagemaker.model_explainability_job_definition"
    resource_type: ClassVar[str] = "AWS::SageMaker::ModelExplainabilityJobDefinition"
    label: ClassVar[str] = "model explainability job definitions"
    arn_resource: ClassVar[str] = "model-explainability-job-definition/{lower_id}"
    monitoring_type: ClassVar[str] = "ModelExplainability"


JOB_DEFINITION_TYPES: tuple[type[MonitoringJobDefinition], ...] = (
    DataQualityJobDefinition,
    ModelQualityJobDefinition,
    ModelBiasJobDefinition,
    ModelExplainabilityJobDefinition,
)


class MonitoringExecution(Value):
    """The latest run of a monitoring schedule, as `LastMonitoringExecutionSummary` reports it."""

    status: str
    """Pending, InProgress, Completed, CompletedWithViolations, Failed, Stopping or Stopped."""
    scheduled_time: datetime | None = None
    failure_reason: str | None = None


class InlineMonitoringJob(Value):
    """Where a schedule's inline job definition (`MonitoringJobDefinition`) writes, and with which keys."""

    role_arn: str | None = None
    instance_type: str | None = None
    output_s3_uris: tuple[str, ...] = ()
    output_kms_key_id: str | None = None
    volume_kms_key_id: str | None = None


class MonitoringScheduleDescription(Record):
    """What DescribeMonitoringSchedule adds to a listed schedule (aspect of MonitoringSchedule, same ARN)."""

    part: ClassVar[str] = "sagemaker.monitoring_schedule_description"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::MonitoringSchedule"
    label: ClassVar[str] = "monitoring schedule descriptions"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.IAM_ROLE, RefKind.S3, RefKind.KMS_KEY})

    inline_network: MonitoringNetwork | None = None
    """The network settings of the schedule's inline job definition; None when it names a job definition."""
    inline_job: InlineMonitoringJob | None = None
    """The role, outputs and keys of the schedule's inline job definition; None when it names a job definition."""
    failure_reason: str | None = None
    """Why the schedule itself is Failed."""
    last_execution: MonitoringExecution | None = None
    """None until a monitoring job has run."""

    def references(self) -> Iterator[Reference]:
        job = self.inline_job or InlineMonitoringJob()
        yield from role_refs(job.role_arn)
        yield from s3_refs(*job.output_s3_uris)
        yield from kms_refs(self, job.output_kms_key_id, job.volume_kms_key_id)
