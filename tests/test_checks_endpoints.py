"""SM-ENDPOINT-* checks against endpoints, configs, models, schedules and scaling targets created in moto."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from mlaudit.core.taxonomy import Status
from mlaudit.demo.moto_extensions.sagemaker_inference import set_endpoint_state
from mlaudit.report.model import Report
from support import ACCOUNT_ID, ROLE_ARN, create_endpoint, create_model, refuse, scan, verdicts

DIMENSION = "sagemaker:variant:DesiredInstanceCount"


def _detail(report: Report, resource_name: str) -> str:
    return next(f.status_detail for f in report.findings if f.resource_name == resource_name)


def _schedule(session: boto3.Session, name: str, endpoint: str, stopped: bool = False) -> None:
    sagemaker = session.client("sagemaker")
    sagemaker.create_monitoring_schedule(
        MonitoringScheduleName=name,
        MonitoringScheduleConfig={
            "MonitoringType": "DataQuality",
            "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
            "MonitoringJobDefinition": {
                "MonitoringInputs": [
                    {"EndpointInput": {"EndpointName": endpoint, "LocalPath": "/opt/ml/processing/input"}}
                ],
                "MonitoringOutputConfig": {
                    "MonitoringOutputs": [{"S3Output": {"S3Uri": "s3://b/o", "LocalPath": "/opt/ml/processing/output"}}]
                },
                "MonitoringResources": {
                    "ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}
                },
                "MonitoringAppSpecification": {"ImageUri": "monitor:latest"},
                "RoleArn": ROLE_ARN,
            },
        },
    )
    if stopped:
        sagemaker.stop_monitoring_schedule(MonitoringScheduleName=name)


def _scaling(session: boto3.Session, endpoint: str, minimum: int, maximum: int, policy: bool = True) -> None:
    aas = session.client("application-autoscaling")
    target = {
        "ServiceNamespace": "sagemaker",
        "ResourceId": f"endpoint/{endpoint}/variant/AllTraffic",
        "ScalableDimension": DIMENSION,
    }
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
    assert "public (variant AllTraffic)" in _detail(report, "fail-public")


def test_endpoint_whose_config_was_deleted_is_an_error_not_a_verdict(aws: boto3.Session) -> None:
    create_model(aws, "in-vpc", in_vpc=True)
    create_endpoint(aws, "orphan", "in-vpc")
    aws.client("sagemaker").delete_endpoint_config(EndpointConfigName="orphan-config")

    report = scan(aws, ["SM-ENDPOINT-011"])

    assert verdicts(report, "SM-ENDPOINT-011") == {"orphan": Status.ERROR}
    assert "no longer exists" in report.findings[0].status_detail


# -- SM-ENDPOINT-002, 003, 006 to 010, 012 -----------------------------------------------------------------------

NOW = datetime.now(UTC)
CANARY = {
    "BlueGreenUpdatePolicy": {
        "TrafficRoutingConfiguration": {
            "Type": "CANARY",
            "WaitIntervalInSeconds": 300,
            "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": 10},
        }
    }
}
CAPTURE = {
    "EnableCapture": True,
    "InitialSamplingPercentage": 20,
    "DestinationS3Uri": "s3://capture/x/",
    "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
}


def _deployed(session: boto3.Session, name: str, model: str, deployment: dict[str, Any], **config: Any) -> None:
    """An endpoint created with a DeploymentConfig (its config is `<name>-config`)."""
    sagemaker = session.client("sagemaker")
    variant = {
        "VariantName": "AllTraffic",
        "ModelName": model,
        "InstanceType": "ml.m5.xlarge",
        "InitialInstanceCount": 2,
    }
    sagemaker.create_endpoint_config(EndpointConfigName=f"{name}-config", ProductionVariants=[variant], **config)
    sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config", DeploymentConfig=deployment)


def _aged(name: str, days: int = 45) -> None:
    set_endpoint_state(ACCOUNT_ID, "us-east-1", name, created=NOW - timedelta(days=days))


def _metric(session: boto3.Session, namespace: str, metric: str, endpoint: str, value: float, days_ago: float) -> None:
    session.client("cloudwatch").put_metric_data(
        Namespace=namespace,
        MetricData=[
            {
                "MetricName": metric,
                "Dimensions": [
                    {"Name": "EndpointName", "Value": endpoint},
                    {"Name": "VariantName", "Value": "AllTraffic"},
                ],
                "Timestamp": NOW - timedelta(days=days_ago),
                "Value": value,
            }
        ],
    )


def _alarm(
    session: boto3.Session, name: str, endpoint: str, metric: str = "Invocation5XXErrors", **settings: Any
) -> None:
    session.client("cloudwatch").put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/SageMaker",
        MetricName=metric,
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        Dimensions=[{"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": "AllTraffic"}],
        **{"AlarmActions": [f"arn:aws:sns:us-east-1:{ACCOUNT_ID}:ml-oncall"], **settings},
    )


def _rewrite(session: boto3.Session, operation: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Change what AWS answers to one operation, at botocore's API boundary (after parsing)."""
    session.events.register(f"after-call.*.{operation}", lambda parsed, **_: change(parsed))


