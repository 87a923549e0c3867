"""S3-ML-* checks against buckets that ML resources reference, created in moto."""

from __future__ import annotations

import json

import boto3
import pytest

from mlaudit.collect.accounts.endpoint_host import keep_s3control_on
from mlaudit.core.taxonomy import Status
from mlaudit.demo.server import demo_session, moto_server
from mlaudit.scan import ScanOptions, run_scan
from support import (
    ACCOUNT_ID,
    ROLE_ARN,
    answer,
    create_endpoint,
    create_model,
    create_trail,
    refuse,
    scan,
    select,
    verdicts,
)


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
        InputDataConfig=[
            {
                "ChannelName": "train",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://fail-none/train/"}},
            }
        ],
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


def test_the_legacy_eu_location_constraint_is_eu_west_1(aws: boto3.Session) -> None:
    """A bucket created in eu-west-1 long ago answers GetBucketLocation with `EU` (botocore's enum and docs), where
    ListBuckets names no region for it."""
    s3 = aws.client("s3", region_name="eu-west-1")
    s3.create_bucket(Bucket="pass-old-eu", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    _encrypt(aws, "pass-old-eu", "aws:kms")
    create_model(aws, "model", Image="model:1", ModelDataUrl="s3://pass-old-eu/model.tar.gz")
    answer(aws, "s3", "ListBuckets", {"Buckets": [{"Name": "pass-old-eu", "CreationDate": "2012-05-01T00:00:00Z"}]})
    answer(aws, "s3", "GetBucketLocation", {"LocationConstraint": "EU"})

    report = scan(aws, ["S3-ML-001"])

    assert verdicts(report, "S3-ML-001") == {"pass-old-eu": Status.PASS}
    assert report.findings[0].region == "eu-west-1"
    assert report.scan.statistics.by_operation["s3:GetBucketLocation"] == 1


def test_referenced_bucket_outside_the_account_is_not_judged(aws: boto3.Session) -> None:
    create_model(aws, "model", Image="model:1", ModelDataUrl="s3://someone-elses-bucket/model.tar.gz")

    report = scan(aws, ["S3-ML-001"])

    assert verdicts(report, "S3-ML-001") == {}
    assert report.scan.status.value == "complete"


def _ml_buckets(session: boto3.Session, *buckets: str) -> None:
    """Buckets that a SageMaker model references (one model per bucket), so that they are ML buckets."""
    for bucket in buckets:
        session.client("s3").create_bucket(Bucket=bucket)
        create_model(session, f"model-of-{bucket}", Image="model:1", ModelDataUrl=f"s3://{bucket}/model.tar.gz")


def _policy(session: boto3.Session, bucket: str, *statements: dict[str, object]) -> None:
    session.client("s3").put_bucket_policy(
        Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": list(statements)})
    )


def _deny_http(bucket: str, **overrides: object) -> dict[str, object]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    } | overrides


FLAGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def _block(*on: str) -> dict[str, bool]:
    return {flag: flag in on for flag in FLAGS}


