"""SageMaker records: notebooks, models, endpoint configs, endpoints, monitoring, registry, training jobs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, Value, kms_refs, role_refs, s3_refs
from mlaudit.inventory.ecr import image_repository_refs
from mlaudit.inventory.file_systems import FileSystemInput, file_system_refs
from mlaudit.inventory.network import security_group_refs, subnet_refs


class NotebookInstance(Record):
    part: ClassVar[str] = "sagemaker.notebook_instance"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::NotebookInstance"
    label: ClassVar[str] = "notebook instances"
    arn_resource: ClassVar[str] = "notebook-instance/{lower_id}"
    taggable: ClassVar[bool] = True
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset(
        {RefKind.IAM_ROLE, RefKind.KMS_KEY, RefKind.SUBNET, RefKind.SECURITY_GROUP}
    )

    status: str
    instance_type: str | None = None
    direct_internet_access: str | None = None
    """"Enabled" or "Disabled"; AWS's default is Enabled."""
    root_access: str | None = None
    """"Enabled" or "Disabled"; absent means the AWS default, Enabled."""
    subnet_id: str | None = None
    security_group_ids: tuple[str, ...] = ()
    kms_key_id: str | None = None
    role_arn: str | None = None
    lifecycle_config_name: str | None = None
    platform_identifier: str | None = None
    minimum_imds_version: str | None = None
    creation_time: datetime | None = None

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from kms_refs(self, self.kms_key_id)
        yield from subnet_refs(self, self.subnet_id)
        yield from security_group_refs(self, *self.security_group_ids)


class SecretVariable(Value):
    """An environment variable that looks like it holds a secret: its name and why, never its value."""

    name: str
    kind: str
    """What it looks like (`aws-access-key-id`, `secret-named-variable`...), from `mlaudit.core.secrets.variable_kind`."""


class ModelContainer(Value):
    image: str | None = None
    model_data_url: str | None = None
    model_package_name: str | None = None
    image_repository_access_mode: str | None = None
    """"Platform" (ECR) or "Vpc" (private registry); None when the container has no ImageConfig."""
    environment_keys: tuple[str, ...] = ()
    """Names of the container's environment variables. Values are never stored: they may be secrets."""
    environment_secrets: tuple[SecretVariable, ...] = ()
    """The variables whose name or value looks like a secret, classified at collection time."""


class Model(Record):
    part: ClassVar[str] = "sagemaker.model"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::Model"
    label: ClassVar[str] = "models"
    arn_resource: ClassVar[str] = "model/{lower_id}"
    taggable: ClassVar[bool] = True
    search_resource: ClassVar[str | None] = "Model"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset(
        {RefKind.IAM_ROLE, RefKind.S3, RefKind.SUBNET, RefKind.SECURITY_GROUP, RefKind.ECR_REPOSITORY}
    )

    execution_role_arn: str | None = None
    containers: tuple[ModelContainer, ...] = ()
    """The primary container, or every container of an inference pipeline."""
    vpc_subnets: tuple[str, ...] = ()
    vpc_security_group_ids: tuple[str, ...] = ()
    network_isolation: bool = False
    creation_time: datetime | None = None

    @property
    def model_packages(self) -> list[str]:
        """The model package versions (ARNs or names) its containers are built from: its registry lineage."""
        return [c.model_package_name for c in self.containers if c.model_package_name]

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.execution_role_arn)
        yield from s3_refs(*(c.model_data_url for c in self.containers))
        yield from subnet_refs(self, *self.vpc_subnets)
        yield from security_group_refs(self, *self.vpc_security_group_ids)
        yield from image_repository_refs(self, *(c.image for c in self.containers))


class ConfigVariant(Value):
    """A production (or shadow) variant as configured in an endpoint config."""

    variant_name: str
    model_name: str | None = None
    """None on an endpoint that hosts inference components: they name their models."""
    instance_type: str | None = None
    initial_instance_count: int | None = None
    serverless: bool = False
    ssm_access: bool = False
    """EnableSSMAccess: shell access into the variant's hosting containers through Systems Manager."""

    @property
    def hosts_inference_components(self) -> bool:
        return not self.model_name


class DataCapture(Value):
    enabled: bool
    destination_s3_uri: str | None = None
    kms_key_id: str | None = None


class AsyncOutput(Value):
    """Where an asynchronous endpoint writes its results and failures, and the key that encrypts them."""

    s3_output_path: str | None = None
    s3_failure_path: str | None = None
    kms_key_id: str | None = None


