"""IAM-ML-008 against the customer managed and inline policies of IAM users, groups and roles created in moto (read
through GetAccountAuthorizationDetails, which moto implements); IAM-ML-009 against their last use of Bedrock (IAM's
service last accessed data, through mlaudit's moto extension)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from mlaudit.collect.services import iam_last_access
from mlaudit.core.taxonomy import Status
from mlaudit.demo.moto_extensions.iam_last_accessed import age_identity, record_service_access
from support import ACCOUNT_ID, refuse, scan, verdicts

SUBSCRIBE = "aws-marketplace:Subscribe"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": []})


def _document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


NAMED_MODELS = {"ForAnyValue:StringEquals": {"aws-marketplace:ProductId": ["prod-m5ilt4siql27k"]}}


def test_marketplace_subscribe_on_every_product(aws: boto3.Session) -> None:
    iam = aws.client("iam")
    iam.create_role(RoleName="ml-admin", AssumeRolePolicyDocument=TRUST)
    iam.create_user(UserName="analyst")
    iam.create_group(GroupName="scientists")

    def managed(name: str, *statements: dict[str, Any], attach: bool = True) -> None:
        arn = iam.create_policy(PolicyName=name, PolicyDocument=_document(*statements))["Policy"]["Arn"]
        if attach:
            iam.attach_role_policy(RoleName="ml-admin", PolicyArn=arn)

    managed("fail-subscribe-star", _allow(SUBSCRIBE))
    managed("fail-marketplace-wildcard", _allow("aws-marketplace:*"))
    managed("fail-source-ip", _allow(SUBSCRIBE, Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))
    managed("pass-named-models", _allow(SUBSCRIBE, Condition=NAMED_MODELS))
    managed("pass-denied", _allow("*"), {"Effect": "Deny", "Action": "aws-marketplace:Sub*", "Resource": "*"})
    managed("pass-other-actions", _allow(["aws-marketplace:ViewSubscriptions", "bedrock:InvokeModel"]))
    managed("na-unattached", _allow(SUBSCRIBE), attach=False)
    iam.put_user_policy(UserName="analyst", PolicyName="everything", PolicyDocument=_document(_allow("*")))
    iam.put_user_policy(
        UserName="analyst",
        PolicyName="not-iam",
        PolicyDocument=_document({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
    )
    iam.put_group_policy(GroupName="scientists", PolicyName="invoke", PolicyDocument=_document(_allow("bedrock:*")))
    iam.put_role_policy(
        RoleName="ml-admin",
        PolicyName="one-product",
        PolicyDocument=_document(_allow(SUBSCRIBE, f"arn:aws:aws-marketplace::{ACCOUNT_ID}:product/x")),
    )

    report = scan(aws, ["IAM-ML-008"])

    assert verdicts(report, "IAM-ML-008") == {
        "fail-subscribe-star": Status.FAIL,
        "fail-marketplace-wildcard": Status.FAIL,
        "fail-source-ip": Status.FAIL,
        "pass-named-models": Status.PASS,
        "pass-denied": Status.PASS,
        "pass-other-actions": Status.PASS,
        "user/analyst/everything": Status.FAIL,
        "user/analyst/not-iam": Status.FAIL,
        "group/scientists/invoke": Status.PASS,
        "role/ml-admin/one-product": Status.PASS,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert details["fail-marketplace-wildcard"] == (
        "allows aws-marketplace:Subscribe on every product (aws-marketplace:* on every resource)"
    )
    assert details["user/analyst/not-iam"] == (
        "allows aws-marketplace:Subscribe on every product (NotAction iam:* on every resource)"
    )
    arns = {f.resource_name: f.resource_arn for f in report.findings}
    assert arns["role/ml-admin/one-product"] == f"arn:aws:iam::{ACCOUNT_ID}:role/ml-admin/inline-policy/one-product"
    assert arns["pass-denied"] == f"arn:aws:iam::{ACCOUNT_ID}:policy/pass-denied"
    assert report.scan.statistics.by_operation["iam:GetAccountAuthorizationDetails"] == 2, "one listing of each kind"


def test_refused_authorization_details_are_errors(aws: boto3.Session) -> None:
    iam = aws.client("iam")
    iam.create_user(UserName="analyst")
    iam.put_user_policy(UserName="analyst", PolicyName="everything", PolicyDocument=_document(_allow("*")))
    refuse(aws, "iam", "GetAccountAuthorizationDetails")

    report = scan(aws, ["IAM-ML-008"])

    errors = {f.resource_name: f.status_detail for f in report.findings if f.status is Status.ERROR}
    assert set(errors) == {"all customer managed policies", "all inline policies"}
    assert all("GetAccountAuthorizationDetails" in detail for detail in errors.values())
    assert [f for f in report.findings if f.status is not Status.ERROR] == []


def _role(session: boto3.Session, name: str, action: str | None = "bedrock:InvokeModel", path: str = "/") -> str:
    iam = session.client("iam")
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST, Path=path)["Role"]["Arn"]
    if action:
        iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=_document(_allow(action)))
    return arn


def _used(arn: str, days_ago: int) -> None:
    record_service_access(ACCOUNT_ID, arn, "bedrock", datetime.now(UTC) - timedelta(days=days_ago), region="eu-west-1")


def test_bedrock_access_unused_by_roles_and_users(aws: boto3.Session) -> None:
    iam = aws.client("iam")
    _used(_role(aws, "pass-recent"), days_ago=3)
    _used(_role(aws, "fail-stale"), days_ago=90)
    _role(aws, "fail-never", action="bedrock:*")
    _role(aws, "na-no-bedrock", action="s3:GetObject")
    _role(aws, "na-new")
    _role(aws, "na-linked", path="/aws-service-role/bedrock.amazonaws.com/")
    iam.create_user(UserName="fail-user-never")
    iam.create_group(GroupName="ml")
    iam.add_user_to_group(GroupName="ml", UserName="fail-user-never")
    iam.put_group_policy(GroupName="ml", PolicyName="bedrock", PolicyDocument=_document(_allow("bedrock:Invoke*")))
    iam.create_user(UserName="pass-user")
    iam.put_user_policy(UserName="pass-user", PolicyName="all", PolicyDocument=_document(_allow("*")))
    _used(iam.get_user(UserName="pass-user")["User"]["Arn"], days_ago=10)
    for kind, name in [("role", n) for n in ("pass-recent", "fail-stale", "fail-never", "na-no-bedrock")] + [
        ("user", "fail-user-never"),
        ("user", "pass-user"),
    ]:
        age_identity(ACCOUNT_ID, kind, name, datetime.now(UTC) - timedelta(days=200))

    report = scan(aws, ["IAM-ML-009"])
    lenient = scan(aws, ["IAM-ML-009"], settings={"IAM-ML-009": {"max_unused_days": 120}})

    assert verdicts(report, "IAM-ML-009") == {
        "pass-recent": Status.PASS,
        "fail-stale": Status.FAIL,
        "fail-never": Status.FAIL,
        "fail-user-never": Status.FAIL,
        "pass-user": Status.PASS,
    }
    assert verdicts(lenient, "IAM-ML-009")["fail-stale"] is Status.PASS
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert details["fail-stale"] == "last used Bedrock 90 days ago (in eu-west-1), more than 60"
    assert details["fail-never"] == "may use Bedrock but never did in IAM's 400-day tracking period"
    assert details["pass-recent"] == "last used Bedrock 3 days ago (in eu-west-1)"
    calls = report.scan.statistics.by_operation
    assert calls["iam:GenerateServiceLastAccessedDetails"] == calls["iam:GetServiceLastAccessedDetails"] == 7
    assert "na-linked" not in {f.resource_name for f in report.findings}


@pytest.mark.parametrize(
    "operation", ["ListRoles", "ListUsers", "GenerateServiceLastAccessedDetails", "GetServiceLastAccessedDetails"]
)
def test_refused_last_accessed_reads_are_errors(aws: boto3.Session, operation: str) -> None:
    _role(aws, "ml-role")
    aws.client("iam").create_user(UserName="ml-user")
    refuse(aws, "iam", operation)

    report = scan(aws, ["IAM-ML-009"])

    expected = {
        "ListRoles": {"all roles' Bedrock access"},
        "ListUsers": {"all users' Bedrock access"},
    }.get(operation, {"ml-role", "ml-user"})
    errors = {f.resource_name: f.status_detail for f in report.findings if f.status is Status.ERROR}
    assert set(errors) == expected
    assert all(operation in detail for detail in errors.values())


def _answer_first_reads(session: boto3.Session, reads: int, status: str, error: dict[str, str] | None = None) -> None:
    """Make IAM answer the first `reads` GetServiceLastAccessedDetails of each job with `status`, as it does while a
    job runs (IN_PROGRESS) or once it failed (FAILED, with its Error)."""
    seen: Counter[str] = Counter()
    operation = "iam.GetServiceLastAccessedDetails"

    def remember(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["job_id"] = params.get("JobId")

    def answer(parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        seen[context["job_id"]] += 1
        if seen[context["job_id"]] <= reads:
            parsed.update({"JobStatus": status, "ServicesLastAccessed": [], "IsTruncated": False})
            if error:
                parsed["Error"] = error

    session.events.register(f"provide-client-params.{operation}", remember)
    session.events.register(f"after-call.{operation}", answer)


def test_a_job_in_progress_is_polled_until_it_completes(aws: boto3.Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(iam_last_access, "POLL_SECONDS", 0.01)
    _used(_role(aws, "fail-stale"), days_ago=90)
    age_identity(ACCOUNT_ID, "role", "fail-stale", datetime.now(UTC) - timedelta(days=200))
    _answer_first_reads(aws, reads=2, status="IN_PROGRESS")

    report = scan(aws, ["IAM-ML-009"])

    assert verdicts(report, "IAM-ML-009") == {"fail-stale": Status.FAIL}
    assert report.scan.statistics.by_operation["iam:GetServiceLastAccessedDetails"] == 3


@pytest.mark.parametrize(
    ("status", "detail"),
    [("FAILED", "(InternalError): the job failed"), ("IN_PROGRESS", "(JobTimeout): the last accessed job was still")],
)
def test_a_failed_or_endless_job_is_an_error_for_its_identity(
    aws: boto3.Session, monkeypatch: pytest.MonkeyPatch, status: str, detail: str
) -> None:
    monkeypatch.setattr(iam_last_access, "POLL_SECONDS", 0.01)
    monkeypatch.setattr(iam_last_access, "MAX_POLLS", 3)
    _role(aws, "ml-role")
    aws.client("iam").create_user(UserName="ml-user")
    error = {"Code": "InternalError", "Message": "the job failed"} if status == "FAILED" else None
    _answer_first_reads(aws, reads=100, status=status, error=error)

    report = scan(aws, ["IAM-ML-009"])

    assert verdicts(report, "IAM-ML-009") == {"ml-role": Status.ERROR, "ml-user": Status.ERROR}
    assert all(detail in f.status_detail for f in report.findings), [f.status_detail for f in report.findings]