def test_versioning(aws: boto3.Session) -> None:
    _ml_buckets(aws, "pass-versioned", "fail-suspended", "fail-never")
    s3 = aws.client("s3")
    s3.put_bucket_versioning(Bucket="pass-versioned", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_versioning(Bucket="fail-suspended", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_versioning(Bucket="fail-suspended", VersioningConfiguration={"Status": "Suspended"})
    create_model(aws, "foreign", Image="model:1", ModelDataUrl="s3://na-not-in-account/model.tar.gz")

    report = scan(aws, ["ml-bucket-versioning-disabled"])

    assert verdicts(report, "S3-ML-002") == {
        "pass-versioned": Status.PASS,
        "fail-suspended": Status.FAIL,
        "fail-never": Status.FAIL,
    }
    assert "Suspended" in next(f.status_detail for f in report.findings if f.resource_name == "fail-suspended")
    assert "s3:GetBucketEncryption" not in report.scan.statistics.by_operation, "each bucket setting is its own part"


def test_public_access_blocked_at_bucket_or_account_level(aws: boto3.Session) -> None:
    _ml_buckets(aws, "pass-bucket-level", "pass-combined", "fail-one-flag-off", "fail-nothing")
    s3 = aws.client("s3")
    s3.put_public_access_block(Bucket="pass-bucket-level", PublicAccessBlockConfiguration=_block(*FLAGS))
    s3.put_public_access_block(
        Bucket="pass-combined", PublicAccessBlockConfiguration=_block("BlockPublicAcls", "IgnorePublicAcls")
    )
    s3.put_public_access_block(
        Bucket="fail-one-flag-off", PublicAccessBlockConfiguration=_block(*(set(FLAGS) - {"IgnorePublicAcls"}))
    )
    aws.client("s3control").put_public_access_block(
        AccountId=ACCOUNT_ID, PublicAccessBlockConfiguration=_block("BlockPublicPolicy", "RestrictPublicBuckets")
    )

    report = scan(aws, ["S3-ML-003"])

    assert verdicts(report, "S3-ML-003") == {
        "pass-bucket-level": Status.PASS,
        "pass-combined": Status.PASS,
        "fail-one-flag-off": Status.FAIL,
        "fail-nothing": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert (
        details["fail-one-flag-off"] == "off at both bucket and account level: IgnorePublicAcls; used by 1 ML resource"
    )
    assert details["fail-nothing"].startswith(
        "off at both bucket and account level: BlockPublicAcls, IgnorePublicAcls;"
    )


def test_account_public_access_block_is_read_over_http_from_a_local_endpoint() -> None:
    """S3 Control puts the account id in front of the host; against an explicit endpoint URL mlaudit keeps the
    request on that host (the demo's server is such an endpoint)."""
    with moto_server() as url:
        session = demo_session()
        s3 = session.client("s3", endpoint_url=url)
        sagemaker = session.client("sagemaker", endpoint_url=url)
        for bucket in ("pass-account-level", "fail-no-block"):
            s3.create_bucket(Bucket=bucket)
            sagemaker.create_model(
                ModelName=f"m-{bucket}",
                ExecutionRoleArn=ROLE_ARN,
                PrimaryContainer={"Image": "model:1", "ModelDataUrl": f"s3://{bucket}/m.tar.gz"},
            )
        s3.put_public_access_block(
            Bucket="pass-account-level", PublicAccessBlockConfiguration=_block("BlockPublicAcls")
        )
        s3.put_public_access_block(Bucket="fail-no-block", PublicAccessBlockConfiguration=_block())
        s3control = session.client("s3control", endpoint_url=url)
        keep_s3control_on(s3control, url)
        s3control.put_public_access_block(AccountId=ACCOUNT_ID, PublicAccessBlockConfiguration=_block(*FLAGS[1:]))

        report = run_scan(
            ScanOptions(session=session, regions=["us-east-1"], endpoint_url=url, checks=select(["S3-ML-003"]))
        ).report

    assert verdicts(report, "S3-ML-003") == {"pass-account-level": Status.PASS, "fail-no-block": Status.FAIL}
    assert report.scan.statistics.by_operation["s3control:GetPublicAccessBlock"] == 1
    assert "BlockPublicAcls" in next(f.status_detail for f in report.findings if f.resource_name == "fail-no-block")


def test_plain_http_denied_by_bucket_policy(aws: boto3.Session) -> None:
    buckets = (
        "pass-deny-http",
        "pass-deny-http-among-others",
        "fail-no-policy",
        "fail-deny-for-one-role",
        "fail-deny-on-a-prefix",
        "fail-deny-with-extra-condition",
    )
    _ml_buckets(aws, *buckets)
    _policy(
        aws,
        "pass-deny-http",
        _deny_http("pass-deny-http", Principal={"AWS": "*"}, Action=["s3:GetObject", "s3:PutObject"]),
    )
    _policy(
        aws,
        "pass-deny-http-among-others",
        {
            "Effect": "Allow",
            "Principal": {"AWS": ROLE_ARN},
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::pass-deny-http-among-others/*",
        },
        _deny_http("pass-deny-http-among-others", Condition={"BoolIfExists": {"aws:SecureTransport": False}}),
    )
    _policy(aws, "fail-deny-for-one-role", _deny_http("fail-deny-for-one-role", Principal={"AWS": ROLE_ARN}))
    _policy(
        aws,
        "fail-deny-on-a-prefix",
        _deny_http("fail-deny-on-a-prefix", Resource="arn:aws:s3:::fail-deny-on-a-prefix/raw/*"),
    )
    _policy(
        aws,
        "fail-deny-with-extra-condition",
        _deny_http(
            "fail-deny-with-extra-condition",
            Condition={
                "Bool": {"aws:SecureTransport": "false"},
                "StringNotEquals": {"aws:PrincipalAccount": ACCOUNT_ID},
            },
        ),
    )

    report = scan(aws, ["S3-ML-004"])

    assert verdicts(report, "S3-ML-004") == {
        name: Status.PASS if name.startswith("pass") else Status.FAIL for name in buckets
    }
    assert "DenyInsecureTransport" in next(
        f.status_detail for f in report.findings if f.resource_name == "pass-deny-http"
    )


def _data_events(*values: str, read_write: str = "All") -> dict[str, object]:
    return {
        "EventSelectors": [
            {
                "ReadWriteType": read_write,
                "IncludeManagementEvents": True,
                "DataResources": [{"Type": "AWS::S3::Object", "Values": list(values)}],
            }
        ]
    }


def test_access_logged_by_server_access_logs_or_cloudtrail_data_events(aws: boto3.Session) -> None:
    buckets = (
        "pass-server-logs",
        "pass-trail",
        "pass-advanced-selector",
        "fail-prefix-only",
        "fail-writes-only",
        "fail-trail-stopped",
        "fail-unlogged",
    )
    _ml_buckets(aws, *buckets)
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="access-log-sink")
    s3.put_bucket_acl(Bucket="access-log-sink", ACL="log-delivery-write")
    s3.put_bucket_logging(
        Bucket="pass-server-logs",
        BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "access-log-sink", "TargetPrefix": "x/"}},
    )
    create_trail(aws, "data-events", **_data_events("arn:aws:s3:::pass-trail/", "arn:aws:s3:::fail-prefix-only/raw/"))
    create_trail(aws, "writes", **_data_events("arn:aws:s3:::fail-writes-only/", read_write="WriteOnly"))
    create_trail(
        aws,
        "advanced",
        AdvancedEventSelectors=[
            {
                "Name": "ml objects",
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Data"]},
                    {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                    {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::pass-advanced-selector/"]},
                ],
            }
        ],
    )
    create_trail(aws, "stopped", logging=False, **_data_events("arn:aws:s3:::fail-trail-stopped/"))

    report = scan(aws, ["S3-ML-005"])

    assert verdicts(report, "S3-ML-005") == {
        name: Status.PASS if name.startswith("pass") else Status.FAIL for name in buckets
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert "s3://access-log-sink/x/" in details["pass-server-logs"]
    assert "advanced" in details["pass-advanced-selector"]


def test_lifecycle(aws: boto3.Session) -> None:
    _ml_buckets(aws, "pass-lifecycle", "fail-rules-disabled", "fail-no-lifecycle")
    s3 = aws.client("s3")
    for bucket, status in (("pass-lifecycle", "Enabled"), ("fail-rules-disabled", "Disabled")):
        s3.put_bucket_lifecycle_configuration(
            Bucket=bucket,
            LifecycleConfiguration={
                "Rules": [
                    {
                        "ID": "expire-checkpoints",
                        "Status": status,
                        "Filter": {"Prefix": "checkpoints/"},
                        "Expiration": {"Days": 30},
                    }
                ]
            },
        )

    report = scan(aws, ["S3-ML-006"])

    assert verdicts(report, "S3-ML-006") == {
        "pass-lifecycle": Status.PASS,
        "fail-rules-disabled": Status.FAIL,
        "fail-no-lifecycle": Status.FAIL,
    }
    assert "expire-checkpoints" in next(
        f.status_detail for f in report.findings if f.resource_name == "fail-rules-disabled"
    )


def test_missing_or_foreign_buckets(aws: boto3.Session) -> None:
    _ml_buckets(aws, "pass-owned")
    for bucket in ("fail-deleted-bucket", "fail-someone-elses", "jumpstart-cache-prod-us-east-1"):
        create_model(aws, f"model-of-{bucket}", Image="model:1", ModelDataUrl=f"s3://{bucket}/model.tar.gz")
    for foreign in ("fail-someone-elses", "jumpstart-cache-prod"):  # other accounts' buckets: HeadBucket says 403
        refuse(aws, "s3", "HeadBucket", code="403", message="Forbidden", only_for=foreign)

    report = scan(aws, ["S3-ML-007"])

    assert verdicts(report, "S3-ML-007") == {
        "pass-owned": Status.PASS,
        "fail-deleted-bucket": Status.FAIL,
        "fail-someone-elses": Status.FAIL,
        "jumpstart-cache-prod-us-east-1": Status.PASS,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert (
        "does not exist" in details["fail-deleted-bucket"]
        and "model/model-of-fail-deleted-bucket" in details["fail-deleted-bucket"]
    )
    assert "another account" in details["fail-someone-elses"]
    assert "trusted_buckets" in details["jumpstart-cache-prod-us-east-1"]


@pytest.mark.parametrize(
    ("check_id", "service_id", "operation"),
    [
        ("S3-ML-002", "s3", "GetBucketVersioning"),
        ("S3-ML-003", "s3", "GetPublicAccessBlock"),
        ("S3-ML-003", "s3-control", "GetPublicAccessBlock"),
        ("S3-ML-004", "s3", "GetBucketPolicy"),
        ("S3-ML-005", "s3", "GetBucketLogging"),
        ("S3-ML-005", "cloudtrail", "ListTrails"),
        ("S3-ML-005", "cloudtrail", "GetEventSelectors"),
        ("S3-ML-006", "s3", "GetBucketLifecycleConfiguration"),
        ("S3-ML-007", "s3", "HeadBucket"),
    ],
)
def test_refused_calls_are_errors_not_verdicts(
    aws: boto3.Session, check_id: str, service_id: str, operation: str
) -> None:
    _ml_buckets(aws, "ml-data")
    create_model(aws, "model-elsewhere", Image="model:1", ModelDataUrl="s3://not-in-this-account/model.tar.gz")
    create_trail(aws, "account-trail")
    refuse(aws, service_id, operation)

    report = scan(aws, [check_id])

    # S3-ML-007 asks HeadBucket only about buckets outside the account; the other checks judge only owned ones
    expected = {"not-in-this-account"} if check_id == "S3-ML-007" else {"ml-data"}
    errors = [f for f in report.findings if f.status is Status.ERROR]
    assert {f.resource_name for f in errors} == expected, [(f.resource_name, f.status_detail) for f in report.findings]
    assert all(operation in f.status_detail for f in errors)