def test_single_instance(aws: boto3.Session) -> None:
    create_model(aws, "m")
    create_endpoint(aws, "pass-two", "m", instances=2)
    create_endpoint(aws, "fail-one", "m", instances=1)
    create_endpoint(aws, "na-serverless", "m", instance_type=None)

    report = scan(aws, ["SM-ENDPOINT-002"])

    assert verdicts(report, "SM-ENDPOINT-002") == {"pass-two": Status.PASS, "fail-one": Status.FAIL}
    assert "AllTraffic runs 1 instance:" in _detail(report, "fail-one")


def test_data_capture(aws: boto3.Session) -> None:
    create_model(aws, "m")
    create_endpoint(aws, "pass-capture", "m", DataCaptureConfig=CAPTURE)
    create_endpoint(aws, "fail-no-capture", "m")
    create_endpoint(aws, "fail-capture-stopped", "m", DataCaptureConfig=CAPTURE)
    create_endpoint(aws, "na-serverless", "m", instance_type=None)

    def stop_capture(parsed: dict[str, Any]) -> None:
        if parsed.get("EndpointName") == "fail-capture-stopped":
            parsed["DataCaptureConfig"]["CaptureStatus"] = "Stopped"

    _rewrite(aws, "DescribeEndpoint", stop_capture)

    report = scan(aws, ["SM-ENDPOINT-003"])

    assert verdicts(report, "SM-ENDPOINT-003") == {
        "pass-capture": Status.PASS,
        "fail-no-capture": Status.FAIL,
        "fail-capture-stopped": Status.FAIL,
    }


def test_data_capture_encryption(aws: boto3.Session) -> None:
    create_model(aws, "m")
    create_endpoint(
        aws,
        "pass-capture-kms",
        "m",
        DataCaptureConfig={**CAPTURE, "KmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/k"},
    )
    create_endpoint(aws, "fail-capture-no-kms", "m", DataCaptureConfig=CAPTURE)
    create_endpoint(aws, "na-no-capture", "m")

    report = scan(aws, ["SM-ENDPOINT-012"])

    assert verdicts(report, "SM-ENDPOINT-012") == {"pass-capture-kms": Status.PASS, "fail-capture-no-kms": Status.FAIL}


