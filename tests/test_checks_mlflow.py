"""SM-MLFLOW-* checks, and what MLflow tracking servers and apps hand to the S3 and IAM checks, against servers and
apps created through the demo's moto extension for managed MLflow."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from amend import amend
from mlaudit.core.taxonomy import Status
from support import ACCOUNT_ID, ROLE_ARN, refuse, scan, verdicts

STORE = "s3://acme-mlflow-artifacts/experiments/"


def _server(session: boto3.Session, name: str, region: str = "us-east-1", **settings: Any) -> None:
    settings.setdefault("ArtifactStoreUri", STORE)
    session.client("sagemaker", region_name=region).create_mlflow_tracking_server(
        TrackingServerName=name, RoleArn=ROLE_ARN, **settings
    )


def _app(session: boto3.Session, name: str, **settings: Any) -> None:
    settings.setdefault("ArtifactStoreUri", STORE)
    session.client("sagemaker").create_mlflow_app(Name=name, RoleArn=ROLE_ARN, **settings)


def test_mlflow_bucket_owner_not_verified(aws: boto3.Session) -> None:
    _server(aws, "pass-verified", S3BucketOwnerVerification=True, S3BucketOwnerAccountId=ACCOUNT_ID)
    _server(aws, "fail-unverified")
    _server(aws, "fail-owner-named-only", S3BucketOwnerAccountId=ACCOUNT_ID, S3BucketOwnerVerification=False)

    report = scan(aws, ["SM-MLFLOW-001"])

    assert verdicts(report, "SM-MLFLOW-001") == {
        "pass-verified": Status.PASS,
        "fail-unverified": Status.FAIL,
        "fail-owner-named-only": Status.FAIL,
    }
    passing = next(f for f in report.findings if f.status is Status.PASS)
    assert passing.status_detail == f"S3 refuses {STORE} unless account {ACCOUNT_ID} owns it"
    assert passing.resource_arn == f"arn:aws:sagemaker:us-east-1:{ACCOUNT_ID}:mlflow-tracking-server/pass-verified"


def test_mlflow_app_not_cmk(aws: boto3.Session) -> None:
    key = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    _app(aws, "pass-cmk", KmsKeyId=key)
    _app(aws, "fail-no-key")
    _app(aws, "fail-aws-managed", KmsKeyId="alias/aws/sagemaker")

    report = scan(aws, ["mlflow-app-not-cmk"])

    assert verdicts(report, "SM-MLFLOW-002") == {
        "pass-cmk": Status.PASS,
        "fail-no-key": Status.FAIL,
        "fail-aws-managed": Status.FAIL,
    }


def test_mlflow_tracking_server_unused(aws: boto3.Session) -> None:
    west = aws.client("sagemaker", region_name="eu-west-1")
    west.create_notebook_instance(NotebookInstanceName="exploration", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN)
    _server(aws, "pass-logged-to")
    aws.client("sagemaker").create_training_job(
        TrainingJobName="churn-train",
        AlgorithmSpecification={
            "TrainingImage": f"{ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/xgb:1",
            "TrainingInputMode": "File",
        },
        RoleArn=ROLE_ARN,
        OutputDataConfig={"S3OutputPath": "s3://acme-models/"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )
    server_arn = f"arn:aws:sagemaker:us-east-1:{ACCOUNT_ID}:mlflow-tracking-server/pass-logged-to"
    # moto drops MlflowConfig: the job's answer gets it as AWS gives it back
    amend(
        aws,
        "sagemaker",
        "DescribeTrainingJob",
        ("TrainingJobName", "churn-train"),
        MlflowConfig={"MlflowResourceArn": server_arn},
    )
    _server(aws, "fail-nobody-logs")
    _server(aws, "pass-region-at-work", region="eu-west-1")
    _server(aws, "na-stopped")
    aws.client("sagemaker").stop_mlflow_tracking_server(TrackingServerName="na-stopped")

    report = scan(aws, ["SM-MLFLOW-003"], regions=("us-east-1", "eu-west-1"))

    assert verdicts(report, "SM-MLFLOW-003") == {
        "pass-logged-to": Status.PASS,
        "fail-nobody-logs": Status.FAIL,
        "pass-region-at-work": Status.PASS,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert details["pass-logged-to"] == "1 recent training job logged to it: churn-train"
    assert (
        details["pass-region-at-work"]
        == "no recent training job logged to it, but the region runs 1 notebook instance now"
    )
    assert details["fail-nobody-logs"] == (
        "Created (billed by the hour): no recent training job logged to it, and nothing in the region that could log to "
        "it runs now"
    )


def test_mlflow_tracking_server_oversized(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    sagemaker.create_domain(
        DomainName="team",
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE_ARN},
        VpcId="vpc-0a1b2c3d",
        SubnetIds=["subnet-0a1b2c3d"],
    )
    for user in ("ann", "bea", "cid"):
        sagemaker.create_user_profile(DomainId="d-team", UserProfileName=user)
    _server(aws, "pass-small")
    _server(aws, "pass-medium", TrackingServerSize="Medium")
    _server(aws, "fail-large", TrackingServerSize="Large")
    _server(aws, "na-stopped-large", TrackingServerSize="Large")
    sagemaker.stop_mlflow_tracking_server(TrackingServerName="na-stopped-large")

    report = scan(aws, ["SM-MLFLOW-004"], settings={"SM-MLFLOW-004": {"small_users": 2, "medium_users": 10}})

    assert verdicts(report, "SM-MLFLOW-004") == {
        "pass-small": Status.PASS,
        "pass-medium": Status.PASS,
        "fail-large": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert details["fail-large"] == "a Large server for 3 Studio user profiles in the region: Medium serves them"


def test_artifact_stores_and_roles_reach_the_s3_and_iam_checks(aws: boto3.Session) -> None:
    aws.client("s3").create_bucket(Bucket="pass-owned-store")
    _server(aws, "experiments", ArtifactStoreUri="s3://fail-deleted-store/runs/")
    _app(aws, "catalog", ArtifactStoreUri="s3://pass-owned-store/apps/")

    report = scan(aws, ["S3-ML-007", "IAM-ML-001"])

    assert verdicts(report, "S3-ML-007") == {"pass-owned-store": Status.PASS, "fail-deleted-store": Status.FAIL}
    missing = next(f for f in report.findings if f.resource_name == "fail-deleted-store")
    assert "mlflow-tracking-server/experiments" in missing.status_detail
    assert report.scan.statistics.by_operation["iam:GetRole"] == 1, "the role both name is looked up"


@pytest.mark.parametrize(
    ("operation", "check", "label"),
    [
        ("ListMlflowTrackingServers", "SM-MLFLOW-001", "all MLflow tracking servers"),
        ("ListMlflowApps", "SM-MLFLOW-002", "all MLflow apps"),
    ],
)
def test_a_refused_list_is_an_error_for_all(aws: boto3.Session, operation: str, check: str, label: str) -> None:
    _server(aws, "unseen")
    _app(aws, "unseen")
    refuse(aws, "sagemaker", operation)

    report = scan(aws, [check])

    assert [(f.status, f.resource_name) for f in report.findings] == [(Status.ERROR, label)]


@pytest.mark.parametrize(
    ("operation", "check", "arn"),
    [
        ("DescribeMlflowTrackingServer", "SM-MLFLOW-001", "mlflow-tracking-server/denied"),
        ("DescribeMlflowApp", "SM-MLFLOW-002", "mlflow-app/app-denied"),
    ],
)
def test_one_that_cannot_be_described_is_an_error_for_it_alone(
    aws: boto3.Session, operation: str, check: str, arn: str
) -> None:
    for name in ("denied", "readable"):
        _server(aws, name, S3BucketOwnerVerification=True)
        _app(aws, name, KmsKeyId=aws.client("kms").create_key()["KeyMetadata"]["Arn"])
    refuse(aws, "sagemaker", operation, only_for="denied")

    report = scan(aws, [check])

    assert verdicts(report, check) == {"denied": Status.ERROR, "readable": Status.PASS}
    error = next(f for f in report.findings if f.status is Status.ERROR)
    assert error.resource_arn == f"arn:aws:sagemaker:us-east-1:{ACCOUNT_ID}:{arn}"
