"""IAM-ML-008 against the customer managed and inline policies of IAM users, groups and roles created in moto (read
through GetAccountAuthorizationDetails, which moto implements)."""

from __future__ import annotations

import json
from typing import Any

import boto3

from mlaudit.core.taxonomy import Status
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
