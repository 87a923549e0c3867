"""Collectors for processing, batch transform and hyperparameter tuning jobs: listed within the scan's lookback
window (`CreationTimeAfter`), then described one by one. The job history is never walked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.patterns import ListThenDescribe
from mlaudit.collect.engine.spec import LOOKBACK, PartCollector
from mlaudit.collect.services.sagemaker import _identity, training_configuration
from mlaudit.inventory.sagemaker_jobs import (
    HyperParameterTuningJob,
    ProcessingJob,
    TransformJob,
    TuningTrainingDefinition,
)


def _within_lookback(ctx: CollectContext) -> dict[str, datetime]:
    return {"CreationTimeAfter": ctx.since}


def _processing_job(ctx: CollectContext, d: dict[str, Any]) -> ProcessingJob:
    cluster = (d.get("ProcessingResources") or {}).get("ClusterConfig") or {}
    outputs = d.get("ProcessingOutputConfig") or {}
    inputs = [(i.get("S3Input") or {}).get("S3Uri") for i in d.get("ProcessingInputs") or ()]
    output_uris = [(o.get("S3Output") or {}).get("S3Uri") for o in outputs.get("Outputs") or ()]
    return ProcessingJob(
        **_identity(ctx, d, "ProcessingJobArn", "ProcessingJobName", "processing-job"),
        status=d.get("ProcessingJobStatus") or "Unknown",
        creation_time=d.get("CreationTime"),
        role_arn=d.get("RoleArn"),
        instance_type=cluster.get("InstanceType") or cluster.get("SelectedInstanceType"),
        input_s3_uris=tuple(uri for uri in inputs if uri),
        output_s3_uris=tuple(uri for uri in output_uris if uri),
        output_kms_key_id=outputs.get("KmsKeyId"),
        volume_kms_key_id=cluster.get("VolumeKmsKeyId"),
        network_isolation=bool((d.get("NetworkConfig") or {}).get("EnableNetworkIsolation")),
        launched_by=d.get("MonitoringScheduleArn") or d.get("AutoMLJobArn") or d.get("TrainingJobArn") or None,
    )


def _transform_job(ctx: CollectContext, d: dict[str, Any]) -> TransformJob:
    output = d.get("TransformOutput") or {}
    resources = d.get("TransformResources") or {}
    capture = d.get("DataCaptureConfig") or {}
    source = ((d.get("TransformInput") or {}).get("DataSource") or {}).get("S3DataSource") or {}
    return TransformJob(
        **_identity(ctx, d, "TransformJobArn", "TransformJobName", "transform-job"),
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


def _tuning_job(ctx: CollectContext, d: dict[str, Any]) -> HyperParameterTuningJob:
    definitions = (
        [d["TrainingJobDefinition"]] if d.get("TrainingJobDefinition") else list(d.get("TrainingJobDefinitions") or ())
    )
    return HyperParameterTuningJob(
        **_identity(ctx, d, "HyperParameterTuningJobArn", "HyperParameterTuningJobName", "hyper-parameter-tuning-job"),
        status=d.get("HyperParameterTuningJobStatus") or "Unknown",
        creation_time=d.get("CreationTime"),
        definitions=tuple(
            TuningTrainingDefinition(name=definition.get("DefinitionName"), **training_configuration(definition))
            for definition in definitions
        ),
    )


COLLECTORS = (
    PartCollector(
        ProcessingJob,
        ("sagemaker:ListProcessingJobs", "sagemaker:DescribeProcessingJob"),
        ListThenDescribe(
            "list_processing_jobs",
            "ProcessingJobSummaries",
            "ProcessingJobName",
            "ProcessingJobArn",
            "describe_processing_job",
            _processing_job,
            list_params=_within_lookback,
        ),
        history=LOOKBACK,
    ),
    PartCollector(
        TransformJob,
        ("sagemaker:ListTransformJobs", "sagemaker:DescribeTransformJob"),
        ListThenDescribe(
            "list_transform_jobs",
            "TransformJobSummaries",
            "TransformJobName",
            "TransformJobArn",
            "describe_transform_job",
            _transform_job,
            list_params=_within_lookback,
        ),
        history=LOOKBACK,
    ),
    PartCollector(
        HyperParameterTuningJob,
        ("sagemaker:ListHyperParameterTuningJobs", "sagemaker:DescribeHyperParameterTuningJob"),
        ListThenDescribe(
            "list_hyper_parameter_tuning_jobs",
            "HyperParameterTuningJobSummaries",
            "HyperParameterTuningJobName",
            "HyperParameterTuningJobArn",
            "describe_hyper_parameter_tuning_job",
            _tuning_job,
            list_params=_within_lookback,
        ),
        history=LOOKBACK,
    ),
)
