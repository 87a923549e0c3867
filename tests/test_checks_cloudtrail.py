"""CT-ML-001 against trails created in moto: the account passes only with a multi-region trail that is logging and
records read and write management events."""

from __future__ import annotations

import boto3
import pytest

from mlaudit.core.taxonomy import Status
from support import ACCOUNT_ID, ROLE_ARN, create_trail, delete_before, refuse, scan, verdicts

WRITE_ONLY = {"EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}]}
NO_MANAGEMENT = {
    "EventSelectors": [
        {
            "ReadWriteType": "All",
            "IncludeManagementEvents": False,
            "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}],
        }
    ]
}
ADVANCED_MANAGEMENT = {
    "AdvancedEventSelectors": [
        {
            "Name": "management",
            "FieldSelectors": [
                {"Field": "eventCategory", "Equals": ["Management"]},
            ],
        }
    ]
}


def _ml_workload(session: boto3.Session) -> None:
    session.client("sagemaker").create_notebook_instance(
        NotebookInstanceName="nb", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN
    )


@pytest.mark.parametrize(
    ("trails", "expected", "detail"),
    [
        ([("org-wide", {})], Status.PASS, "org-wide"),
        ([("advanced", ADVANCED_MANAGEMENT)], Status.PASS, "advanced"),
        ([], Status.FAIL, "no CloudTrail trail"),
        ([("single", {"multi_region": False})], Status.FAIL, "single is single-region (us-east-1)"),
        ([("stopped", {"logging": False})], Status.FAIL, "stopped is not logging"),
        ([("writes", WRITE_ONLY), ("data", NO_MANAGEMENT)], Status.FAIL, "writes is not recording read and write"),
    ],
)
def test_no_multi_region_cloudtrail(
    aws: boto3.Session, trails: list[tuple[str, dict[str, object]]], expected: Status, detail: str
) -> None:
    _ml_workload(aws)
    for name, options in trails:
        create_trail(aws, name, **options)

    report = scan(aws, ["CT-ML-001"])

    assert verdicts(report, "CT-ML-001") == {ACCOUNT_ID: expected}
    assert detail in report.findings[0].status_detail


def test_accounts_without_ml_workloads_are_not_judged(aws: boto3.Session) -> None:
    report = scan(aws, ["CT-ML-001"])

    assert report.findings == []


def test_unknown_workloads_make_the_account_check_an_error(aws: boto3.Session) -> None:
    refuse(aws, "sagemaker", "ListNotebookInstances")

    report = scan(aws, ["CT-ML-001"])

    assert [f.status for f in report.findings] == [Status.ERROR]
    assert "sagemaker:ListNotebookInstances" in report.findings[0].status_detail


@pytest.mark.parametrize("operation", ["ListTrails", "GetTrail", "GetTrailStatus", "GetEventSelectors"])
def test_refused_trail_reads_are_errors(aws: boto3.Session, operation: str) -> None:
    _ml_workload(aws)
    create_trail(aws, "org-wide")
    refuse(aws, "cloudtrail", operation)

    report = scan(aws, ["CT-ML-001"])

    assert verdicts(report, "CT-ML-001") == {ACCOUNT_ID: Status.ERROR}
    assert f"cloudtrail:{operation}" in report.findings[0].status_detail


@pytest.mark.parametrize("operation", ["GetTrail", "GetTrailStatus", "GetEventSelectors"])
def test_a_trail_deleted_during_the_scan_is_gone_not_an_error(aws: boto3.Session, operation: str) -> None:
    """AWS answers TrailNotFoundException (botocore models it for each trail read): the trail no longer exists."""
    _ml_workload(aws)
    create_trail(aws, "kept")
    create_trail(aws, "deleted", multi_region=False)
    cloudtrail = aws.client("cloudtrail")
    answers: list[str] = []

    def delete() -> None:
        cloudtrail.delete_trail(Name="deleted")
        try:
            cloudtrail.get_trail_status(Name="deleted")
        except cloudtrail.exceptions.TrailNotFoundException as exc:
            answers.append(exc.response["Error"]["Code"])

    delete_before(aws, "cloudtrail", operation, "deleted", delete)

    report = scan(aws, ["CT-ML-001"])

    assert answers == ["TrailNotFoundException"]
    assert verdicts(report, "CT-ML-001") == {ACCOUNT_ID: Status.PASS}
    assert report.scan.errors == []
