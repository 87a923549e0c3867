"""CT-ML-001 against trails created in moto: the account passes only with a multi-region trail that is logging and
records read and write management events; CT-ML-002 against the event history of mlaudit's moto extension."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from mlaudit.collect.services.cloudtrail import MAX_EVENT_PAGES
from mlaudit.core.taxonomy import Status
from mlaudit.demo.moto_extensions.cloudtrail_events import record_event
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


def _user(name: str) -> dict[str, str]:
    return {
        "type": "IAMUser",
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/{name}",
        "accountId": ACCOUNT_ID,
        "userName": name,
    }


def _session(role: str, session: str) -> dict[str, object]:
    issuer = {"type": "Role", "arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{role}", "userName": role}
    return {
        "type": "AssumedRole",
        "arn": f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/{role}/{session}",
        "accountId": ACCOUNT_ID,
        "sessionContext": {"sessionIssuer": issuer},
    }


def _calls(identity: dict[str, object], events: list[str], hours_ago: float = 1, region: str = "us-east-1") -> None:
    for event in events:
        record_event(ACCOUNT_ID, region, event, identity, datetime.now(UTC) - timedelta(hours=hours_ago))


RECONNAISSANCE = ["ListFoundationModels", "GetFoundationModelAvailability", "GetUseCaseForModelAccess"]
TAKEOVER = ["PutUseCaseForModelAccess", "CreateFoundationModelAgreement", "PutModelInvocationLoggingConfiguration"]


def test_llm_jacking_activity_by_identity(aws: boto3.Session) -> None:
    _calls(_user("fail-stolen-key"), [*RECONNAISSANCE, *TAKEOVER, "InvokeModel"])
    _calls(_user("pass-app"), ["InvokeModel", "InvokeModelWithResponseStream"])
    # A role's sessions are the role: six events over three sessions fail it.
    for number, events in enumerate((RECONNAISSANCE[:2], RECONNAISSANCE[2:] + TAKEOVER[:1], TAKEOVER[1:])):
        _calls(_session("fail-ci", f"session-{number}"), events)
    _calls(_user("na-last-week"), [*RECONNAISSANCE, *TAKEOVER], hours_ago=24 * 7)  # outside the default window
    _calls({"type": "AWSService", "invokedBy": "bedrock.amazonaws.com"}, [*RECONNAISSANCE, *TAKEOVER])
    _calls(_user("pass-elsewhere"), ["InvokeModel"], region="eu-west-1")
    record_event(ACCOUNT_ID, "us-east-1", "CreateBucket", _user("na-s3"), datetime.now(UTC), source="s3.amazonaws.com")

    report = scan(aws, ["CT-ML-002"], regions=("us-east-1", "eu-west-1"))
    weekly = scan(aws, ["CT-ML-002"], settings={"CT-ML-002": {"window_days": 8, "min_events": 7}})

    assert verdicts(report, "CT-ML-002") == {
        "user/fail-stolen-key": Status.FAIL,
        "user/pass-app": Status.PASS,
        "role/fail-ci": Status.FAIL,
        "user/pass-elsewhere": Status.PASS,
    }
    assert verdicts(weekly, "CT-ML-002") == {
        "user/fail-stolen-key": Status.FAIL,
        "user/pass-app": Status.PASS,
        "role/fail-ci": Status.PASS,
        "user/na-last-week": Status.PASS,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert details["user/fail-stolen-key"] == (
        "IAMUser called 7 of the 14 LLMjacking events in the last 1 day(s): InvokeModel, ListFoundationModels, "
        "GetFoundationModelAvailability, CreateFoundationModelAgreement, GetUseCaseForModelAccess, "
        "PutUseCaseForModelAccess, PutModelInvocationLoggingConfiguration"
    )
    assert details["user/pass-app"] == (
        "IAMUser called 2 of the 14 LLMjacking events in the last 1 day(s) (InvokeModel, InvokeModelWithResponseStream)"
    )
    arns = {f.resource_name: f.resource_arn for f in report.findings}
    assert arns["role/fail-ci"] == f"arn:aws:iam::{ACCOUNT_ID}:role/fail-ci"
    assert report.scan.statistics.by_operation["cloudtrail:LookupEvents"] == 2 * 14, "one lookup per event and region"


def test_llm_jacking_lookups_stop_at_the_page_limit_and_say_so(aws: boto3.Session) -> None:
    app = _user("pass-busy-app")
    for minute in range(MAX_EVENT_PAGES * 50 + 1):
        record_event(ACCOUNT_ID, "us-east-1", "InvokeModel", app, datetime.now(UTC) - timedelta(minutes=minute))

    report = scan(aws, ["CT-ML-002"])

    assert verdicts(report, "CT-ML-002") == {"user/pass-busy-app": Status.PASS}
    assert report.findings[0].status_detail.endswith("read in part (the newest 500 events only): InvokeModel")
    assert report.scan.statistics.by_operation["cloudtrail:LookupEvents"] == MAX_EVENT_PAGES + 13


def test_refused_event_lookups_are_errors_for_the_region(aws: boto3.Session) -> None:
    _calls(_user("stolen-key"), RECONNAISSANCE)
    refuse(aws, "cloudtrail", "LookupEvents")

    report = scan(aws, ["CT-ML-002"])

    assert verdicts(report, "CT-ML-002") == {"all Bedrock callers": Status.ERROR}
    assert "LookupEvents" in report.findings[0].status_detail
