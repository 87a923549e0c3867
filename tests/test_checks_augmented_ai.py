"""SM-A2I-* checks against Augmented AI flow definitions created through mlaudit's moto extension."""

from __future__ import annotations

import boto3

from mlaudit.core.taxonomy import Status
from support import ROLE_ARN, refuse, scan, verdicts

KEY = "arn:aws:kms:us-east-1:123456789012:key/reviews"
WORKTEAM = "arn:aws:sagemaker:us-east-1:123456789012:workteam/private-crowd/claims-reviewers"


PUBLIC = "arn:aws:sagemaker:us-east-1:394669845002:workteam/public-crowd/default"


def _flow_definition(session: boto3.Session, name: str, key: str | None = None, workteam: str = WORKTEAM) -> None:
    output = {"S3OutputPath": "s3://claims-reviews/output/", **({"KmsKeyId": key} if key else {})}
    session.client("sagemaker").create_flow_definition(
        FlowDefinitionName=name,
        HumanLoopConfig={
            "WorkteamArn": workteam,
            "HumanTaskUiArn": "arn:aws:sagemaker:us-east-1:123456789012:human-task-ui/claims",
            "TaskTitle": "Review the claim",
            "TaskDescription": "Check the extracted fields",
            "TaskCount": 1,
        },
        OutputConfig=output,
        RoleArn=ROLE_ARN,
    )


def test_flow_definitions_encrypt_their_output(aws: boto3.Session) -> None:
    _flow_definition(aws, "pass-encrypted-reviews", KEY)
    _flow_definition(aws, "fail-default-encryption")

    report = scan(aws, ["SM-A2I-001"])

    assert verdicts(report, "SM-A2I-001") == {
        "pass-encrypted-reviews": Status.PASS,
        "fail-default-encryption": Status.FAIL,
    }
    assert next(f.status_detail for f in report.findings if f.status is Status.FAIL) == (
        "no KMS key: OutputConfig.KmsKeyId (human review output)"
    )


def test_flow_definitions_keep_tasks_off_the_public_workforce(aws: boto3.Session) -> None:
    _flow_definition(aws, "pass-private-team")
    _flow_definition(aws, "fail-mechanical-turk", workteam=PUBLIC)

    report = scan(aws, ["SM-A2I-002"])

    assert verdicts(report, "SM-A2I-002") == {"pass-private-team": Status.PASS, "fail-mechanical-turk": Status.FAIL}
    assert next(f.status_detail for f in report.findings if f.status is Status.PASS) == (
        "human review tasks go to the work team workteam/private-crowd/claims-reviewers"
    )


def test_flow_definitions_reference_their_output_bucket(aws: boto3.Session) -> None:
    aws.client("s3").create_bucket(Bucket="claims-reviews")
    _flow_definition(aws, "claims")

    report = scan(aws, ["S3-ML-001"])

    assert set(verdicts(report, "S3-ML-001")) == {"claims-reviews"}


def test_undescribed_flow_definitions_are_errors(aws: boto3.Session) -> None:
    _flow_definition(aws, "claims")
    refuse(aws, "sagemaker", "DescribeFlowDefinition")

    report = scan(aws, ["SM-A2I-001"])

    assert verdicts(report, "SM-A2I-001") == {"claims": Status.ERROR}