class EndpointConfig(Record):
    part: ClassVar[str] = "sagemaker.endpoint_config"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::EndpointConfig"
    label: ClassVar[str] = "endpoint configs"
    arn_resource: ClassVar[str] = "endpoint-config/{lower_id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset(
        {RefKind.S3, RefKind.KMS_KEY, RefKind.IAM_ROLE, RefKind.SUBNET, RefKind.SECURITY_GROUP}
    )

    kms_key_id: str | None = None
    variants: tuple[ConfigVariant, ...] = ()
    shadow_variants: tuple[ConfigVariant, ...] = ()
    """ShadowProductionVariants: models that receive a copy of the production traffic."""
    data_capture: DataCapture | None = None
    async_inference: AsyncOutput | None = None
    """AsyncInferenceConfig.OutputConfig; None for a real-time or serverless endpoint config."""
    execution_role_arn: str | None = None
    """The role of an endpoint that hosts inference components (their models run as it)."""
    vpc_subnets: tuple[str, ...] = ()
    vpc_security_group_ids: tuple[str, ...] = ()
    """VpcConfig of an endpoint that hosts inference components: the network its instances, and so every
    component's container, run in."""
    network_isolation: bool = False
    """EnableNetworkIsolation: whether the containers deployed to the endpoint can make network calls."""
    creation_time: datetime | None = None

    @property
    def serverless_only(self) -> bool:
        return bool(self.variants) and all(v.serverless for v in self.variants)

    @property
    def all_variants(self) -> tuple[ConfigVariant, ...]:
        """Production and shadow variants: every variant that runs a model."""
        return self.variants + self.shadow_variants

    @property
    def hosts_inference_components(self) -> bool:
        return any(v.hosts_inference_components for v in self.variants)

    def references(self) -> Iterator[Reference]:
        capture = self.data_capture or DataCapture(enabled=False)
        output = self.async_inference or AsyncOutput()
        yield from s3_refs(capture.destination_s3_uri, output.s3_output_path, output.s3_failure_path)
        yield from kms_refs(self, self.kms_key_id, capture.kms_key_id, output.kms_key_id)
        yield from role_refs(self.execution_role_arn)
        yield from subnet_refs(self, *self.vpc_subnets)
        yield from security_group_refs(self, *self.vpc_security_group_ids)


class EndpointVariant(Value):
    """A production variant as it runs on an endpoint."""

    variant_name: str
    current_instance_count: int | None = None
    desired_instance_count: int | None = None
    serverless: bool = False


class Endpoint(Record):
    part: ClassVar[str] = "sagemaker.endpoint"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::Endpoint"
    label: ClassVar[str] = "endpoints"
    arn_resource: ClassVar[str] = "endpoint/{lower_id}"
    taggable: ClassVar[bool] = True
    search_resource: ClassVar[str | None] = "Endpoint"

    status: str
    config_name: str | None = None
    variants: tuple[EndpointVariant, ...] = ()
    data_capture_enabled: bool | None = None
    data_capture_status: str | None = None
    """"Started" or "Stopped": capture can be enabled in the config yet stopped on the endpoint."""
    data_capture_kms_key_id: str | None = None
    is_async: bool = False
    """An asynchronous inference endpoint (its config has AsyncInferenceConfig)."""
    failure_reason: str | None = None
    creation_time: datetime | None = None
    deployment_strategy: str | None = None
    """How updates are rolled out, from LastDeploymentConfig: "blue/green (canary)", "rolling"... None when no
    deployment configuration was given (SageMaker then shifts all traffic at once)."""
    rollback_alarms: tuple[str, ...] = ()
    """CloudWatch alarms that roll a deployment back (AutoRollbackConfiguration)."""

    @property
    def in_service(self) -> bool:
        return self.status == "InService"

    @property
    def serverless_only(self) -> bool:
        return bool(self.variants) and all(v.serverless for v in self.variants)

    @property
    def instance_variants(self) -> tuple[EndpointVariant, ...]:
        """The variants on provisioned instances (not serverless): the ones that cost money while idle."""
        return tuple(v for v in self.variants if not v.serverless)


class MonitoringSchedule(Record):
    part: ClassVar[str] = "sagemaker.monitoring_schedule"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::MonitoringSchedule"
    label: ClassVar[str] = "monitoring schedules"
    arn_resource: ClassVar[str] = "monitoring-schedule/{lower_id}"

    status: str
    endpoint_name: str | None = None
    monitoring_type: str | None = None
    """DataQuality, ModelQuality, ModelBias or ModelExplainability."""


class ModelPackageGroup(Record):
    part: ClassVar[str] = "sagemaker.model_package_group"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::ModelPackageGroup"
    label: ClassVar[str] = "model package groups"
    arn_resource: ClassVar[str] = "model-package-group/{lower_id}"
    taggable: ClassVar[bool] = True
    search_resource: ClassVar[str | None] = "ModelPackageGroup"

    status: str | None = None
    creation_time: datetime | None = None


class ModelPackage(Record):
    """A versioned model package in a registry group."""

    part: ClassVar[str] = "sagemaker.model_package"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::ModelPackage"
    label: ClassVar[str] = "model packages"
    arn_resource: ClassVar[str] = "model-package/{lower_id}"

    group_name: str
    version: int | None = None
    approval_status: str | None = None
    """Approved, Rejected or PendingManualApproval."""
    status: str | None = None
    creation_time: datetime | None = None

    def matches(self, key: str) -> bool:
        """Models name their package by ARN or by `group/version`; SageMaker names are case-insensitive."""
        return key.casefold() in (self.name.casefold(), self.arn.casefold())


