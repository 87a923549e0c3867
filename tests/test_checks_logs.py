"""CW-ML-001 against CloudWatch Logs groups created in moto: SageMaker's groups and Bedrock's invocation log group."""

from __future__ import annotations

import boto3

from mlaudit.core.taxonomy import Status
from support import ROLE_ARN, refuse, scan, verdicts


def _group(session: boto3.Session, name: str, *, kms_key: str | None = None, retention: int | None = None) -> None:
    logs = session.client("logs")
    logs.create_log_group(logGroupName=name, **({"kmsKeyId": kms_key} if kms_key else {}))
    if retention:
        logs.put_retention_policy(logGroupName=name, retentionInDays=retention)


def test_ml_log_groups_need_a_key_and_a_retention_period(aws: boto3.Session) -> None:
    key = aws.client("kms").create_key(Description="logs")["KeyMetadata"]["Arn"]
    _group(aws, "/aws/sagemaker/Endpoints/pass-protected", kms_key=key, retention=90)
    _group(aws, "/aws/sagemaker/TrainingJobs/fail-unprotected")
    _group(aws, "/aws/sagemaker/NotebookInstances/fail-kept-forever", kms_key=key)
    _group(aws, "/aws/sagemaker/ProcessingJobs/fail-plain", retention=30)
    _group(aws, "/bedrock/fail-invocations-kept-forever", kms_key=key)
    _group(aws, "/bedrock/fail-invocations-kept-forever-archive")  # shares the prefix, not the name
    _group(aws, "/aws/lambda/na-not-ml")
    cloudwatch = {"logGroupName": "/bedrock/fail-invocations-kept-forever", "roleArn": ROLE_ARN}
    aws.client("bedrock").put_model_invocation_logging_configuration(
        loggingConfig={"cloudWatchConfig": cloudwatch, "textDataDeliveryEnabled": True}
    )

    report = scan(aws, ["ml-log-group-unprotected"])

    assert verdicts(report, "CW-ML-001") == {
        "/aws/sagemaker/Endpoints/pass-protected": Status.PASS,
        "/aws/sagemaker/TrainingJobs/fail-unprotected": Status.FAIL,
        "/aws/sagemaker/NotebookInstances/fail-kept-forever": Status.FAIL,
        "/aws/sagemaker/ProcessingJobs/fail-plain": Status.FAIL,
        "/bedrock/fail-invocations-kept-forever": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert details["/aws/sagemaker/TrainingJobs/fail-unprotected"] == (
        "no KMS key and no retention period (events never expire) (written by SageMaker)"
    )
    assert "written by Bedrock model invocation logging" in details["/bedrock/fail-invocations-kept-forever"]


def test_refused_log_group_listing_is_an_error(aws: boto3.Session) -> None:
    _group(aws, "/aws/sagemaker/TrainingJobs/unknown")
    refuse(aws, "cloudwatch-logs", "DescribeLogGroups")

    report = scan(aws, ["CW-ML-001"])

    [finding] = report.findings
    assert (finding.status, finding.resource_name) == (Status.ERROR, "all ML log groups")
    assert "DescribeLogGroups" in finding.status_detail
