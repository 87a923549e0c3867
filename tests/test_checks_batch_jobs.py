"""SM-PROCESSING-* and SM-TRANSFORM-* checks against processing and batch transform jobs created in moto."""

from __future__ import annotations

from typing import Any

import boto3

from amend import amend
from mlaudit.core.taxonomy import Status
from support import ROLE_ARN, refuse, scan, verdicts

KEY = "arn:aws:kms:us-east-1:123456789012:key/jobs"


def _processing_job(
    session: boto3.Session,
    name: str,
    *,
    output_key: str | None = None,
    volume_key: str | None = None,
    instance_type: str = "ml.m5.xlarge",
    outputs: bool = True,
    isolated: bool = False,
    instances: int = 1,
    **settings: Any,
) -> None:
    cluster: dict[str, Any] = {"InstanceCount": instances, "InstanceType": instance_type, "VolumeSizeInGB": 30}
    if volume_key:
        cluster["VolumeKmsKeyId"] = volume_key
    output = {
        "OutputName": "features",
        "S3Output": {
            "S3Uri": "s3://features/out/",
            "LocalPath": "/opt/ml/processing/output",
            "S3UploadMode": "EndOfJob",
        },
    }
    output_config: dict[str, Any] = {"Outputs": [output] if outputs else []}
    if output_key:
        output_config["KmsKeyId"] = output_key
    session.client("sagemaker").create_processing_job(
        ProcessingJobName=name,
        RoleArn=ROLE_ARN,
        AppSpecification={"ImageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/sklearn:1"},
        ProcessingInputs=[
            {
                "InputName": "raw",
                "S3Input": {
                    "S3Uri": "s3://raw-data/in/",
                    "LocalPath": "/opt/ml/processing/input",
                    "S3DataType": "S3Prefix",
                },
            }
        ],
        ProcessingOutputConfig=output_config,
        ProcessingResources={"ClusterConfig": cluster},
        NetworkConfig={"EnableNetworkIsolation": isolated, **settings.pop("network", {})},
        **settings,
    )


def _transform_job(
    session: boto3.Session,
    name: str,
    *,
    output_key: str | None = None,
    volume_key: str | None = None,
    instance_type: str = "ml.m5.xlarge",
) -> None:
    output: dict[str, Any] = {"S3OutputPath": "s3://predictions/out/"}
    resources: dict[str, Any] = {"InstanceType": instance_type, "InstanceCount": 1}
    if output_key:
        output["KmsKeyId"] = output_key
    if volume_key:
        resources["VolumeKmsKeyId"] = volume_key
    session.client("sagemaker").create_transform_job(
        TransformJobName=name,
        ModelName="scorer",
        TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://customers/in/"}}},
        TransformOutput=output,
        TransformResources=resources,
    )


def _started_by_monitoring_schedule(session: boto3.Session, name: str) -> None:
    """A Model Monitor run: AWS sets MonitoringScheduleArn, which moto cannot."""
    _processing_job(session, name)
    schedule = "arn:aws:sagemaker:us-east-1:123456789012:monitoring-schedule/scoring-data-quality"
    amend(session, "sagemaker", "DescribeProcessingJob", ("ProcessingJobName", name), MonitoringScheduleArn=schedule)


def test_processing_job_kms_keys(aws: boto3.Session) -> None:
    _processing_job(aws, "pass-both-keys", output_key=KEY, volume_key=KEY)
    _processing_job(aws, "pass-nvme-instance", output_key="alias/features", instance_type="ml.m5d.xlarge")
    _processing_job(aws, "pass-no-s3-output", outputs=False, volume_key=KEY)
    _processing_job(aws, "fail-no-volume-key", output_key=KEY)
    _processing_job(aws, "fail-no-key")
    _started_by_monitoring_schedule(aws, "na-monitoring-run")

    report = scan(aws, ["SM-PROCESSING-001"])

    assert verdicts(report, "SM-PROCESSING-001") == {
        "pass-both-keys": Status.PASS,
        "pass-nvme-instance": Status.PASS,
        "pass-no-s3-output": Status.PASS,
        "fail-no-volume-key": Status.FAIL,
        "fail-no-key": Status.FAIL,
    }
    detail = {f.resource_name: f.status_detail for f in report.findings}
    assert detail["fail-no-volume-key"] == "no KMS key: ClusterConfig.VolumeKmsKeyId (storage volume)"


def test_processing_job_network_isolation(aws: boto3.Session) -> None:
    _processing_job(aws, "pass-isolated", isolated=True)
    _processing_job(aws, "fail-connected")
    _started_by_monitoring_schedule(aws, "na-monitoring-run")

    report = scan(aws, ["processing-job-no-network-isolation"])

    assert verdicts(report, "SM-PROCESSING-002") == {"pass-isolated": Status.PASS, "fail-connected": Status.FAIL}


