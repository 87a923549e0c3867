"""SageMaker collectors: each part is a list call, usually followed by one describe call per resource.

Training jobs are bounded by the scan's lookback window (`CreationTimeAfter`): the job history is never walked.
"""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.answers import dig, first
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import (
    Listed,
    ListOnly,
    ListPerRecord,
    ListThenDescribe,
    ListThenSearch,
    created_since,
)
from mlaudit.collect.engine.spec import LOOKBACK, PartCollector
from mlaudit.core.secrets import variable_kind
from mlaudit.inventory import (
    ConfigVariant,
    DataCapture,
    Endpoint,
    EndpointConfig,
    EndpointVariant,
    Identity,
    Model,
    ModelContainer,
    ModelPackage,
    ModelPackageGroup,
    MonitoringSchedule,
    NotebookInstance,
    TrainingJob,
)
from mlaudit.inventory.file_systems import FileSystemInput
from mlaudit.inventory.sagemaker import AsyncOutput, InstanceGroup, SecretVariable


def _notebook(identity: Identity, d: dict[str, Any]) -> NotebookInstance:
    imds = d.get("InstanceMetadataServiceConfiguration") or {}
    return NotebookInstance(
        **identity,
        status=d.get("NotebookInstanceStatus") or "Unknown",
        instance_type=d.get("InstanceType"),
        direct_internet_access=d.get("DirectInternetAccess"),
        root_access=d.get("RootAccess"),
        subnet_id=d.get("SubnetId"),
        security_group_ids=tuple(d.get("SecurityGroups") or ()),
        kms_key_id=d.get("KmsKeyId"),
        role_arn=d.get("RoleArn"),
        lifecycle_config_name=d.get("NotebookInstanceLifecycleConfigName"),
        platform_identifier=d.get("PlatformIdentifier"),
        minimum_imds_version=imds.get("MinimumInstanceMetadataServiceVersion"),
        creation_time=d.get("CreationTime"),
    )


def environment_fields(environment: dict[str, Any] | None) -> dict[str, Any]:
    """A container's environment as a record keeps it: the variables' names, and those that look like secrets
    (name and kind). The values are read here and dropped."""
    environment = environment or {}
    classified = ((name, variable_kind(name, str(value))) for name, value in sorted(environment.items()))
    return {
        "environment_keys": tuple(sorted(environment)),
        "environment_secrets": tuple(SecretVariable(name=name, kind=kind) for name, kind in classified if kind),
    }


def _container(c: dict[str, Any]) -> ModelContainer:
    return ModelContainer(
        image=c.get("Image"),
        model_data_url=c.get("ModelDataUrl"),
        model_package_name=c.get("ModelPackageName"),
        image_repository_access_mode=(c.get("ImageConfig") or {}).get("RepositoryAccessMode"),
        **environment_fields(c.get("Environment")),
    )


def _model(identity: Identity, d: dict[str, Any]) -> Model:
    containers = [d["PrimaryContainer"]] if d.get("PrimaryContainer") else list(d.get("Containers") or [])
    vpc = d.get("VpcConfig") or {}
    return Model(
        **identity,
        execution_role_arn=d.get("ExecutionRoleArn"),
        containers=tuple(_container(c) for c in containers),
        vpc_subnets=tuple(vpc.get("Subnets") or ()),
        vpc_security_group_ids=tuple(vpc.get("SecurityGroupIds") or ()),
        network_isolation=bool(d.get("EnableNetworkIsolation")),
        creation_time=d.get("CreationTime"),
    )


def _config_variant(v: dict[str, Any]) -> ConfigVariant:
    return ConfigVariant(
        variant_name=v.get("VariantName") or "",
        model_name=v.get("ModelName"),
        instance_type=v.get("InstanceType"),
        initial_instance_count=v.get("InitialInstanceCount"),
        serverless=bool(v.get("ServerlessConfig")),
        ssm_access=bool(v.get("EnableSSMAccess")),
    )


