"""Inference: how the estate's models are built, deployed, watched and used.

us-east-1: the fraud-detection team pages itself on its endpoints' errors and has just shipped a chargeback-risk
endpoint the way it should be (registry package, network isolation, canary deployments with auto-rollback,
encrypted capture). The legacy churn endpoint has served no request since the churn project ended, on one
instance whose CPU barely moves, and the intern's sentiment proof of concept hard-codes a Hugging Face token.

eu-west-1: the recommendations team added an alarm without an action, a similar-items endpoint that captures
traffic without a KMS key, and a v4 canary endpoint that failed its health check and was left behind.

Endpoint ages and the failed deployment are AWS's doing over time: `set_endpoint_state` records them in moto.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from mlaudit.demo.estate.base import FRAUD_ROLE, RECS_ROLE, SANDBOX_ROLE, Estate, Region
from mlaudit.demo.moto_extensions.sagemaker_inference import set_endpoint_state
from mlaudit.demo.server import DEMO_ACCOUNT_ID

AFTER = ("foundation",)
"""Areas whose resources this one uses (roles, buckets, models)."""

HEALTH_CHECK_FAILURE = (
    "The primary container for production variant AllTraffic did not pass the ping health check. "
    "Please check CloudWatch logs for this endpoint."
)
FAKE_HF_TOKEN = "hf_" + "DemoNotARealToken" * 2
"""Shaped like a Hugging Face token so that the demo shows the finding; it is not one."""


def _endpoint(
    region: Region,
    name: str,
    model: str,
    instances: int,
    deployment: dict[str, Any] | None = None,
    capture: dict[str, Any] | None = None,
) -> None:
    variant = {
        "VariantName": "AllTraffic",
        "ModelName": model,
        "InstanceType": "ml.m5.xlarge",
        "InitialInstanceCount": instances,
    }
    config: dict[str, Any] = {
        "EndpointConfigName": f"{name}-config",
        "ProductionVariants": [variant],
        "KmsKeyId": region.key_arn,
    }
    if capture:
        config["DataCaptureConfig"] = {
            "EnableCapture": True,
            "InitialSamplingPercentage": 10,
            "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}],
            **capture,
        }
    region.sm.create_endpoint_config(**config)
    region.sm.create_endpoint(
        EndpointName=name,
        EndpointConfigName=f"{name}-config",
        **({"DeploymentConfig": deployment} if deployment else {}),
    )


def _days_ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


def _age(region: Region, endpoint: str, days: int) -> None:
    set_endpoint_state(DEMO_ACCOUNT_ID, region.region, endpoint, created=_days_ago(days))


def _alarm(cloudwatch: Any, name: str, endpoint: str, metric: str, threshold: float, actions: list[str]) -> None:
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/SageMaker",
        MetricName=metric,
        Dimensions=[{"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": "AllTraffic"}],
        Statistic="Sum" if metric == "Invocation5XXErrors" else "Average",
        Period=300,
        EvaluationPeriods=2,
        Threshold=threshold,
        ComparisonOperator="GreaterThanThreshold",
        ActionsEnabled=bool(actions),
        AlarmActions=actions,
    )


def _traffic(cloudwatch: Any, endpoint: str, invocations: float, cpu: float, gpu: float | None = None) -> None:
    """A week of daily traffic and peak utilisation, as SageMaker publishes them."""
    dimensions = [{"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": "AllTraffic"}]
    days = [_days_ago(d + 0.2) for d in range(7)]
    cloudwatch.put_metric_data(
        Namespace="AWS/SageMaker",
        MetricData=[
            {"MetricName": "Invocations", "Dimensions": dimensions, "Timestamp": t, "Value": invocations} for t in days
        ],
    )
    instance = [("CPUUtilization", cpu)] + ([("GPUUtilization", gpu)] if gpu is not None else [])
    cloudwatch.put_metric_data(
        Namespace="/aws/sagemaker/Endpoints",
        MetricData=[
            {"MetricName": m, "Dimensions": dimensions, "Timestamp": t, "Value": v} for m, v in instance for t in days
        ],
    )


def seed(estate: Estate) -> None:
    """Models, endpoints, alarms and a week of endpoint metrics in both regions."""
    east, west = estate.east, estate.west
    east_cw, west_cw = estate.client("cloudwatch", east.region), estate.client("cloudwatch", west.region)
    oncall = estate.client("sns", east.region).create_topic(Name="fraud-ml-oncall")["TopicArn"]

    # us-east-1: the fraud team's new endpoint, done right
    chargeback_package = east.registry_group("fraud-chargeback", ["Approved"])[0]
    east.sm.create_model(
        ModelName="fraud-chargeback-v2",
        ExecutionRoleArn=f"arn:aws:iam::{DEMO_ACCOUNT_ID}:role/ml/{FRAUD_ROLE}",
        PrimaryContainer={"ModelPackageName": chargeback_package},
        VpcConfig=east.vpc_config(),
        EnableNetworkIsolation=True,
    )
    rollback = {"Alarms": [{"AlarmName": "fraud-chargeback-risk-5xx"}, {"AlarmName": "fraud-chargeback-risk-latency"}]}
    canary = {"Type": "CANARY", "WaitIntervalInSeconds": 600, "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": 10}}
    _endpoint(
        east,
        "fraud-chargeback-risk",
        "fraud-chargeback-v2",
        instances=2,
        deployment={
            "BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": canary},
            "AutoRollbackConfiguration": rollback,
        },
        capture={"DestinationS3Uri": "s3://acme-fraud-data-capture/fraud-chargeback-risk/", "KmsKeyId": east.key_arn},
    )
    east.monitor(
        "fraud-chargeback-risk-data-quality",
        "fraud-chargeback-risk",
        "DataQuality",
        FRAUD_ROLE,
        "s3://acme-fraud-model-artifacts/monitoring/",
    )
    east.autoscaling("fraud-chargeback-risk", 2, 4)
    for endpoint in ("fraud-scoring", "fraud-chargeback-risk"):
        _alarm(east_cw, f"{endpoint}-5xx", endpoint, "Invocation5XXErrors", 5, [oncall])
        _alarm(east_cw, f"{endpoint}-latency", endpoint, "ModelLatency", 250_000, [oncall])
    _age(east, "fraud-scoring", 200)
    _age(east, "fraud-chargeback-risk", 30)
    _traffic(east_cw, "fraud-scoring", invocations=1_800_000, cpu=64)
    _traffic(east_cw, "fraud-chargeback-risk", invocations=240_000, cpu=38)

    # us-east-1: the churn endpoint nobody calls any more, and the intern's token
    _age(east, "churn-scoring-legacy", 2100)
    churn_dimensions = [
        {"Name": "EndpointName", "Value": "churn-scoring-legacy"},
        {"Name": "VariantName", "Value": "AllTraffic"},
    ]
    east_cw.put_metric_data(
        Namespace="/aws/sagemaker/Endpoints",
        MetricData=[
            {"MetricName": "CPUUtilization", "Dimensions": churn_dimensions, "Timestamp": _days_ago(d), "Value": 3}
            for d in range(1, 8)
        ],
    )
    east.model(
        "intern-sentiment-poc",
        SANDBOX_ROLE,
        {
            "Image": east.image("sentiment:poc"),
            "Environment": {"HF_TOKEN": FAKE_HF_TOKEN, "HF_MODEL_ID": "distilbert-base-uncased"},
        },
        in_vpc=False,
    )

    # eu-west-1: the recommendations team's loose ends
    _alarm(west_cw, "recs-ranking-5xx", "recs-ranking", "Invocation5XXErrors", 5, actions=[])
    _age(west, "recs-ranking", 90)
    _traffic(west_cw, "recs-ranking", invocations=650_000, cpu=22, gpu=71)
    west.sm.create_model(
        ModelName="recs-ranker-v4",
        ExecutionRoleArn=f"arn:aws:iam::{DEMO_ACCOUNT_ID}:role/ml/{RECS_ROLE}",
        PrimaryContainer={
            "Image": "registry.recs.acme.internal/recs-ranker:4",
            "ImageConfig": {"RepositoryAccessMode": "Vpc"},
        },
        VpcConfig=west.vpc_config(),
    )
    _endpoint(west, "recs-ranking-v4-canary", "recs-ranker-v4", instances=2)
    set_endpoint_state(
        DEMO_ACCOUNT_ID, west.region, "recs-ranking-v4-canary", status="Failed", failure_reason=HEALTH_CHECK_FAILURE
    )
    _endpoint(
        west,
        "recs-similar-items",
        "recs-ranker-v3",
        instances=2,
        capture={"DestinationS3Uri": "s3://acme-recs-features-eu/capture/recs-similar-items/"},
    )
