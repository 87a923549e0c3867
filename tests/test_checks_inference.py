"""Endpoints that host inference components, through every check that judges the models an endpoint serves, and
the SM-INFERENCE-* checks, against components, experiments and endpoints created in moto (with mlaudit's moto
extensions for inference components and experiments, which moto lacks)."""

from __future__ import annotations

from typing import Any

import boto3

from mlaudit.core.taxonomy import Status
from support import ACCOUNT_ID, ROLE_ARN, refuse, scan, verdicts

VPC = {"Subnets": ["subnet-0a1b2c3d"], "SecurityGroupIds": ["sg-0a1b2c3d"]}
IMAGE = f"{ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/llm:1"
HF_TOKEN = "hf_" + "q" * 34
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT_ID}:key/"


def _components_endpoint(session: boto3.Session, name: str, **config: Any) -> None:
    """An endpoint whose one variant (`AllTraffic`) hosts inference components (its config is `<name>-config`)."""
    sagemaker = session.client("sagemaker")
    sagemaker.create_endpoint_config(
        EndpointConfigName=f"{name}-config",
        ExecutionRoleArn=ROLE_ARN,
        ProductionVariants=[{"VariantName": "AllTraffic", "InstanceType": "ml.g4dn.xlarge", "InitialInstanceCount": 2}],
        **config,
    )
    sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config")