def _async_output(d: dict[str, Any]) -> AsyncOutput | None:
    if not d.get("AsyncInferenceConfig"):
        return None
    output = dig(d, "AsyncInferenceConfig", "OutputConfig") or {}
    return AsyncOutput(
        s3_output_path=output.get("S3OutputPath"),
        s3_failure_path=output.get("S3FailurePath"),
        kms_key_id=output.get("KmsKeyId"),
    )


def _endpoint_config(identity: Identity, d: dict[str, Any]) -> EndpointConfig:
    capture = d.get("DataCaptureConfig")
    return EndpointConfig(
        **identity,
        kms_key_id=d.get("KmsKeyId"),
        variants=tuple(_config_variant(v) for v in d.get("ProductionVariants") or ()),
        shadow_variants=tuple(_config_variant(v) for v in d.get("ShadowProductionVariants") or ()),
        data_capture=DataCapture(
            enabled=bool(capture.get("EnableCapture", True)),
            destination_s3_uri=capture.get("DestinationS3Uri"),
            kms_key_id=capture.get("KmsKeyId"),
        )
        if capture
        else None,
        async_inference=_async_output(d),
        execution_role_arn=d.get("ExecutionRoleArn"),
        vpc_subnets=tuple(dig(d, "VpcConfig", "Subnets") or ()),
        vpc_security_group_ids=tuple(dig(d, "VpcConfig", "SecurityGroupIds") or ()),
        network_isolation=bool(d.get("EnableNetworkIsolation")),
        creation_time=d.get("CreationTime"),
    )


def _deployment_strategy(deployment: dict[str, Any]) -> str | None:
    """How an endpoint's updates are rolled out, in words; None when no deployment configuration was given."""
    if deployment.get("RollingUpdatePolicy"):
        return "rolling"
    routing = ((deployment.get("BlueGreenUpdatePolicy") or {}).get("TrafficRoutingConfiguration") or {}).get("Type")
    if routing or deployment:
        return f"blue/green ({(routing or 'ALL_AT_ONCE').replace('_', ' ').lower()})"
    return None


def _endpoint(identity: Identity, d: dict[str, Any]) -> Endpoint:
    capture = d.get("DataCaptureConfig")
    deployment = d.get("LastDeploymentConfig") or {}
    return Endpoint(
        **identity,
        status=d.get("EndpointStatus") or "Unknown",
        config_name=d.get("EndpointConfigName"),
        variants=tuple(
            EndpointVariant(
                variant_name=v.get("VariantName") or "",
                current_instance_count=v.get("CurrentInstanceCount"),
                desired_instance_count=v.get("DesiredInstanceCount"),
                serverless=bool(v.get("CurrentServerlessConfig") or v.get("DesiredServerlessConfig")),
            )
            for v in d.get("ProductionVariants") or ()
        ),
        data_capture_enabled=bool(capture.get("EnableCapture")) if capture else None,
        data_capture_status=(capture or {}).get("CaptureStatus"),
        data_capture_kms_key_id=(capture or {}).get("KmsKeyId"),
        is_async=bool(d.get("AsyncInferenceConfig")),
        failure_reason=d.get("FailureReason"),
        creation_time=d.get("CreationTime"),
        deployment_strategy=_deployment_strategy(deployment),
        rollback_alarms=tuple(
            a.get("AlarmName") or "" for a in (deployment.get("AutoRollbackConfiguration") or {}).get("Alarms") or ()
        ),
    )


def _monitoring_schedule(identity: Identity, s: dict[str, Any]) -> MonitoringSchedule:
    return MonitoringSchedule(
        **identity,
        status=s.get("MonitoringScheduleStatus") or "Unknown",
        endpoint_name=s.get("EndpointName"),
        monitoring_type=s.get("MonitoringType"),
    )


def _model_package_group(identity: Identity, g: dict[str, Any]) -> ModelPackageGroup:
    return ModelPackageGroup(
        **identity,
        status=g.get("ModelPackageGroupStatus"),
        creation_time=g.get("CreationTime"),
    )


