"""CT-ML-001 against trails created in moto: the account passes only with a multi-region trail that is logging and
records read and write management events."""

from __future__ import annotations

import boto3
import pytest

from support import ACCOUNT_ID, create_trail, refuse, scan, verdicts
from mlaudit.taxonomy import Status


WRITE_ONLY = {"EventSelectors": [{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": True}]}
NO_MANAGEMENT = {"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": False,
                                     "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}]}]}
ADVANCED_MANAGEMENT = {"AdvancedEventSelectors": [{"Name": "management", "FieldSelectors": [
    {"Field": "eventCategory", "Equals": ["Management"]},
]}]}


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
    for name, options in trails:
        create_trail(aws, name, **options)

    report = scan(aws, ["CT-ML-001"])

    assert verdicts(report, "CT-ML-001") == {ACCOUNT_ID: expected}
    assert detail in report.findings[0].status_detail


@pytest.mark.parametrize("operation", ["ListTrails", "GetTrail", "GetTrailStatus", "GetEventSelectors"])
def test_refused_trail_reads_are_errors(aws: boto3.Session, operation: str) -> None:
    create_trail(aws, "org-wide")
    refuse(aws, "cloudtrail", operation)

    report = scan(aws, ["CT-ML-001"])

    assert verdicts(report, "CT-ML-001") == {ACCOUNT_ID: Status.ERROR}
    assert f"cloudtrail:{operation}" in report.findings[0].status_detail
