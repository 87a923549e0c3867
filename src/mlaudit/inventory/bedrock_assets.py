"""Bedrock's other assets: prompts and flows (Prompt management and Flows, in the bedrock-agent API), imported
models, model customization and evaluation jobs (within the scan's lookback window), and provisioned throughput
with its invocations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, kms_refs, role_refs, s3_refs
from mlaudit.inventory.cloudwatch import Datapoint
from mlaudit.inventory.network import security_group_refs, subnet_refs

BEDROCK_NAMESPACE = "AWS/Bedrock"
"""Runtime metrics (Invocations, InvocationLatency...), by ModelId: the model id or ARN the request named."""


class Prompt(Record):
    """A prompt of Prompt management (its working draft, from which versions are cut with the same key)."""

    part: ClassVar[str] = "bedrock.prompt"
    service: ClassVar[str] = "bedrock"
    resource_type: ClassVar[str] = "AWS::Bedrock::Prompt"
    label: ClassVar[str] = "prompts"
    arn_resource: ClassVar[str] = "prompt/{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.KMS_KEY})

    prompt_id: str
    kms_key_arn: str | None = None
    """customerEncryptionKeyArn; None means a key AWS owns."""

    def references(self) -> Iterator[Reference]:
        yield from kms_refs(self, self.kms_key_arn)


class Flow(Record):
    """A prompt flow (its working draft): nodes that chain prompts, models, knowledge bases, agents and code."""

    part: ClassVar[str] = "bedrock.flow"
    service: ClassVar[str] = "bedrock"
    resource_type: ClassVar[str] = "AWS::Bedrock::Flow"
    label: ClassVar[str] = "flows"
    arn_resource: ClassVar[str] = "flow/{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.IAM_ROLE, RefKind.KMS_KEY})

    flow_id: str
    status: str
    """Failed, Prepared, Preparing or NotPrepared."""
    role_arn: str | None = None
    kms_key_arn: str | None = None
    """customerEncryptionKeyArn; None means a key AWS owns."""

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from kms_refs(self, self.kms_key_arn)


class ImportedModel(Record):
    """A model imported into Bedrock (Custom Model Import) from S3 or SageMaker."""

    part: ClassVar[str] = "bedrock.imported_model"
    service: ClassVar[str] = "bedrock"
    resource_type: ClassVar[str] = "AWS::Bedrock::ImportedModel"
    label: ClassVar[str] = "imported models"
    arn_resource: ClassVar[str] = "imported-model/{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.S3, RefKind.KMS_KEY})

    kms_key_arn: str | None = None
    """modelKmsKeyArn; None means a key AWS owns."""
    source_s3_uri: str | None = None
    creation_time: datetime | None = None

    def references(self) -> Iterator[Reference]:
        yield from s3_refs(self.source_s3_uri)
        yield from kms_refs(self, self.kms_key_arn)


class ModelCustomizationJob(Record):
    """A model customization (fine-tuning, continued pre-training, distillation) job created within the lookback
    window."""

    part: ClassVar[str] = "bedrock.model_customization_job"
    service: ClassVar[str] = "bedrock"
    resource_type: ClassVar[str] = "AWS::Bedrock::ModelCustomizationJob"
    label: ClassVar[str] = "model customization jobs"
    arn_resource: ClassVar[str] = "model-customization-job/{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset(
        {RefKind.IAM_ROLE, RefKind.S3, RefKind.KMS_KEY, RefKind.SUBNET, RefKind.SECURITY_GROUP}
    )

    status: str | None = None
    """InProgress, Completed, Failed, Stopping or Stopped."""
    customization_type: str | None = None
    role_arn: str | None = None
    training_data_s3_uri: str | None = None
    output_s3_uri: str | None = None
    output_model_kms_key_arn: str | None = None
    subnet_ids: tuple[str, ...] = ()
    """vpcConfig.subnetIds: empty when the job reads its data over Bedrock's own network."""
    security_group_ids: tuple[str, ...] = ()
    creation_time: datetime | None = None

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from s3_refs(self.training_data_s3_uri, self.output_s3_uri)
        yield from kms_refs(self, self.output_model_kms_key_arn)
        yield from subnet_refs(self, *self.subnet_ids)
        yield from security_group_refs(self, *self.security_group_ids)


class EvaluationJob(Record):
    """A model or RAG evaluation job created within the lookback window: its prompts, the models' answers and the
    human workers' or judge model's scores are stored by the job."""

    part: ClassVar[str] = "bedrock.evaluation_job"
    service: ClassVar[str] = "bedrock"
    resource_type: ClassVar[str] = "AWS::Bedrock::EvaluationJob"
    label: ClassVar[str] = "evaluation jobs"
    arn_resource: ClassVar[str] = "evaluation-job/{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.IAM_ROLE, RefKind.S3, RefKind.KMS_KEY})

    status: str
    """InProgress, Completed, Failed, Stopping, Stopped or Deleting."""
    job_type: str | None = None
    """Human or Automated."""
    role_arn: str | None = None
    kms_key_id: str | None = None
    """customerEncryptionKeyId; None means a key AWS owns."""
    output_s3_uri: str | None = None
    creation_time: datetime | None = None

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from s3_refs(self.output_s3_uri)
        yield from kms_refs(self, self.kms_key_id)


class ProvisionedThroughput(Record):
    """Provisioned throughput: model units reserved for a base or custom model, billed by the hour whether or not
    anything invokes them."""

    part: ClassVar[str] = "bedrock.provisioned_throughput"
    service: ClassVar[str] = "bedrock"
    resource_type: ClassVar[str] = "AWS::Bedrock::ProvisionedModelThroughput"
    label: ClassVar[str] = "provisioned throughputs"
    arn_resource: ClassVar[str] = "provisioned-model/{id}"

    status: str
    """Creating, InService, Updating or Failed."""
    model_arn: str | None = None
    model_units: int = 0
    commitment: str | None = None
    """OneMonth, SixMonths, or None (no commitment: billed by the hour until deleted)."""
    commitment_expiration: datetime | None = None
    creation_time: datetime | None = None


class ThroughputInvocations(Record):
    """Daily sums of AWS/Bedrock Invocations with the ModelId dimension set to the provisioned throughput's ARN (what
    applications pass as modelId to use it), read over [window_start, window_end) for throughput in service. A day
    without data is a day without invocations: Bedrock publishes the metric only when there are requests."""

    part: ClassVar[str] = "cloudwatch.throughput_invocations"
    service: ClassVar[str] = "cloudwatch"
    resource_type: ClassVar[str] = "AWS::Bedrock::ProvisionedModelThroughput"
    label: ClassVar[str] = "provisioned throughput invocation metrics"

    window_start: datetime
    window_end: datetime
    daily: tuple[Datapoint, ...] = ()