def _package_identity(ctx: CollectContext, group: ModelPackageGroup, summary: dict[str, Any]) -> Identity:
    version = f"{group.name}/{summary.get('ModelPackageVersion')}"
    return ctx.identity(version, arn=summary.get("ModelPackageArn"))


def _model_package(identity: Identity, p: dict[str, Any], group: ModelPackageGroup) -> ModelPackage:
    return ModelPackage(
        **identity,
        group_name=p.get("ModelPackageGroupName") or group.name,
        version=p.get("ModelPackageVersion"),
        approval_status=p.get("ModelApprovalStatus"),
        status=p.get("ModelPackageStatus"),
        creation_time=p.get("CreationTime"),
    )


def training_cluster(resources: dict[str, Any]) -> dict[str, Any]:
    """A job's instances from its ResourceConfig: its count, the count a training plan selected, or the sum of its
    groups."""
    groups = resources.get("InstanceGroups") or ()
    return {
        "instance_type": first(resources.get("InstanceType"), resources.get("SelectedInstanceType")),
        "instance_count": first(
            resources.get("InstanceCount"),
            resources.get("SelectedInstanceCount"),
            sum(g.get("InstanceCount") or 0 for g in groups),
        ),
        "instance_groups": tuple(
            InstanceGroup(
                name=g.get("InstanceGroupName") or "",
                instance_type=g["InstanceType"],
                instance_count=g.get("InstanceCount") or 0,
            )
            for g in groups
            if g.get("InstanceType")
        ),
        "volume_kms_key_id": resources.get("VolumeKmsKeyId"),
        "keep_alive_seconds": first(resources.get("KeepAlivePeriodInSeconds")),
        "training_plan_arn": resources.get("TrainingPlanArn"),
    }


def _file_system_inputs(channels: list[dict[str, Any]]) -> tuple[FileSystemInput, ...]:
    sources = [dig(channel, "DataSource", "FileSystemDataSource") or {} for channel in channels]
    return tuple(
        FileSystemInput(file_system_id=source["FileSystemId"], file_system_type=source.get("FileSystemType") or "")
        for source in sources
        if source.get("FileSystemId")
    )


def training_configuration(d: dict[str, Any]) -> dict[str, Any]:
    """The fields of a `TrainingConfiguration` from a training job's description or a tuning job's training job
    definition (the two share these shapes, but for their instances: `training_cluster`, or a tuning definition's
    own)."""
    channels = list(d.get("InputDataConfig") or ())
    inputs = [dig(channel, "DataSource", "S3DataSource", "S3Uri") for channel in channels]
    return {
        "role_arn": d.get("RoleArn"),
        "vpc_subnets": tuple(dig(d, "VpcConfig", "Subnets") or ()),
        "vpc_security_group_ids": tuple(dig(d, "VpcConfig", "SecurityGroupIds") or ()),
        "network_isolation": bool(d.get("EnableNetworkIsolation")),
        "inter_container_encryption": bool(d.get("EnableInterContainerTrafficEncryption")),
        "input_s3_uris": tuple(uri for uri in inputs if uri),
        "output_s3_uri": dig(d, "OutputDataConfig", "S3OutputPath"),
        "output_kms_key_id": dig(d, "OutputDataConfig", "KmsKeyId"),
        "spot": bool(d.get("EnableManagedSpotTraining")),
        "checkpoint_s3_uri": dig(d, "CheckpointConfig", "S3Uri"),
        "image": dig(d, "AlgorithmSpecification", "TrainingImage"),
        "file_system_inputs": _file_system_inputs(channels),
        **environment_fields(d.get("Environment")),
    }


def _training_seconds(d: dict[str, Any]) -> int | None:
    """How long a job trained: AWS's count once it has ended, else from its start and end times."""
    start, end = d.get("TrainingStartTime"), d.get("TrainingEndTime")
    measured = int((end - start).total_seconds()) if start and end else None
    return first(d.get("TrainingTimeInSeconds"), measured)


