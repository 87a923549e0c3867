"""Inference: how the estate's models are built, deployed, watched and used.

us-east-1: the fraud-detection team pages itself on its endpoints' errors and has just shipped a chargeback-risk
endpoint the way it should be (registry package, network isolation, canary deployments with auto-rollback,
encrypted capture). The legacy churn endpoint has served no request since the churn project ended, on one
instance whose CPU barely moves, and the intern's sentiment proof of concept hard-codes a Hugging Face token.

eu-west-1: the recommendations team added an alarm without an action, a similar-items endpoint that captures
traffic without a KMS key, and a v4 canary endpoint that failed its health check and was left behind.

Newer ways of serving: the fraud team hosts its LLM assistant as an inference component on an endpoint that is
isolated in the VPC, and reviews disputed payments on an asynchronous endpoint that scales to zero at night, its
results encrypted; a shadow test of its next chargeback model keeps its data under the team's key. In eu-west-1 the
recommendations team's generative sandbox runs an inline container with a Hugging Face token, no VPC, no isolation
and SSM shell access left on; it shadow-tests ranker v5, a model outside the VPC, without keys of its own; and the
churn team's asynchronous scoring writes its results unencrypted.

Endpoint ages and the failed deployment are AWS's doing over time: `set_endpoint_state` records them in moto.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from mlaudit.demo.estate.base import FRAUD_ROLE, RECS_ROLE, SANDBOX_ROLE, Estate, Region, role_arn
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


def _components_endpoint(region: Region, name: str, role: str, *, isolated: bool, ssm: bool = False) -> None:
    """An endpoint whose variant AllTraffic hosts inference components (two GPU instances, NVMe storage)."""
    variant = {"VariantName": "AllTraffic", "InstanceType": "ml.g4dn.xlarge", "InitialInstanceCount": 2}
    settings: dict[str, Any] = {"VpcConfig": region.vpc_config(), "EnableNetworkIsolation": True} if isolated else {}
    region.sm.create_endpoint_config(
        EndpointConfigName=f"{name}-config",
        ExecutionRoleArn=role_arn(role),
        ProductionVariants=[variant | ({"EnableSSMAccess": True} if ssm else {})],
        **settings,
    )
    region.sm.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config")


def _component(region: Region, name: str, endpoint: str, **specification: Any) -> None:
    region.sm.create_inference_component(
        InferenceComponentName=name,
        EndpointName=endpoint,
        VariantName="AllTraffic",
        Specification={
            **specification,
            "ComputeResourceRequirements": {"NumberOfAcceleratorDevicesRequired": 1, "MinMemoryRequiredInMb": 8192},
        },
        RuntimeConfig={"CopyCount": 2},
    )


def _asynchronous(region: Region, name: str, model: str, output: dict[str, Any]) -> None:
    variant = {
        "VariantName": "AllTraffic",
        "ModelName": model,
        "InstanceType": "ml.m5.xlarge",
        "InitialInstanceCount": 1,
    }
    region.sm.create_endpoint_config(
        EndpointConfigName=f"{name}-config",
        ProductionVariants=[variant],
        KmsKeyId=region.key_arn,
        AsyncInferenceConfig={"OutputConfig": output},
    )
    region.sm.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config")


def _shadow_test(region: Region, name: str, endpoint: str, models: tuple[str, str], **keys: Any) -> None:
    infrastructure = {
        "InfrastructureType": "RealTimeInference",
        "RealTimeInferenceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1},
    }
    region.sm.create_inference_experiment(
        Name=name,
        Type="ShadowMode",
        RoleArn=role_arn(FRAUD_ROLE if region.region == "us-east-1" else RECS_ROLE),
        EndpointName=endpoint,
        ModelVariants=[
            {"ModelName": model, "VariantName": variant, "InfrastructureConfig": infrastructure}
            for model, variant in zip(models, ("production", "shadow"), strict=True)
        ],
        ShadowModeConfig={
            "SourceModelVariantName": "production",
            "ShadowModelVariants": [{"ShadowModelVariantName": "shadow", "SamplingPercentage": 20}],
        },
        **keys,
    )


def _serving_east(estate: Estate) -> None:
    """The fraud team's LLM assistant on inference components, its asynchronous dispute review, its shadow test,
    and the churn team's unencrypted asynchronous scoring."""
    east = estate.east
    assistant_package = east.registry_group("fraud-llm-assistant", ["Approved"])[0]
    east.sm.create_model(
        ModelName="fraud-llm-assistant-v1",
        ExecutionRoleArn=role_arn(FRAUD_ROLE),
        PrimaryContainer={"ModelPackageName": assistant_package},
        VpcConfig=east.vpc_config(),
        EnableNetworkIsolation=True,
    )
    _components_endpoint(east, "fraud-llm-assistant", FRAUD_ROLE, isolated=True)
    _component(east, "fraud-llm-assistant-v1", "fraud-llm-assistant", ModelName="fraud-llm-assistant-v1")
    east.autoscaling("fraud-llm-assistant", 2, 4)

    _asynchronous(
        east,
        "fraud-dispute-review",
        "fraud-chargeback-v2",
        {
            "S3OutputPath": "s3://acme-fraud-model-artifacts/disputes/results/",
            "S3FailurePath": "s3://acme-fraud-model-artifacts/disputes/failures/",
            "KmsKeyId": east.key_arn,
        },
    )
    east.autoscaling("fraud-dispute-review", 0, 4)
    _asynchronous(
        east, "churn-async-scoring", "churn-legacy-2019", {"S3OutputPath": "s3://acme-churn-legacy/async-scores/"}
    )
    _shadow_test(
        east,
        "fraud-chargeback-v3-shadow",
        "fraud-chargeback-risk",
        ("fraud-chargeback-v2", "fraud-chargeback-v2"),
        KmsKey=east.key_arn,
        DataStorageConfig={"Destination": "s3://acme-fraud-data-capture/shadow/", "KmsKey": east.key_arn},
    )


