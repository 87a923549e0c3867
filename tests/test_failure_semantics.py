"""A failed API call becomes ERROR for exactly the scope it affects, never PASS or FAIL."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from mlaudit.core.errors import ExitCode
from mlaudit.core.taxonomy import Status
from mlaudit.gating.exit_code import exit_code
from support import answer_when, create_endpoint, create_model, delete_before, refuse, scan, verdicts


def test_denied_service_gives_errors_for_its_checks_only(aws: boto3.Session) -> None:
    create_model(aws, "m", in_vpc=True)
    create_endpoint(aws, "endpoint", "m", KmsKeyId="arn:aws:kms:us-east-1:123456789012:key/abc")
    refuse(aws, "application-auto-scaling")

    report = scan(aws, ["SM-ENDPOINT-005", "SM-ENDPOINT-011", "SM-ENDPOINT-001"])

    assert verdicts(report, "SM-ENDPOINT-005") == {"endpoint": Status.ERROR}
    error = next(f for f in report.findings if f.check_id == "SM-ENDPOINT-005")
    assert "AccessDeniedException" in error.status_detail
    assert "DescribeScalableTargets" in error.status_detail
    assert verdicts(report, "SM-ENDPOINT-011") == {"endpoint": Status.PASS}
    assert verdicts(report, "SM-ENDPOINT-001") == {"endpoint-config": Status.PASS}
    assert report.scan.status.value == "partial"
    assert {(e.service, e.error_code) for e in report.scan.errors} == {
        ("application-autoscaling", "AccessDeniedException")
    }
    assert exit_code(report, "low") == ExitCode.INCOMPLETE


def test_denied_list_call_gives_one_error_for_the_whole_scope(aws: boto3.Session) -> None:
    aws.client("sagemaker").create_notebook_instance(
        NotebookInstanceName="nb", InstanceType="ml.t3.medium", RoleArn="arn:aws:iam::123456789012:role/r"
    )
    refuse(aws, "sagemaker", "ListNotebookInstances")

    report = scan(aws, ["SM-NOTEBOOK-001"])

    [finding] = report.findings
    assert finding.status is Status.ERROR
    assert finding.resource_arn == "arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/*"
    assert "ListNotebookInstances" in finding.status_detail


def test_denied_describe_gives_error_for_that_resource_only(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    for name in ("first", "second"):
        sagemaker.create_notebook_instance(
            NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn="arn:aws:iam::123456789012:role/r"
        )
    refuse(aws, "sagemaker", "DescribeNotebookInstance", message="explicit deny", only_for='"second"')

    report = scan(aws, ["SM-NOTEBOOK-001", "SM-NOTEBOOK-003"])

    assert verdicts(report, "SM-NOTEBOOK-001") == {"first": Status.FAIL, "second": Status.ERROR}
    assert verdicts(report, "SM-NOTEBOOK-003") == {"first": Status.FAIL, "second": Status.ERROR}
    error = next(f for f in report.findings if f.status is Status.ERROR)
    assert error.resource_arn == "arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/second"


def test_a_vanished_resource_is_neither_error_nor_verdict(aws: boto3.Session) -> None:
    """A notebook deleted between ListNotebookInstances and DescribeNotebookInstance: AWS answers
    ValidationException with the message exactly `RecordNotFound` (moto answers the same; terraform-provider-aws
    treats it as not found), and the notebook is skipped."""
    sagemaker = aws.client("sagemaker")
    for name in ("gone", "kept"):
        sagemaker.create_notebook_instance(
            NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn="arn:aws:iam::123456789012:role/r"
        )
    answers: list[dict[str, object]] = []

    def delete() -> None:
        sagemaker.stop_notebook_instance(NotebookInstanceName="gone")
        sagemaker.delete_notebook_instance(NotebookInstanceName="gone")
        with pytest.raises(ClientError) as raised:
            sagemaker.describe_notebook_instance(NotebookInstanceName="gone")
        answers.append(raised.value.response["Error"])

    delete_before(aws, "sagemaker", "DescribeNotebookInstance", "gone", delete)

    report = scan(aws, ["SM-NOTEBOOK-001"])

    assert answers == [{"Code": "ValidationException", "Message": "RecordNotFound"}]
    assert verdicts(report, "SM-NOTEBOOK-001") == {"kept": Status.FAIL}
    assert report.scan.status.value == "complete" and report.scan.errors == []


def test_discovery_from_an_incomplete_part_is_reported_incomplete(aws: boto3.Session) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="model-artefacts")
    create_model(aws, "m", Image="img", ModelDataUrl="s3://model-artefacts/m.tar.gz")
    refuse(aws, "sagemaker", "ListTrainingJobs")

    report = scan(aws, ["S3-ML-001"])

    assert verdicts(report, "S3-ML-001") == {"model-artefacts": Status.FAIL, "all ML buckets": Status.ERROR}
    error = next(f for f in report.findings if f.status is Status.ERROR)
    assert "ML buckets may be incomplete because training jobs could not all be collected" in error.status_detail
    assert "ListTrainingJobs" in error.status_detail


def test_a_describe_answer_missing_fields_keeps_the_resource_and_crashes_nothing(aws: boto3.Session) -> None:
    """A describe answer without the settings a check reads (and with a null status) keeps the notebook: it is judged
    on AWS's documented defaults (direct internet access and root access are Enabled when unset), and no check
    raises."""
    sagemaker = aws.client("sagemaker")
    for name in ("odd", "locked"):
        sagemaker.create_notebook_instance(
            NotebookInstanceName=name,
            InstanceType="ml.t3.medium",
            RoleArn="arn:aws:iam::123456789012:role/r",
            DirectInternetAccess="Disabled",
            RootAccess="Disabled",
            SubnetId="subnet-1",
            SecurityGroupIds=["sg-1"],
        )
    answer_when(
        aws,
        "sagemaker",
        "DescribeNotebookInstance",
        '"odd"',
        {"NotebookInstanceName": "odd", "NotebookInstanceStatus": None},
    )

    report = scan(aws, ["SM-NOTEBOOK-*"])

    assert verdicts(report, "SM-NOTEBOOK-001") == {"odd": Status.FAIL, "locked": Status.PASS}
    assert verdicts(report, "SM-NOTEBOOK-003") == {"odd": Status.FAIL, "locked": Status.PASS}
    assert [f.status_detail for f in report.findings if f.status is Status.ERROR] == []


def test_a_repeated_page_token_is_an_error_not_an_endless_loop(aws: boto3.Session) -> None:
    aws.client("sagemaker").create_notebook_instance(
        NotebookInstanceName="nb", InstanceType="ml.t3.medium", RoleArn="arn:aws:iam::123456789012:role/r"
    )
    answer_when(aws, "sagemaker", "ListNotebookInstances", "", {"NotebookInstances": [], "NextToken": "same-token"})

    report = scan(aws, ["SM-NOTEBOOK-001"])

    assert [f.status for f in report.findings] == [Status.ERROR]
    assert "ListNotebookInstances" in report.findings[0].status_detail


def test_a_refused_answer_shared_by_two_parts_is_asked_once_and_an_error_of_each(aws: boto3.Session) -> None:
    create_model(aws, "m")
    create_endpoint(aws, "endpoint", "m")
    refuse(aws, "cloudwatch", "DescribeAlarms")

    report = scan(aws, ["SM-ENDPOINT-006"])

    assert verdicts(report, "SM-ENDPOINT-006") == {"endpoint": Status.ERROR}
    assert report.scan.statistics.by_operation["cloudwatch:DescribeAlarms"] == 1
    refused = {(e.part, e.operation, e.error_code) for e in report.scan.errors}
    assert refused == {
        ("cloudwatch.metric_alarm", "DescribeAlarms", "AccessDeniedException"),
        ("cloudwatch.composite_alarm", "DescribeAlarms", "AccessDeniedException"),
    }