def _debugger_rules(d: dict[str, Any]) -> tuple[str, ...]:
    rules = [*(d.get("DebugRuleConfigurations") or ()), *(d.get("ProfilerRuleConfigurations") or ())]
    return tuple(rule.get("RuleConfigurationName") or "(unnamed)" for rule in rules)


def _training_job(identity: Identity, d: dict[str, Any]) -> TrainingJob:
    experiment = d.get("ExperimentConfig") or {}
    return TrainingJob(
        **identity,
        **training_configuration(d),
        **training_cluster(d.get("ResourceConfig") or {}),
        status=d.get("TrainingJobStatus") or "Unknown",
        creation_time=d.get("CreationTime"),
        experiment_name=experiment.get("ExperimentName"),
        trial_name=experiment.get("TrialName"),
        mlflow_resource_arn=(d.get("MlflowConfig") or {}).get("MlflowResourceArn"),
        launched_by=d.get("TuningJobArn") or d.get("AutoMLJobArn") or d.get("LabelingJobArn") or None,
        training_seconds=_training_seconds(d),
        debugger_rules=_debugger_rules(d),
        tensorboard_s3_uri=dig(d, "TensorBoardOutputConfig", "S3OutputPath"),
    )


COLLECTORS = (
    PartCollector(
        NotebookInstance,
        ListThenDescribe(
            Operation("sagemaker:ListNotebookInstances"),
            "NotebookInstances",
            Operation("sagemaker:DescribeNotebookInstance"),
            Listed(id="NotebookInstanceName", arn="NotebookInstanceArn"),
            _notebook,
        ),
    ),
    PartCollector(
        Model,
        # A model cannot change once created, and Search's record of it has every field read: 100 a page.
        ListThenSearch(
            Operation("sagemaker:ListModels"),
            "Models",
            Operation("sagemaker:DescribeModel"),
            Listed(id="ModelName", arn="ModelArn"),
            _model,
        ),
    ),
    PartCollector(
        EndpointConfig,
        ListThenDescribe(
            Operation("sagemaker:ListEndpointConfigs"),
            "EndpointConfigs",
            Operation("sagemaker:DescribeEndpointConfig"),
            Listed(id="EndpointConfigName", arn="EndpointConfigArn"),
            _endpoint_config,
        ),
    ),
    PartCollector(
        Endpoint,
        ListThenDescribe(
            Operation("sagemaker:ListEndpoints"),
            "Endpoints",
            Operation("sagemaker:DescribeEndpoint"),
            Listed(id="EndpointName", arn="EndpointArn"),
            _endpoint,
        ),
    ),
    PartCollector(
        MonitoringSchedule,
        ListOnly(
            Operation("sagemaker:ListMonitoringSchedules"),
            "MonitoringScheduleSummaries",
            Listed(id="MonitoringScheduleName", arn="MonitoringScheduleArn"),
            _monitoring_schedule,
        ),
    ),
    PartCollector(
        ModelPackageGroup,
        ListOnly(
            Operation("sagemaker:ListModelPackageGroups"),
            "ModelPackageGroupSummaryList",
            Listed(id="ModelPackageGroupName", arn="ModelPackageGroupArn"),
            _model_package_group,
        ),
    ),
    PartCollector(
        ModelPackage,
        # Versioned packages, group by group: listing without a group returns only unversioned packages.
        ListPerRecord(
            ModelPackageGroup,
            Operation("sagemaker:ListModelPackages"),
            "ModelPackageSummaryList",
            params=lambda group: {"ModelPackageGroupName": group.name, "ModelPackageType": "Versioned"},
            identify=_package_identity,
            build=_model_package,
            parent_key=lambda group: group.name,
            child_key=lambda package: package.group_name,
        ),
    ),
    PartCollector(
        TrainingJob,
        ListThenDescribe(
            Operation("sagemaker:ListTrainingJobs"),
            "TrainingJobSummaries",
            Operation("sagemaker:DescribeTrainingJob"),
            Listed(id="TrainingJobName", arn="TrainingJobArn"),
            _training_job,
            list_params=created_since,
        ),
        history=LOOKBACK,
    ),
)
