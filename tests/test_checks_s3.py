"""S3-ML-* checks against buckets that ML resources reference, created in moto."""

from __future__ import annotations

import boto3

from support import ROLE_ARN, create_endpoint, create_model, scan, verdicts
from mlaudit.taxonomy import Status


def _encrypt(session: boto3.Session, bucket: str, algorithm: str) -> None:
    default = {"SSEAlgorithm": algorithm} | ({"KMSMasterKeyID": "alias/ml"} if algorithm.startswith("aws:kms") else {})
    session.client("s3").put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={"Rules": [{"ApplyServerSideEncryptionByDefault": default}]},
    )


def test_ml_bucket_kms_encryption(aws: boto3.Session) -> None:
    s3 = aws.client("s3")
    for bucket in ("pass-kms", "pass-dsse", "fail-sse-s3", "fail-none", "not-ml"):
        s3.create_bucket(Bucket=bucket)
    s3.create_bucket(Bucket="pass-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    _encrypt(aws, "pass-kms", "aws:kms")
    _encrypt(aws, "pass-dsse", "aws:kms:dsse")
    _encrypt(aws, "pass-eu", "aws:kms")
    _encrypt(aws, "fail-sse-s3", "AES256")
    _encrypt(aws, "not-ml", "AES256")
    create_model(aws, "model", Image="model:1", ModelDataUrl="s3://pass-kms/model.tar.gz")
    create_model(aws, "model-eu", Image="model:1", ModelDataUrl="s3://pass-eu/model.tar.gz")
    create_endpoint(
        aws,
        "endpoint",
        "model",
        DataCaptureConfig={
            "EnableCapture": True,
            "InitialSamplingPercentage": 10,
            "DestinationS3Uri": "s3://fail-sse-s3/capture/",
            "CaptureOptions": [{"CaptureMode": "Input"}],
        },
    )
    aws.client("sagemaker").create_training_job(
        TrainingJobName="job",
        AlgorithmSpecification={"TrainingImage": "xgboost:1", "TrainingInputMode": "File"},
        RoleArn=ROLE_ARN,
        InputDataConfig=[{"ChannelName": "train", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://fail-none/train/"}}}],
        OutputDataConfig={"S3OutputPath": "s3://pass-dsse/output/"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )

    report = scan(aws, ["S3-ML-001"])

    assert verdicts(report, "S3-ML-001") == {
        "pass-kms": Status.PASS,
        "pass-dsse": Status.PASS,
        "pass-eu": Status.PASS,
        "fail-sse-s3": Status.FAIL,
        "fail-none": Status.FAIL,
    }
    eu = next(f for f in report.findings if f.resource_name == "pass-eu")
    assert (eu.region, eu.resource_arn) == ("eu-west-1", "arn:aws:s3:::pass-eu")


def test_referenced_bucket_outside_the_account_is_not_judged(aws: boto3.Session) -> None:
    create_model(aws, "model", Image="model:1", ModelDataUrl="s3://someone-elses-bucket/model.tar.gz")

    report = scan(aws, ["S3-ML-001"])

    assert verdicts(report, "S3-ML-001") == {}
    assert report.scan.status.value == "complete"
