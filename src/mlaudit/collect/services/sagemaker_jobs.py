"""Collectors for processing, batch transform and hyperparameter tuning jobs: listed within the scan's lookback
window (`CreationTimeAfter`), then described one by one (tuning jobs: read from Search's records, 100 a page). The
job history is never walked."""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.answers import dig, first
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListThenDescribe, ListThenSearch, created_since
from mlaudit.collect.engine.spec import LOOKBACK, PartCollector
from mlaudit.collect.services.sagemaker import environment_fields, training_cluster, training_configuration
from mlaudit.inventory import Identity
from mlaudit.inventory.sagemaker_jobs import (
    HyperParameterTuningJob,
    ProcessingJob,
    TransformJob,
    TuningTrainingDefinition,
)


def _processing_job(identity: Identity, d: dict[str, Any]) -> ProcessingJob:
    cluster = dig(d, "ProcessingResources", "ClusterConfig") or {}
    inputs = [dig(i, "S3Input", "S3Uri") for i in d.get("ProcessingInputs") or ()]
    outputs = [dig(o, "S3Output", "S3Uri") for o in dig(d, "ProcessingOutputConfig", "Outputs") or ()]
    network = d.get("NetworkConfig") or {}
    return ProcessingJob(
        **identity,
        status=d.get("ProcessingJobStatus") or "Unknown",
        creation_time=d.get("CreationTime"),
        role_arn=d.get("RoleArn"),
        image_uri=dig(d, "AppSpecification", "ImageUri"),
        instance_type=first(cluster.get("InstanceType"), cluster.get("SelectedInstanceType")),
        instance_count=cluster.get("InstanceCount"),
        input_s3_uris=tuple(uri for uri in inputs if uri),
        output_s3_uris=tuple(uri for uri in outputs if uri),
        output_kms_key_id=dig(d, "ProcessingOutputConfig", "KmsKeyId"),
        volume_kms_key_id=cluster.get("VolumeKmsKeyId"),
        network_isolation=bool(network.get("EnableNetworkIsolation")),
        inter_container_encryption=bool(network.get("EnableInterContainerTrafficEncryption")),
        vpc_subnets=tuple(dig(network, "VpcConfig", "Subnets") or ()),
        vpc_security_group_ids=tuple(dig(network, "VpcConfig", "SecurityGroupIds") or ()),
        **environment_fields(d.get("Environment")),
        launched_by=first(d.get("MonitoringScheduleArn"), d.get("AutoMLJobArn"), d.get("TrainingJobArn")),
    )


def _transform_job(identity: Identity, d: dict[str, Any]) -> TransformJob:
    output = d.get("TransformOutput") or {}
    resources = d.get("TransformResources") or {}
    capture = d.get("DataCaptureConfig") or {}
    source = ((d.get("TransformInput") or {}).get("DataSource") or {}).get("S3DataSource") or {}
    return TransformJob(
        **identity,
        status=d.get("TransformJobStatus") or "Unknown",
        creation_time=d.get("CreationTime"),
        model_name=d.get("ModelName"),
        instance_type=resources.get("InstanceType"),
        input_s3_uri=source.get("S3Uri"),
        output_s3_uri=output.get("S3OutputPath"),
        output_kms_key_id=output.get("KmsKeyId"),
        volume_kms_key_id=resources.get("VolumeKmsKeyId"),
        capture_s3_uri=capture.get("DestinationS3Uri"),
        capture_kms_key_id=capture.get("KmsKeyId"),
    )


def _tuning_job(identity: Identity, d: dict[str, Any]) -> HyperParameterTuningJob:
    definitions = (
        [d["TrainingJobDefinition"]] if d.get("TrainingJobDefinition") else list(d.get("TrainingJobDefinitions") or ())
    )
    config = d.get("HyperParameterTuningJobConfig") or {}
    return HyperParameterTuningJob(
        **identity,
        status=d.get("HyperParameterTuningJobStatus") or "Unknown",
        creation_time=d.get("CreationTime"),
        strategy=config.get("Strategy"),
        early_stopping=config.get("TrainingJobEarlyStoppingType"),
        definitions=tuple(
            TuningTrainingDefinition(
                name=definition.get("DefinitionName"), **training_configuration(definition), **_cluster(definition)
            )
            for definition in definitions
        ),
    )


def _cluster(definition: dict[str, Any]) -> dict[str, Any]:
    """A tuning definition's instances: its ResourceConfig, as a training job's, or its
    HyperParameterTuningResourceConfig (the first of its alternative instance configurations, the largest count)."""
    resources = definition.get("ResourceConfig")
    if resources:
        return training_cluster(resources)
    tuning = definition.get("HyperParameterTuningResourceConfig") or {}
    alternatives = tuning.get("InstanceConfigs") or [{}]
    return {
        "instance_type": first(tuning.get("InstanceType"), alternatives[0].get("InstanceType")),
        "instance_count": first(tuning.get("InstanceCount"), max(c.get("InstanceCount") or 0 for c in alternatives)),
        "volume_kms_key_id": tuning.get("VolumeKmsKeyId"),
    }


COLLECTORS = (
    PartCollector(
        ProcessingJob,
        ListThenDescribe(
            Operation("sagemaker:ListProcessingJobs"),
            "ProcessingJobSummaries",
            Operation("sagemaker:DescribeProcessingJob"),
            Listed(id="ProcessingJobName", arn="ProcessingJobArn"),
            _processing_job,
            list_params=created_since,
        ),
        history=LOOKBACK,
    ),
    PartCollector(
        TransformJob,
        ListThenDescribe(
            Operation("sagemaker:ListTransformJobs"),
            "TransformJobSummaries",
            Operation("sagemaker:DescribeTransformJob"),
            Listed(id="TransformJobName", arn="TransformJobArn"),
            _transform_job,
            list_params=created_since,
        ),
        history=LOOKBACK,
    ),
    PartCollector(
        HyperParameterTuningJob,
        # Its configuration cannot change once created; its status can, and Search's record is taken only when it
        # agrees with the list's.
        ListThenSearch(
            Operation("sagemaker:ListHyperParameterTuningJobs"),
            "HyperParameterTuningJobSummaries",
            Operation("sagemaker:DescribeHyperParameterTuningJob"),
            Listed(id="HyperParameterTuningJobName", arn="HyperParameterTuningJobArn"),
            _tuning_job,
            fresh=("HyperParameterTuningJobStatus", "LastModifiedTime"),
            lookback=True,
        ),
        history=LOOKBACK,
    ),
)