def test_alarms_matched_to_endpoints_directly_or_through_composite_alarms(aws: boto3.Session) -> None:
    create_model(aws, "m")
    names = (
        "pass-5xx-alarm",
        "pass-metric-math",
        "pass-composite",
        "fail-no-alarm",
        "fail-actions-disabled",
        "fail-silent-composite",
        "fail-cpu-alarm-only",
    )
    for name in names:
        create_endpoint(aws, name, "m")
    _alarm(aws, "pass-5xx-alarm-errors", "pass-5xx-alarm")
    _alarm(aws, "disabled", "fail-actions-disabled", ActionsEnabled=False)
    _alarm(aws, "composite-child", "pass-composite", AlarmActions=[])
    _alarm(aws, "silent-child", "fail-silent-composite", AlarmActions=[])
    cloudwatch = aws.client("cloudwatch")
    child_arn = f"arn:aws:cloudwatch:us-east-1:{ACCOUNT_ID}:alarm:composite-child"
    cloudwatch.put_composite_alarm(AlarmName="inner", AlarmRule=f'ALARM("{child_arn}") AND NOT OK(other)')
    topic = f"arn:aws:sns:us-east-1:{ACCOUNT_ID}:ml-oncall"
    cloudwatch.put_composite_alarm(
        AlarmName="ml-oncall", AlarmRule="ALARM(inner) OR ALARM(elsewhere)", AlarmActions=[topic]
    )
    cloudwatch.put_composite_alarm(
        AlarmName="muted", AlarmRule="ALARM(silent-child)", ActionsEnabled=False, AlarmActions=[topic]
    )
    _alarm(aws, "cpu", "fail-cpu-alarm-only", metric="CPUUtilization")
    latency = {
        "Namespace": "AWS/SageMaker",
        "MetricName": "ModelLatency",
        "Dimensions": [{"Name": "EndpointName", "Value": "pass-metric-math"}],
    }
    aws.client("cloudwatch").put_metric_alarm(
        AlarmName="latency-p99-over-budget",
        EvaluationPeriods=1,
        Threshold=0.5,
        ComparisonOperator="GreaterThanThreshold",
        AlarmActions=[f"arn:aws:sns:us-east-1:{ACCOUNT_ID}:ml-oncall"],
        Metrics=[
            {"Id": "latency", "MetricStat": {"Metric": latency, "Period": 300, "Stat": "p99"}, "ReturnData": False},
            {"Id": "seconds", "Expression": "latency / 1000000", "ReturnData": True},
        ],
    )

    report = scan(aws, ["endpoint-no-alarms"])

    assert verdicts(report, "SM-ENDPOINT-006") == {
        "pass-5xx-alarm": Status.PASS,
        "pass-metric-math": Status.PASS,
        "pass-composite": Status.PASS,
        "fail-no-alarm": Status.FAIL,
        "fail-actions-disabled": Status.FAIL,
        "fail-silent-composite": Status.FAIL,
        "fail-cpu-alarm-only": Status.FAIL,
    }
    assert report.scan.statistics.by_operation["cloudwatch:DescribeAlarms"] == 1  # metric and composite alarms at once


def test_idle_endpoints_and_the_window_setting(aws: boto3.Session) -> None:
    create_model(aws, "m")
    for name in ("pass-busy", "fail-idle", "fail-traffic-20-days-ago", "na-young", "na-serverless"):
        create_endpoint(aws, name, "m", instance_type=None if name == "na-serverless" else "ml.m5.xlarge")
        if name != "na-young":
            _aged(name)
    _metric(aws, "AWS/SageMaker", "Invocations", "pass-busy", 1200, days_ago=2)
    _metric(aws, "AWS/SageMaker", "Invocations", "fail-traffic-20-days-ago", 40, days_ago=20)

    default = scan(aws, ["SM-ENDPOINT-007"])
    month = scan(aws, ["SM-ENDPOINT-007"], settings={"SM-ENDPOINT-007": {"idle_days": 30}})
    short_lookback = scan(aws, ["SM-ENDPOINT-007"], since_days=7)

    assert verdicts(default, "SM-ENDPOINT-007") == {
        "pass-busy": Status.PASS,
        "fail-idle": Status.FAIL,
        "fail-traffic-20-days-ago": Status.FAIL,
    }
    assert verdicts(month, "SM-ENDPOINT-007") == {
        "pass-busy": Status.PASS,
        "fail-idle": Status.FAIL,
        "fail-traffic-20-days-ago": Status.PASS,
    }
    assert set(verdicts(short_lookback, "SM-ENDPOINT-007").values()) == {Status.ERROR}
    assert "read 7 days of metrics" in short_lookback.findings[0].status_detail