class InstanceGroup(Value):
    """One instance group of a heterogeneous training cluster (ResourceConfig.InstanceGroups)."""

    name: str
    instance_type: str
    instance_count: int = 0


class TrainingConfiguration(Value):
    """How a training job is configured: the settings of a training job, or of each training job a
    hyperparameter tuning job starts from one of its training job definitions."""

    role_arn: str | None = None
    instance_type: str | None = None
    instance_count: int | None = None
    """All instances of the job: a heterogeneous cluster's instance groups are added up."""
    instance_groups: tuple[InstanceGroup, ...] = ()
    """A heterogeneous cluster's groups, each on its own instance type (`instance_type` is then None)."""
    vpc_subnets: tuple[str, ...] = ()
    vpc_security_group_ids: tuple[str, ...] = ()
    network_isolation: bool = False
    inter_container_encryption: bool = False
    input_s3_uris: tuple[str, ...] = ()
    output_s3_uri: str | None = None
    output_kms_key_id: str | None = None
    volume_kms_key_id: str | None = None
    spot: bool = False
    checkpoint_s3_uri: str | None = None
    keep_alive_seconds: int | None = None
    """KeepAlivePeriodInSeconds: the job keeps a warm pool, which cannot run on spot capacity."""
    training_plan_arn: str | None = None
    """The job runs on a training plan's reserved capacity, paid for upfront."""
    image: str | None = None
    """AlgorithmSpecification.TrainingImage (None for an algorithm resource or a marketplace algorithm)."""
    file_system_inputs: tuple[FileSystemInput, ...] = ()
    """Channels read from an EFS or FSx for Lustre file system instead of S3."""
    environment_keys: tuple[str, ...] = ()
    """Names of the training container's environment variables; values are never stored."""
    environment_secrets: tuple[SecretVariable, ...] = ()
    """The variables whose name or value looks like a secret, classified at collection time."""

    @property
    def instance_types(self) -> tuple[str, ...]:
        """Every instance type the job runs on: the cluster's, or each instance group's."""
        types = (self.instance_type, *(group.instance_type for group in self.instance_groups))
        return tuple(dict.fromkeys(t for t in types if t))

    def training_references(self, owner: Record) -> Iterator[Reference]:
        """The role, buckets, keys, networks, image repository and file systems this configuration uses (ids made
        canonical in `owner`'s account and region)."""
        yield from role_refs(self.role_arn)
        yield from s3_refs(*self.input_s3_uris, self.output_s3_uri, self.checkpoint_s3_uri)
        yield from kms_refs(owner, self.output_kms_key_id, self.volume_kms_key_id)
        yield from subnet_refs(owner, *self.vpc_subnets)
        yield from security_group_refs(owner, *self.vpc_security_group_ids)
        yield from image_repository_refs(owner, self.image)
        yield from file_system_refs(owner, self.file_system_inputs)


TRAINING_REFERENCES = frozenset(
    {
        RefKind.IAM_ROLE,
        RefKind.S3,
        RefKind.KMS_KEY,
        RefKind.SUBNET,
        RefKind.SECURITY_GROUP,
        RefKind.ECR_REPOSITORY,
        RefKind.EFS_FILE_SYSTEM,
        RefKind.FSX_FILE_SYSTEM,
    }
)
"""What a `TrainingConfiguration` can reference."""


class TrainingJob(TrainingConfiguration, Record):
    part: ClassVar[str] = "sagemaker.training_job"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::TrainingJob"
    label: ClassVar[str] = "training jobs"
    arn_resource: ClassVar[str] = "training-job/{lower_id}"
    taggable: ClassVar[bool] = True
    search_resource: ClassVar[str | None] = "TrainingJob"
    reference_kinds: ClassVar[frozenset[RefKind]] = TRAINING_REFERENCES

    status: str
    creation_time: datetime | None = None
    experiment_name: str | None = None
    trial_name: str | None = None
    mlflow_resource_arn: str | None = None
    """The SageMaker managed MLflow tracking server the job logs to (MlflowConfig)."""
    launched_by: str | None = None
    """The tuning, AutoML or Ground Truth labeling job that started this job and set its configuration."""
    training_seconds: int | None = None
    """How long the job trained (TrainingTimeInSeconds, else from its start and end); None while it runs."""
    debugger_rules: tuple[str, ...] = ()
    """The Debugger and Profiler rules that analyse the job (DebugRuleConfigurations, ProfilerRuleConfigurations)."""
    tensorboard_s3_uri: str | None = None
    """TensorBoardOutputConfig.S3OutputPath: where the job's TensorBoard data (framework profiler traces) goes."""

    def references(self) -> Iterator[Reference]:
        return self.training_references(self)
