"""Request bodies for the ML lifecycle's resources (Model Monitor, Feature Store, Pipelines), in the shapes the
SageMaker API takes; shared by the demo estate and the tests so both create resources the same way."""

from __future__ import annotations

import json
from typing import Any

MONITOR_INPUT = "/opt/ml/processing/input"
MONITOR_OUTPUT = "/opt/ml/processing/output"
HOURLY = {"ScheduleExpression": "cron(0 * ? * * *)"}
PIPELINE_DEFINITION = json.dumps({"Version": "2020-12-01", "Parameters": [], "Steps": []})
"""A pipeline definition with no steps: enough for moto, which runs nothing."""


def network_config(isolation: bool, encryption: bool) -> dict[str, bool]:
    return {"EnableNetworkIsolation": isolation, "EnableInterContainerTrafficEncryption": encryption}


def _outputs(output_uri: str, kms_key: str | None = None) -> dict[str, Any]:
    outputs: dict[str, Any] = {"MonitoringOutputs": [{"S3Output": {"S3Uri": output_uri, "LocalPath": MONITOR_OUTPUT}}]}
    return {**outputs, "KmsKeyId": kms_key} if kms_key else outputs


def _resources(instances: int, kms_key: str | None = None, instance_type: str = "ml.m5.large") -> dict[str, Any]:
    cluster: dict[str, Any] = {"InstanceCount": instances, "InstanceType": instance_type, "VolumeSizeInGB": 20}
    return {"ClusterConfig": {**cluster, "VolumeKmsKeyId": kms_key} if kms_key else cluster}


def inline_schedule_config(
    kind: str,
    endpoint: str,
    role_arn: str,
    image: str,
    output_uri: str,
    network: dict[str, bool] | None = None,
    kms_key: str | None = None,
) -> dict[str, Any]:
    """A schedule config that carries its job definition inline (what the SageMaker Python SDK's data-quality
    monitor creates); `kms_key` encrypts its reports and storage volume."""
    definition: dict[str, Any] = {
        "MonitoringInputs": [{"EndpointInput": {"EndpointName": endpoint, "LocalPath": MONITOR_INPUT}}],
        "MonitoringOutputConfig": _outputs(output_uri, kms_key),
        "MonitoringResources": _resources(1, kms_key),
        "MonitoringAppSpecification": {"ImageUri": image},
        "RoleArn": role_arn,
    }
    if network:
        definition["NetworkConfig"] = network
    return {"MonitoringType": kind, "ScheduleConfig": HOURLY, "MonitoringJobDefinition": definition}


def named_schedule_config(kind: str, definition_name: str) -> dict[str, Any]:
    """A schedule config that runs a job definition created beforehand."""
    return {"MonitoringType": kind, "ScheduleConfig": HOURLY, "MonitoringJobDefinitionName": definition_name}


def create_job_definition(
    sagemaker: Any,
    kind: str,
    name: str,
    endpoint: str,
    role_arn: str,
    image: str,
    output_uri: str,
    network: dict[str, bool] | None = None,
    instances: int = 1,
    *,
    kms_key: str | None = None,
    instance_type: str = "ml.m5.large",
) -> None:
    """Create a DataQuality, ModelQuality, ModelBias or ModelExplainability job definition for an endpoint: each
    kind has its own operation and names its sections after itself (`ModelBiasJobInput`...); `kms_key` encrypts
    its reports and storage volume."""
    job_input: dict[str, Any] = {"EndpointInput": {"EndpointName": endpoint, "LocalPath": MONITOR_INPUT}}
    app: dict[str, Any] = {"ImageUri": image}
    if kind in ("ModelQuality", "ModelBias"):
        job_input["GroundTruthS3Input"] = {"S3Uri": f"{output_uri}ground-truth/"}
    if kind in ("ModelBias", "ModelExplainability"):
        app["ConfigUri"] = f"{output_uri}analysis_config.json"
    extra = {"NetworkConfig": network} if network else {}
    create = {
        "DataQuality": sagemaker.create_data_quality_job_definition,
        "ModelQuality": sagemaker.create_model_quality_job_definition,
        "ModelBias": sagemaker.create_model_bias_job_definition,
        "ModelExplainability": sagemaker.create_model_explainability_job_definition,
    }[kind]
    create(
        JobDefinitionName=name,
        RoleArn=role_arn,
        JobResources=_resources(instances, kms_key, instance_type),
        **{
            f"{kind}AppSpecification": app,
            f"{kind}JobInput": job_input,
            f"{kind}JobOutputConfig": _outputs(output_uri, kms_key),
        },
        **extra,
    )


def feature_group_request(
    name: str,
    role_arn: str,
    offline_uri: str | None = None,
    offline_key: str | None = None,
    online_key: str | None = None,
    online_storage: str | None = None,
    tags: dict[str, str] | None = None,
) -> dict[str, Any]:
    """create_feature_group parameters: an offline store when `offline_uri` is given, an online store when
    `online_storage` is (Standard or InMemory)."""
    request: dict[str, Any] = {
        "FeatureGroupName": name,
        "RecordIdentifierFeatureName": "entity_id",
        "EventTimeFeatureName": "event_time",
        "FeatureDefinitions": [
            {"FeatureName": "entity_id", "FeatureType": "String"},
            {"FeatureName": "event_time", "FeatureType": "String"},
            {"FeatureName": "amount_7d_mean", "FeatureType": "Fractional"},
        ],
        "RoleArn": role_arn,
    }
    if tags:
        request["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    if offline_uri:
        request["OfflineStoreConfig"] = {
            "S3StorageConfig": {"S3Uri": offline_uri, **({"KmsKeyId": offline_key} if offline_key else {})}
        }
    if online_storage:
        online: dict[str, Any] = {"EnableOnlineStore": True, "StorageType": online_storage}
        if online_key:
            online["SecurityConfig"] = {"KmsKeyId": online_key}
        request["OnlineStoreConfig"] = online
    return request
