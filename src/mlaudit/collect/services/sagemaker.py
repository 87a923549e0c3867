"""SageMaker collectors: each part is a list call, usually followed by one describe call per resource.

Training jobs are bounded by the scan's lookback window (`CreationTimeAfter`): the job history is never walked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.patterns import ListOnly, ListThenDescribe
from mlaudit.collect.engine.spec import LOOKBACK, PartCollector
from mlaudit.core.secrets import variable_kind
from mlaudit.inventory import (
    ConfigVariant,
    DataCapture,
    Endpoint,
    EndpointConfig,
    EndpointVariant,
    Model,
    ModelContainer,
    ModelPackage,
    ModelPackageGroup,
    MonitoringSchedule,
    NotebookInstance,
    TrainingJob,
)
from mlaudit.inventory.sagemaker import SecretVariable


def _identity(ctx: CollectContext, data: dict[str, Any], arn_field: str, name_field: str, kind: str) -> dict[str, str]:
    """ARN, name, account and region of a record; the ARN is derived if a response lacks it."""
    name = str(data.get(name_field) or "")
    arn = data.get(arn_field) or f"arn:{ctx.partition}:sagemaker:{ctx.region}:{ctx.account_id}:{kind}/{name.lower()}"
    return {"arn": arn, "name": name, "account_id": ctx.account_id, "region": ctx.region}


def _notebook(ctx: CollectContext, d: dict[str, Any]) -> NotebookInstance:
    imds = d.get("InstanceMetadataServiceConfiguration") or {}
    return NotebookInstance(
        **_identity(ctx, d, "NotebookInstanceArn", "NotebookInstanceName", "notebook-instance"),
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


def _container(c: dict[str, Any]) -> ModelContainer:
    environment = c.get("Environment") or {}
    classified = ((name, variable_kind(name, str(value))) for name, value in sorted(environment.items()))
    return ModelContainer(
        image=c.get("Image"),
        model_data_url=c.get("ModelDataUrl"),
        model_package_name=c.get("ModelPackageName"),
        image_repository_access_mode=(c.get("ImageConfig") or {}).get("RepositoryAccessMode"),
        environment_keys=tuple(sorted(environment)),
        environment_secrets=tuple(SecretVariable(name=name, kind=kind) for name, kind in classified if kind),
    )


def _model(ctx: CollectContext, d: dict[str, Any]) -> Model:
    containers = [d["PrimaryContainer"]] if d.get("PrimaryContainer") else list(d.get("Containers") or [])
    vpc = d.get("VpcConfig") or {}
    return Model(
        **_identity(ctx, d, "ModelArn", "ModelName", "model"),
        execution_role_arn=d.get("ExecutionRoleArn"),
        containers=tuple(_container(c) for c in containers),
        vpc_subnets=tuple(vpc.get("Subnets") or ()),
        vpc_security_group_ids=tuple(vpc.get("SecurityGroupIds") or ()),
        network_isolation=bool(d.get("EnableNetworkIsolation")),
        creation_time=d.get("CreationTime"),
    )


def _endpoint_config(ctx: CollectContext, d: dict[str, Any]) -> EndpointConfig:
    capture = d.get("DataCaptureConfig")
    return EndpointConfig(
        **_identity(ctx, d, "EndpointConfigArn", "EndpointConfigName", "endpoint-config"),
        kms_key_id=d.get("KmsKeyId"),
        variants=tuple(
            ConfigVariant(
                variant_name=v.get("VariantName") or "",
                model_name=v.get("ModelName"),
                instance_type=v.get("InstanceType"),
                initial_instance_count=v.get("InitialInstanceCount"),
                serverless=bool(v.get("ServerlessConfig")),
            )
            for v in d.get("ProductionVariants") or ()
        ),
        data_capture=DataCapture(
            enabled=bool(capture.get("EnableCapture", True)),
            destination_s3_uri=capture.get("DestinationS3Uri"),
            kms_key_id=capture.get("KmsKeyId"),
        )
        if capture
        else None,
        async_output_s3_uri=((d.get("AsyncInferenceConfig") or {}).get("OutputConfig") or {}).get("S3OutputPath"),
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


def _endpoint(ctx: CollectContext, d: dict[str, Any]) -> Endpoint:
    capture = d.get("DataCaptureConfig")
    deployment = d.get("LastDeploymentConfig") or {}
    return Endpoint(
        **_identity(ctx, d, "EndpointArn", "EndpointName", "endpoint"),
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


def _monitoring_schedule(ctx: CollectContext, s: dict[str, Any]) -> MonitoringSchedule:
    return MonitoringSchedule(
        **_identity(ctx, s, "MonitoringScheduleArn", "MonitoringScheduleName", "monitoring-schedule"),
        status=s.get("MonitoringScheduleStatus") or "Unknown",
        endpoint_name=s.get("EndpointName"),
        monitoring_type=s.get("MonitoringType"),
    )


def _model_package_group(ctx: CollectContext, g: dict[str, Any]) -> ModelPackageGroup:
    return ModelPackageGroup(
        **_identity(ctx, g, "ModelPackageGroupArn", "ModelPackageGroupName", "model-package-group"),
        status=g.get("ModelPackageGroupStatus"),
        creation_time=g.get("CreationTime"),
    )


def _model_packages(ctx: CollectContext) -> Iterator[ModelPackage]:
    """Versioned packages, group by group (listing without a group returns only unversioned packages)."""
    groups = ctx.dependency(ModelPackageGroup)

    def versions(group_record: ModelPackageGroup) -> list[ModelPackage]:
        group = group_record.name
        return [
            ModelPackage(
                **_identity(
                    ctx,
                    {"Name": f"{group}/{p.get('ModelPackageVersion')}", **p},
                    "ModelPackageArn",
                    "Name",
                    "model-package",
                ),
                group_name=p.get("ModelPackageGroupName") or group,
                version=p.get("ModelPackageVersion"),
                approval_status=p.get("ModelApprovalStatus"),
                status=p.get("ModelPackageStatus"),
                creation_time=p.get("CreationTime"),
            )
            for p in ctx.paginate(
                "list_model_packages",
                "ModelPackageSummaryList",
                ModelPackageGroupName=group,
                ModelPackageType="Versioned",
            )
        ]

    for batch in ctx.fan_out(groups, versions, identify=lambda g: (g.name, g.arn)):
        yield from batch


def training_configuration(d: dict[str, Any]) -> dict[str, Any]:
    """The fields of a `TrainingConfiguration` from a training job's description or a tuning job's training job
    definition (the two share these shapes)."""
    resources = d.get("ResourceConfig") or {}
    output = d.get("OutputDataConfig") or {}
    inputs = [
        ((channel.get("DataSource") or {}).get("S3DataSource") or {}).get("S3Uri")
        for channel in d.get("InputDataConfig") or ()
    ]
    groups = resources.get("InstanceGroups") or ()
    return {
        "role_arn": d.get("RoleArn"),
        "instance_type": resources.get("InstanceType") or resources.get("SelectedInstanceType"),
        "instance_count": resources.get("InstanceCount")
        or resources.get("SelectedInstanceCount")
        or sum(g.get("InstanceCount") or 0 for g in groups)
        or None,
        "vpc_subnets": tuple((d.get("VpcConfig") or {}).get("Subnets") or ()),
        "vpc_security_group_ids": tuple((d.get("VpcConfig") or {}).get("SecurityGroupIds") or ()),
        "network_isolation": bool(d.get("EnableNetworkIsolation")),
        "inter_container_encryption": bool(d.get("EnableInterContainerTrafficEncryption")),
        "input_s3_uris": tuple(uri for uri in inputs if uri),
        "output_s3_uri": output.get("S3OutputPath"),
        "output_kms_key_id": output.get("KmsKeyId"),
        "volume_kms_key_id": resources.get("VolumeKmsKeyId"),
        "spot": bool(d.get("EnableManagedSpotTraining")),
        "checkpoint_s3_uri": (d.get("CheckpointConfig") or {}).get("S3Uri"),
        "keep_alive_seconds": resources.get("KeepAlivePeriodInSeconds") or None,
        "training_plan_arn": resources.get("TrainingPlanArn"),
    }


def _training_job(ctx: CollectContext, d: dict[str, Any]) -> TrainingJob:
    experiment = d.get("ExperimentConfig") or {}
    return TrainingJob(
        **_identity(ctx, d, "TrainingJobArn", "TrainingJobName", "training-job"),
        **training_configuration(d),
        status=d.get("TrainingJobStatus") or "Unknown",
        creation_time=d.get("CreationTime"),
        experiment_name=experiment.get("ExperimentName"),
        trial_name=experiment.get("TrialName"),
        mlflow_resource_arn=(d.get("MlflowConfig") or {}).get("MlflowResourceArn"),
        launched_by=d.get("TuningJobArn") or d.get("AutoMLJobArn") or d.get("LabelingJobArn") or None,
    )


COLLECTORS = (
    PartCollector(
        NotebookInstance,
        ("sagemaker:ListNotebookInstances", "sagemaker:DescribeNotebookInstance"),
        ListThenDescribe(
            "list_notebook_instances",
            "NotebookInstances",
            "NotebookInstanceName",
            "NotebookInstanceArn",
            "describe_notebook_instance",
            _notebook,
        ),
    ),
    PartCollector(
        Model,
        ("sagemaker:ListModels", "sagemaker:DescribeModel"),
        ListThenDescribe("list_models", "Models", "ModelName", "ModelArn", "describe_model", _model),
    ),
    PartCollector(
        EndpointConfig,
        ("sagemaker:ListEndpointConfigs", "sagemaker:DescribeEndpointConfig"),
        ListThenDescribe(
            "list_endpoint_configs",
            "EndpointConfigs",
            "EndpointConfigName",
            "EndpointConfigArn",
            "describe_endpoint_config",
            _endpoint_config,
        ),
    ),
    PartCollector(
        Endpoint,
        ("sagemaker:ListEndpoints", "sagemaker:DescribeEndpoint"),
        ListThenDescribe("list_endpoints", "Endpoints", "EndpointName", "EndpointArn", "describe_endpoint", _endpoint),
    ),
    PartCollector(
        MonitoringSchedule,
        ("sagemaker:ListMonitoringSchedules",),
        ListOnly("list_monitoring_schedules", "MonitoringScheduleSummaries", _monitoring_schedule),
    ),
    PartCollector(
        ModelPackageGroup,
        ("sagemaker:ListModelPackageGroups",),
        ListOnly("list_model_package_groups", "ModelPackageGroupSummaryList", _model_package_group),
    ),
    PartCollector(
        ModelPackage,
        ("sagemaker:ListModelPackages",),
        _model_packages,
        depends_on=(ModelPackageGroup,),
    ),
    PartCollector(
        TrainingJob,
        ("sagemaker:ListTrainingJobs", "sagemaker:DescribeTrainingJob"),
        ListThenDescribe(
            "list_training_jobs",
            "TrainingJobSummaries",
            "TrainingJobName",
            "TrainingJobArn",
            "describe_training_job",
            _training_job,
            list_params=lambda ctx: {"CreationTimeAfter": ctx.since},
        ),
        history=LOOKBACK,
    ),
)