def test_asynchronous_endpoints_are_judged_on_the_invocations_they_process(aws: boto3.Session) -> None:
    create_model(aws, "m")
    asynchronous = {"AsyncInferenceConfig": {"OutputConfig": {"S3OutputPath": "s3://async-results/out/"}}}
    for name in ("pass-async-processing", "fail-async-idle"):
        create_endpoint(aws, name, "m", **asynchronous)
        _aged(name)
    _metric(aws, "AWS/SageMaker", "InvocationsProcessed", "pass-async-processing", 300, days_ago=1)

    report = scan(aws, ["SM-ENDPOINT-007"])

    assert verdicts(report, "SM-ENDPOINT-007") == {"pass-async-processing": Status.PASS, "fail-async-idle": Status.FAIL}


def test_underutilized_endpoints(aws: boto3.Session) -> None:
    create_model(aws, "m")
    for name in ("pass-busy-cpu", "pass-busy-gpu", "pass-multi-vcpu-sum", "fail-low-cpu", "na-no-data"):
        create_endpoint(aws, name, "m")
        _aged(name)
    for endpoint, cpu in (
        ("pass-busy-cpu", 65),
        ("pass-busy-gpu", 4),
        ("pass-multi-vcpu-sum", 150),
        ("fail-low-cpu", 6),
    ):
        _metric(aws, "/aws/sagemaker/Endpoints", "CPUUtilization", endpoint, cpu, days_ago=3)
        _metric(aws, "/aws/sagemaker/Endpoints", "CPUUtilization", endpoint, cpu / 2, days_ago=20)  # outside the window
    _metric(aws, "/aws/sagemaker/Endpoints", "GPUUtilization", "pass-busy-gpu", 85, days_ago=1)
    _metric(aws, "/aws/sagemaker/Endpoints", "CPUUtilization", "na-no-data", 1, days_ago=30)

    report = scan(aws, ["SM-ENDPOINT-008"])

    assert verdicts(report, "SM-ENDPOINT-008") == {
        "pass-busy-cpu": Status.PASS,
        "pass-busy-gpu": Status.PASS,
        "pass-multi-vcpu-sum": Status.PASS,
        "fail-low-cpu": Status.FAIL,
    }
    assert _detail(report, "fail-low-cpu") == ("AllTraffic peaked at 6% CPU over 14 days (threshold 20%)")


def test_metric_reads_are_batched_per_region(aws: boto3.Session) -> None:
    create_model(aws, "m")
    sagemaker = aws.client("sagemaker")
    variants = [
        {"VariantName": f"v{i}", "ModelName": "m", "InstanceType": "ml.m5.large", "InitialInstanceCount": 2}
        for i in range(10)
    ]
    for n in range(26):
        sagemaker.create_endpoint_config(EndpointConfigName=f"e{n}-config", ProductionVariants=variants)
        sagemaker.create_endpoint(EndpointName=f"e{n}", EndpointConfigName=f"e{n}-config")
    sizes: list[int] = []
    aws.events.register(
        "provide-client-params.cloudwatch.GetMetricData",
        lambda params, **_: sizes.append(len(params["MetricDataQueries"])),
    )

    report = scan(aws, ["SM-ENDPOINT-007", "SM-ENDPOINT-008"])

    # 26 endpoints x 10 variants: 260 Invocations queries in one call, 520 CPU and GPU queries in two
    assert sorted(sizes) == [20, 260, 500]
    assert report.scan.statistics.by_operation["cloudwatch:GetMetricData"] == 3


def test_failed_endpoints(aws: boto3.Session) -> None:
    create_model(aws, "m")
    for name in ("pass-in-service", "fail-failed", "fail-out-of-service", "na-creating"):
        create_endpoint(aws, name, "m")
    reason = "The primary container for production variant AllTraffic did not pass the ping health check."
    set_endpoint_state(ACCOUNT_ID, "us-east-1", "fail-failed", status="Failed", failure_reason=reason)
    set_endpoint_state(ACCOUNT_ID, "us-east-1", "fail-out-of-service", status="OutOfService")
    set_endpoint_state(ACCOUNT_ID, "us-east-1", "na-creating", status="Creating")

    report = scan(aws, ["SM-ENDPOINT-009"])

    assert verdicts(report, "SM-ENDPOINT-009") == {
        "pass-in-service": Status.PASS,
        "fail-failed": Status.FAIL,
        "fail-out-of-service": Status.FAIL,
    }
    assert _detail(report, "fail-failed") == f"Failed: {reason}"


