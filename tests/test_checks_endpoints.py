"""SM-ENDPOINT-* checks against endpoints, configs, models, schedules and scaling targets created in moto."""

from __future__ import annotations

import boto3

from support import ROLE_ARN, create_endpoint, create_model, scan, verdicts
from mlaudit.taxonomy import Status

DIMENSION = "sagemaker:variant:DesiredInstanceCount"


def _schedule(session: boto3.Session, name: str, endpoint: str, stopped: bool = False) -> None:
    sagemaker = session.client("sagemaker")
    sagemaker.create_monitoring_schedule(
        MonitoringScheduleName=name,
        MonitoringScheduleConfig={
            "MonitoringType": "DataQuality",
            "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
            "MonitoringJobDefinition": {
                "MonitoringInputs": [{"EndpointInput": {"EndpointName": endpoint, "LocalPath": "/opt/ml/processing/input"}}],
                "MonitoringOutputConfig": {"MonitoringOutputs": [{"S3Output": {"S3Uri": "s3://b/o", "LocalPath": "/opt/ml/processing/output"}}]},
                "MonitoringResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}},
                "MonitoringAppSpecification": {"ImageUri": "monitor:latest"},
                "RoleArn": ROLE_ARN,
            },
        },
    )
    if stopped:
        sagemaker.stop_monitoring_schedule(MonitoringScheduleName=name)


def _scaling(session: boto3.Session, endpoint: str, minimum: int, maximum: int, policy: bool = True) -> None:
    aas = session.client("application-autoscaling")
    target = {"ServiceNamespace": "sagemaker", "ResourceId": f"endpoint/{endpoint}/variant/AllTraffic", "ScalableDimension": DIMENSION}
    aas.register_scalable_target(**target, MinCapacity=minimum, MaxCapacity=maximum)
    if policy:
        aas.put_scaling_policy(
            **target,
            PolicyName=f"{endpoint}-policy",
            PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration={
                "TargetValue": 70.0,
                "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"},
            },
        )


def test_endpoint_config_kms(aws: boto3.Session) -> None:
    create_model(aws, "m")
    create_endpoint(aws, "pass-kms", "m", KmsKeyId="arn:aws:kms:us-east-1:123456789012:key/abc")
    create_endpoint(aws, "fail-no-kms", "m")
    create_endpoint(aws, "na-serverless", "m", instance_type=None)
    create_endpoint(aws, "na-nvme", "m", instance_type="ml.g4dn.xlarge")

    report = scan(aws, ["SM-ENDPOINT-001"])

    assert verdicts(report, "SM-ENDPOINT-001") == {"pass-kms-config": Status.PASS, "fail-no-kms-config": Status.FAIL}


def test_model_monitor(aws: boto3.Session) -> None:
    create_model(aws, "m")
    create_endpoint(aws, "pass-monitored", "m")
    create_endpoint(aws, "fail-unmonitored", "m")
    create_endpoint(aws, "fail-stopped-monitor", "m")
    create_endpoint(aws, "na-serverless", "m", instance_type=None)
    _schedule(aws, "pass-monitored-dq", "pass-monitored")
    _schedule(aws, "stopped-dq", "fail-stopped-monitor", stopped=True)

    report = scan(aws, ["endpoint-no-model-monitor"])

    assert verdicts(report, "SM-ENDPOINT-004") == {
        "pass-monitored": Status.PASS,
        "fail-unmonitored": Status.FAIL,
        "fail-stopped-monitor": Status.FAIL,
    }
    stopped = next(f for f in report.findings if f.resource_name == "fail-stopped-monitor")
    assert "stopped-dq is Stopped" in stopped.status_detail


def test_autoscaling(aws: boto3.Session) -> None:
    create_model(aws, "m")
    for name in ("pass-scaling", "fail-no-target", "fail-no-policy", "fail-fixed", "na-serverless"):
        create_endpoint(aws, name, "m", instance_type=None if name.startswith("na") else "ml.m5.xlarge")
    _scaling(aws, "pass-scaling", 2, 6)
    _scaling(aws, "fail-no-policy", 2, 6, policy=False)
    _scaling(aws, "fail-fixed", 2, 2)

    report = scan(aws, ["SM-ENDPOINT-005"])

    assert verdicts(report, "SM-ENDPOINT-005") == {
        "pass-scaling": Status.PASS,
        "fail-no-target": Status.FAIL,
        "fail-no-policy": Status.FAIL,
        "fail-fixed": Status.FAIL,
    }


def test_endpoint_outside_vpc(aws: boto3.Session) -> None:
    create_model(aws, "in-vpc", in_vpc=True)
    create_model(aws, "public")
    create_endpoint(aws, "pass-vpc", "in-vpc")
    create_endpoint(aws, "fail-public", "public")

    report = scan(aws, ["SM-ENDPOINT-011"])

    assert verdicts(report, "SM-ENDPOINT-011") == {"pass-vpc": Status.PASS, "fail-public": Status.FAIL}
    assert "public (variant AllTraffic)" in next(f.status_detail for f in report.findings if f.resource_name == "fail-public")


def test_endpoint_whose_config_was_deleted_is_an_error_not_a_verdict(aws: boto3.Session) -> None:
    create_model(aws, "in-vpc", in_vpc=True)
    create_endpoint(aws, "orphan", "in-vpc")
    aws.client("sagemaker").delete_endpoint_config(EndpointConfigName="orphan-config")

    report = scan(aws, ["SM-ENDPOINT-011"])

    assert verdicts(report, "SM-ENDPOINT-011") == {"orphan": Status.ERROR}
    assert "no longer exists" in report.findings[0].status_detail