VPC = {"VpcConfig": {"Subnets": ["subnet-0a1b2c3d"], "SecurityGroupIds": ["sg-0a1b2c3d"]}}


def test_processing_job_outside_vpc(aws: boto3.Session) -> None:
    _processing_job(aws, "pass-in-vpc", network=VPC)
    _processing_job(aws, "fail-managed-network")
    _started_by_monitoring_schedule(aws, "na-monitoring-run")

    report = scan(aws, ["SM-PROCESSING-003"])

    assert verdicts(report, "SM-PROCESSING-003") == {"pass-in-vpc": Status.PASS, "fail-managed-network": Status.FAIL}
    assert (
        next(f.status_detail for f in report.findings if f.status is Status.PASS) == "runs in subnets subnet-0a1b2c3d"
    )


def test_distributed_processing_job_inter_container_encryption(aws: boto3.Session) -> None:
    encrypted = {"EnableInterContainerTrafficEncryption": True}
    _processing_job(aws, "pass-encrypted", instances=3, network=encrypted)
    _processing_job(aws, "fail-plain-text", instances=2)
    _processing_job(aws, "na-single-instance")
    _started_by_monitoring_schedule(aws, "na-monitoring-run")

    report = scan(aws, ["processing-job-no-inter-container-encryption"])

    assert verdicts(report, "SM-PROCESSING-004") == {"pass-encrypted": Status.PASS, "fail-plain-text": Status.FAIL}


def test_processing_job_environment_secrets(aws: boto3.Session) -> None:
    _processing_job(aws, "pass-plain-settings", Environment={"LOG_LEVEL": "info", "DB_PASSWORD": "${DB_PASSWORD}"})
    _processing_job(aws, "pass-no-environment")
    _processing_job(aws, "fail-database-password", Environment={"DB_PASSWORD": "hunter2-prod", "MODE": "batch"})
    _processing_job(aws, "fail-access-key", Environment={"UPLOAD_KEY": "AKIAIOSFODNN7EXAMPLE"})

    report = scan(aws, ["SM-PROCESSING-005"])

    assert verdicts(report, "SM-PROCESSING-005") == {
        "pass-plain-settings": Status.PASS,
        "pass-no-environment": Status.PASS,
        "fail-database-password": Status.FAIL,
        "fail-access-key": Status.FAIL,
    }
    detail = {f.resource_name: f.status_detail for f in report.findings}
    assert (
        detail["fail-database-password"] == "secret-looking environment variable: DB_PASSWORD (secret-named-variable)"
    )
    assert detail["fail-access-key"] == "secret-looking environment variable: UPLOAD_KEY (aws-access-key-id)"
    assert detail["pass-plain-settings"] == "none of 2 environment variables looks like a secret"
    assert "hunter2" not in report.model_dump_json() and "AKIAIOSFODNN7EXAMPLE" not in report.model_dump_json()


def test_transform_job_kms_keys(aws: boto3.Session) -> None:
    _transform_job(aws, "pass-both-keys", output_key=KEY, volume_key=KEY)
    _transform_job(aws, "pass-nvme-instance", output_key=KEY, instance_type="ml.g4dn.xlarge")
    _transform_job(aws, "fail-no-output-key", volume_key=KEY)
    _transform_job(aws, "fail-nvme-no-output-key", instance_type="ml.g4dn.xlarge")

    report = scan(aws, ["SM-TRANSFORM-001"])

    assert verdicts(report, "SM-TRANSFORM-001") == {
        "pass-both-keys": Status.PASS,
        "pass-nvme-instance": Status.PASS,
        "fail-no-output-key": Status.FAIL,
        "fail-nvme-no-output-key": Status.FAIL,
    }


def test_jobs_reference_their_buckets(aws: boto3.Session) -> None:
    s3 = aws.client("s3")
    for bucket in ("raw-data", "features", "customers", "predictions"):
        s3.create_bucket(Bucket=bucket)
    _processing_job(aws, "prepare")
    _transform_job(aws, "score")

    report = scan(aws, ["S3-ML-001"])

    assert set(verdicts(report, "S3-ML-001")) == {"raw-data", "features", "customers", "predictions"}


def test_unlisted_jobs_are_errors_for_the_region(aws: boto3.Session) -> None:
    _processing_job(aws, "prepare")
    _transform_job(aws, "score")
    refuse(aws, "sagemaker", "ListProcessingJobs")
    refuse(aws, "sagemaker", "DescribeTransformJob")

    report = scan(aws, ["SM-PROCESSING-002", "SM-TRANSFORM-001"])

    assert verdicts(report, "SM-PROCESSING-002") == {"all processing jobs": Status.ERROR}
    assert verdicts(report, "SM-TRANSFORM-001") == {"score": Status.ERROR}