def test_deployment_guardrails(aws: boto3.Session) -> None:
    create_model(aws, "m")
    _deployed(aws, "pass-canary", "m", {**CANARY, "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "errors"}]}})
    _deployed(aws, "fail-no-rollback-alarms", "m", CANARY)
    create_endpoint(aws, "fail-no-deployment-config", "m")
    create_endpoint(aws, "na-inferentia1", "m", instance_type="ml.inf1.2xlarge")

    report = scan(aws, ["SM-ENDPOINT-010"])

    assert verdicts(report, "SM-ENDPOINT-010") == {
        "pass-canary": Status.PASS,
        "fail-no-rollback-alarms": Status.FAIL,
        "fail-no-deployment-config": Status.FAIL,
    }
    assert _detail(report, "pass-canary") == ("blue/green (canary) deployments roll back on errors")


def test_cloudwatch_failures_are_errors_for_the_endpoints_they_affect(aws: boto3.Session) -> None:
    create_model(aws, "m")
    for name in ("answered", "forbidden"):
        create_endpoint(aws, name, "m")
        _aged(name)

    def forbid_one(parsed: dict[str, Any]) -> None:
        for result in parsed.get("MetricDataResults", []):
            if result["Id"] == "q1":  # the second endpoint's query
                result["StatusCode"] = "Forbidden"

    _rewrite(aws, "GetMetricData", forbid_one)
    partial = scan(aws, ["SM-ENDPOINT-007"])
    refuse(aws, "cloudwatch")
    denied = scan(aws, ["SM-ENDPOINT-006", "SM-ENDPOINT-007", "SM-ENDPOINT-008"])

    assert verdicts(partial, "SM-ENDPOINT-007") == {"answered": Status.FAIL, "forbidden": Status.ERROR}
    assert "CloudWatch could not answer 1 metric queries (Invocations of forbidden/AllTraffic: Forbidden)" in next(
        f.status_detail for f in partial.findings if f.status is Status.ERROR
    )
    for check_id, operation in (
        ("SM-ENDPOINT-006", "DescribeAlarms"),
        ("SM-ENDPOINT-007", "GetMetricData"),
        ("SM-ENDPOINT-008", "GetMetricData"),
    ):
        assert verdicts(denied, check_id) == {"answered": Status.ERROR, "forbidden": Status.ERROR}
        assert operation in next(f.status_detail for f in denied.findings if f.check_id == check_id)


def test_single_instance_counts_the_fewest_instances_autoscaling_may_leave(aws: boto3.Session) -> None:
    create_model(aws, "m")
    asynchronous = {"AsyncInferenceConfig": {"OutputConfig": {"S3OutputPath": "s3://async-results/out/"}}}
    create_endpoint(aws, "pass-scales-from-two", "m", instances=2)
    create_endpoint(aws, "fail-scales-in-to-one", "m", instances=2)
    create_endpoint(aws, "pass-async-scales-to-zero", "m", instances=1, **asynchronous)
    create_endpoint(aws, "fail-async-at-most-one", "m", instances=1, **asynchronous)
    _scaling(aws, "pass-scales-from-two", 2, 6)
    _scaling(aws, "fail-scales-in-to-one", 1, 4)
    _scaling(aws, "pass-async-scales-to-zero", 0, 4)
    _scaling(aws, "fail-async-at-most-one", 0, 1)

    report = scan(aws, ["SM-ENDPOINT-002", "SM-ENDPOINT-005"])

    assert verdicts(report, "SM-ENDPOINT-002") == {
        "pass-scales-from-two": Status.PASS,
        "fail-scales-in-to-one": Status.FAIL,
        "pass-async-scales-to-zero": Status.PASS,
        "fail-async-at-most-one": Status.FAIL,
    }
    assert verdicts(report, "SM-ENDPOINT-005")["fail-scales-in-to-one"] is Status.PASS, "it does scale (1-4)"
    details = {(f.check_id, f.resource_name): f.status_detail for f in report.findings}
    assert details["SM-ENDPOINT-002", "fail-scales-in-to-one"] == (
        "AllTraffic runs 2 instances, but autoscaling may scale it in to 1 instance: one failure takes the model offline"
    )
    assert details["SM-ENDPOINT-002", "pass-async-scales-to-zero"] == (
        "AllTraffic scales 0-4 (asynchronous: to zero when its queue is empty)"
    )


def test_asynchronous_output_encryption(aws: boto3.Session) -> None:
    create_model(aws, "m")
    output = {"S3OutputPath": "s3://async-results/out/", "S3FailurePath": "s3://async-failures/errors/"}
    key = aws.client("kms").create_key(Description="async results")["KeyMetadata"]["Arn"]
    create_endpoint(aws, "pass-async-kms", "m", AsyncInferenceConfig={"OutputConfig": {**output, "KmsKeyId": key}})
    create_endpoint(aws, "fail-async-no-kms", "m", AsyncInferenceConfig={"OutputConfig": output})
    create_endpoint(aws, "na-real-time", "m")
    for bucket in ("async-results", "async-failures"):
        aws.client("s3").create_bucket(Bucket=bucket)

    report = scan(aws, ["SM-ENDPOINT-013", "S3-ML-002", "KMS-ML-001"])

    assert verdicts(report, "SM-ENDPOINT-013") == {
        "pass-async-kms-config": Status.PASS,
        "fail-async-no-kms-config": Status.FAIL,
    }
    assert set(verdicts(report, "S3-ML-002")) == {"async-results", "async-failures"}, "output and failure buckets"
    assert {f.resource_arn for f in report.findings if f.check_id == "KMS-ML-001"} == {key}, "the output key is judged"


def test_ssm_access_into_hosting_containers(aws: boto3.Session) -> None:
    create_model(aws, "m")
    sagemaker = aws.client("sagemaker")
    variant = {"VariantName": "AllTraffic", "ModelName": "m", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 2}
    sagemaker.create_endpoint_config(EndpointConfigName="pass-no-ssm", ProductionVariants=[variant])
    sagemaker.create_endpoint_config(
        EndpointConfigName="fail-ssm", ProductionVariants=[{**variant, "EnableSSMAccess": True}]
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="fail-shadow-ssm",
        ProductionVariants=[variant],
        ShadowProductionVariants=[{**variant, "VariantName": "candidate", "EnableSSMAccess": True}],
    )
    create_endpoint(aws, "na-serverless", "m", instance_type=None)

    report = scan(aws, ["SM-ENDPOINT-014"])

    assert verdicts(report, "SM-ENDPOINT-014") == {
        "pass-no-ssm": Status.PASS,
        "fail-ssm": Status.FAIL,
        "fail-shadow-ssm": Status.FAIL,
    }
    assert (
        _detail(report, "fail-shadow-ssm")
        == "EnableSSMAccess opens a shell into the containers of shadow variant candidate"
    )


def test_shadow_variants_models_are_judged_with_the_production_ones(aws: boto3.Session) -> None:
    create_model(aws, "in-vpc", in_vpc=True)
    create_model(aws, "candidate-outside-vpc")
    sagemaker = aws.client("sagemaker")
    variant = {"VariantName": "AllTraffic", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 2}
    for endpoint, shadow in (("pass-shadow-in-vpc", "in-vpc"), ("fail-shadow-outside-vpc", "candidate-outside-vpc")):
        sagemaker.create_endpoint_config(
            EndpointConfigName=f"{endpoint}-config",
            ProductionVariants=[{**variant, "ModelName": "in-vpc"}],
            ShadowProductionVariants=[{**variant, "VariantName": "shadow", "ModelName": shadow}],
        )
        sagemaker.create_endpoint(EndpointName=endpoint, EndpointConfigName=f"{endpoint}-config")

    report = scan(aws, ["SM-ENDPOINT-011"])

    assert verdicts(report, "SM-ENDPOINT-011") == {
        "pass-shadow-in-vpc": Status.PASS,
        "fail-shadow-outside-vpc": Status.FAIL,
    }
    assert _detail(report, "fail-shadow-outside-vpc") == (
        "model without VpcConfig: candidate-outside-vpc (shadow variant shadow)"
    )