def _serving_west(estate: Estate) -> None:
    """The recommendations team's generative sandbox and its ranker v5 shadow test."""
    west = estate.west
    _components_endpoint(west, "recs-genai-sandbox", RECS_ROLE, isolated=False, ssm=True)
    _component(
        west,
        "recs-genai-sandbox-llama",
        "recs-genai-sandbox",
        Container={
            "Image": west.image("llm-inference:tgi-2"),
            "ArtifactUrl": "s3://acme-recs-features-eu/llm/llama-tuned.tar.gz",
            "Environment": {"HUGGING_FACE_HUB_TOKEN": FAKE_HF_TOKEN, "MAX_INPUT_LENGTH": "4096"},
        },
    )
    west.model(
        "recs-ranker-v5-candidate",
        RECS_ROLE,
        {"Image": west.image("recs-ranker:5"), "ModelDataUrl": "s3://acme-recs-features-eu/models/ranker-v5.tar.gz"},
        in_vpc=False,
    )
    variant = {"VariantName": "AllTraffic", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 2}
    west.sm.create_endpoint_config(
        EndpointConfigName="recs-ranking-shadow-config",
        ProductionVariants=[variant | {"ModelName": "recs-ranker-v3"}],
        ShadowProductionVariants=[variant | {"VariantName": "shadow", "ModelName": "recs-ranker-v5-candidate"}],
        KmsKeyId=west.key_arn,
    )
    west.sm.create_endpoint(EndpointName="recs-ranking-shadow", EndpointConfigName="recs-ranking-shadow-config")
    _shadow_test(
        west,
        "recs-ranker-v5-shadow",
        "recs-ranking-shadow",
        ("recs-ranker-v3", "recs-ranker-v5-candidate"),
        DataStorageConfig={"Destination": "s3://acme-recs-features-eu/shadow-capture/"},
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
    _serving_east(estate)
    _serving_west(estate)