def _component(session: boto3.Session, name: str, endpoint: str, **specification: Any) -> None:
    session.client("sagemaker").create_inference_component(
        InferenceComponentName=name,
        EndpointName=endpoint,
        VariantName="AllTraffic",
        Specification={**specification, "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 4096}},
        RuntimeConfig={"CopyCount": 2},
    )


def _package(session: boto3.Session, group: str, approval: str) -> str:
    sagemaker = session.client("sagemaker")
    sagemaker.create_model_package_group(ModelPackageGroupName=group)
    return sagemaker.create_model_package(
        ModelPackageGroupName=group,
        ModelApprovalStatus=approval,
        InferenceSpecification={
            "Containers": [{"Image": IMAGE}],
            "SupportedContentTypes": ["application/json"],
            "SupportedResponseMIMETypes": ["application/json"],
        },
    )["ModelPackageArn"]


def test_models_served_through_inference_components_are_judged_like_any_served_model(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    sagemaker.create_model(
        ModelName="pass-ranker",
        ExecutionRoleArn=ROLE_ARN,
        PrimaryContainer={"ModelPackageName": _package(aws, "ranker", "Approved")},
        VpcConfig=VPC,
        EnableNetworkIsolation=True,
    )
    sagemaker.create_model(
        ModelName="fail-pending",
        ExecutionRoleArn=ROLE_ARN,
        PrimaryContainer={"ModelPackageName": _package(aws, "summariser", "PendingManualApproval")},
    )
    sagemaker.create_model(ModelName="fail-adhoc", ExecutionRoleArn=ROLE_ARN, PrimaryContainer={"Image": IMAGE})
    _components_endpoint(aws, "pass-components", VpcConfig=VPC, EnableNetworkIsolation=True)
    _component(aws, "pass-ranker-ic", "pass-components", ModelName="pass-ranker")
    _components_endpoint(aws, "fail-components")
    _component(aws, "fail-adhoc-ic", "fail-components", ModelName="fail-adhoc")
    _component(aws, "fail-pending-ic", "fail-components", ModelName="fail-pending")
    inline = {"Image": IMAGE, "ArtifactUrl": "s3://llm-artefacts/tuned.tar.gz", "Environment": {"HF_TOKEN": HF_TOKEN}}
    _component(aws, "fail-inline-ic", "fail-components", Container=inline)
    _components_endpoint(aws, "na-no-components-yet", VpcConfig=VPC, EnableNetworkIsolation=True)

    checks = ["SM-ENDPOINT-011", "SM-MODEL-001", "SM-MODEL-002", "SM-MODEL-003", "SM-MODEL-004", "SM-MODEL-005"]
    report = scan(aws, [*checks, "SM-REGISTRY-003", "SM-INFERENCE-001"])

    serving = {"pass-components": Status.PASS, "fail-components": Status.FAIL}
    models = {"pass-ranker": Status.PASS, "fail-pending": Status.FAIL, "fail-adhoc": Status.FAIL}
    assert verdicts(report, "SM-ENDPOINT-011") == serving
    assert verdicts(report, "SM-MODEL-004") == serving
    assert verdicts(report, "SM-REGISTRY-003") == serving
    assert verdicts(report, "SM-MODEL-001") == models
    assert verdicts(report, "SM-MODEL-002") == models
    assert verdicts(report, "SM-MODEL-003") == {"fail-adhoc": Status.FAIL}, "package containers are not judged"
    assert verdicts(report, "SM-MODEL-005") == {
        "pass-ranker": Status.PASS,
        "fail-pending": Status.PASS,
        "fail-adhoc": Status.PASS,
        "fail-inline-ic": Status.FAIL,
    }
    assert verdicts(report, "SM-INFERENCE-001") == {
        "pass-components-config": Status.PASS,
        "fail-components-config": Status.FAIL,
        "na-no-components-yet-config": Status.PASS,
    }
    detail = {(f.check_id, f.resource_name): f.status_detail for f in report.findings}
    assert detail["SM-ENDPOINT-011", "fail-components"] == (
        "endpoint config without VpcConfig hosts fail-adhoc (inference component fail-adhoc-ic on variant AllTraffic), "
        "the inline container of inference component fail-inline-ic (variant AllTraffic), "
        "fail-pending (inference component fail-pending-ic on variant AllTraffic)"
    )
    assert "fail-pending from summariser/1 (PendingManualApproval)" in detail["SM-REGISTRY-003", "fail-components"]
    assert (
        detail["SM-MODEL-005", "fail-inline-ic"] == "secret-looking environment variable: HF_TOKEN (huggingface-token)"
    )
    assert report.scan.errors == []


def test_a_component_whose_model_was_deleted_is_an_error_for_its_endpoint(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    sagemaker.create_model(ModelName="short-lived", ExecutionRoleArn=ROLE_ARN, PrimaryContainer={"Image": IMAGE})
    _components_endpoint(aws, "orphaned", VpcConfig=VPC)
    _component(aws, "short-lived-ic", "orphaned", ModelName="short-lived")
    sagemaker.delete_model(ModelName="short-lived")

    report = scan(aws, ["SM-ENDPOINT-011"])

    assert verdicts(report, "SM-ENDPOINT-011") == {"orphaned": Status.ERROR}
    assert "model 'short-lived' of inference component 'short-lived-ic' no longer exists" in (
        report.findings[0].status_detail
    )


def _experiment(session: boto3.Session, name: str, endpoint: str, **keys: Any) -> None:
    infrastructure = {
        "InfrastructureType": "RealTimeInference",
        "RealTimeInferenceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1},
    }
    session.client("sagemaker").create_inference_experiment(
        Name=name,
        Type="ShadowMode",
        RoleArn=ROLE_ARN,
        EndpointName=endpoint,
        ModelVariants=[
            {"ModelName": "ranker-v1", "VariantName": "production", "InfrastructureConfig": infrastructure},
            {"ModelName": "ranker-v2", "VariantName": "shadow", "InfrastructureConfig": infrastructure},
        ],
        ShadowModeConfig={
            "SourceModelVariantName": "production",
            "ShadowModelVariants": [{"ShadowModelVariantName": "shadow", "SamplingPercentage": 50}],
        },
        **keys,
    )


def test_inference_experiments_use_customer_managed_keys(aws: boto3.Session) -> None:
    kms = aws.client("kms")
    key = kms.create_key(Description="shadow tests")["KeyMetadata"]["Arn"]
    sagemaker = aws.client("sagemaker")
    sagemaker.create_model(ModelName="ranker-v1", ExecutionRoleArn=ROLE_ARN, PrimaryContainer={"Image": IMAGE})
    sagemaker.create_endpoint_config(
        EndpointConfigName="ranking-config",
        ProductionVariants=[
            {
                "VariantName": "production",
                "ModelName": "ranker-v1",
                "InstanceType": "ml.m5.xlarge",
                "InitialInstanceCount": 2,
            }
        ],
    )
    sagemaker.create_endpoint(EndpointName="ranking", EndpointConfigName="ranking-config")
    capture = {"Destination": "s3://shadow-capture/ranking/"}
    _experiment(aws, "pass-both-keys", "ranking", KmsKey=key, DataStorageConfig={**capture, "KmsKey": key})
    _experiment(aws, "pass-no-capture", "ranking", KmsKey=key)
    _experiment(aws, "fail-no-keys", "ranking", DataStorageConfig=capture)
    _experiment(aws, "fail-capture-unencrypted", "ranking", KmsKey=key, DataStorageConfig=capture)
    _experiment(aws, "fail-aws-managed-key", "ranking", KmsKey="alias/aws/ebs")

    report = scan(aws, ["SM-INFERENCE-002"])

    assert verdicts(report, "SM-INFERENCE-002") == {
        "pass-both-keys": Status.PASS,
        "pass-no-capture": Status.PASS,
        "fail-no-keys": Status.FAIL,
        "fail-capture-unencrypted": Status.FAIL,
        "fail-aws-managed-key": Status.FAIL,
    }
    detail = {f.resource_name: f.status_detail for f in report.findings}
    assert detail["fail-capture-unencrypted"].endswith(
        "no customer managed key is set: the captured data is encrypted with a key AWS owns, not you"
    )


def test_components_and_experiments_that_cannot_be_read_are_errors(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    sagemaker.create_model(ModelName="m", ExecutionRoleArn=ROLE_ARN, PrimaryContainer={"Image": IMAGE})
    _components_endpoint(aws, "readable", VpcConfig=VPC)
    _component(aws, "readable-ic", "readable", ModelName="m")
    _component(aws, "hidden-ic", "readable", ModelName="m")
    refuse(aws, "sagemaker", "DescribeInferenceComponent", only_for="hidden-ic")
    refuse(aws, "sagemaker", "ListInferenceExperiments")

    report = scan(aws, ["SM-ENDPOINT-011", "SM-MODEL-005", "SM-INFERENCE-002"])

    assert verdicts(report, "SM-ENDPOINT-011") == {"readable": Status.ERROR}
    assert verdicts(report, "SM-MODEL-005")["hidden-ic"] is Status.ERROR
    assert verdicts(report, "SM-INFERENCE-002") == {"all inference experiments": Status.ERROR}
    assert {(e.operation, e.resource) for e in report.scan.errors} >= {
        ("DescribeInferenceComponent", "hidden-ic"),
        ("ListInferenceExperiments", None),
    }
