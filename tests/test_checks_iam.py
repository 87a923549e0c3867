"""IAM-ML-* checks against execution roles created in moto and referenced by SageMaker resources."""

from __future__ import annotations

import json

import boto3

from support import ACCOUNT_ID, create_model, scan, verdicts
from mlaudit.taxonomy import Status

TRUST = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
)


def _role_with_model(session: boto3.Session, role: str, *policies: str) -> None:
    iam = session.client("iam")
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=TRUST, Path="/service-role/")
    for policy in policies:
        iam.attach_role_policy(RoleName=role, PolicyArn=policy)
    session.client("sagemaker").create_model(
        ModelName=f"model-of-{role}",
        ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/service-role/{role}",
        PrimaryContainer={"Image": "model:1"},
    )


def test_execution_role_full_access(aws_with_managed_policies: boto3.Session) -> None:
    aws = aws_with_managed_policies
    scoped = aws.client("iam").create_policy(
        PolicyName="scoped", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})
    )["Policy"]["Arn"]
    _role_with_model(aws, "fail-full-access", "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess")
    _role_with_model(aws, "pass-scoped", scoped, "arn:aws:iam::aws:policy/AmazonSageMakerReadOnly")
    aws.client("iam").create_role(RoleName="unused", AssumeRolePolicyDocument=TRUST)
    aws.client("iam").attach_role_policy(RoleName="unused", PolicyArn="arn:aws:iam::aws:policy/AmazonSageMakerFullAccess")

    report = scan(aws, ["IAM-ML-001"])

    assert verdicts(report, "IAM-ML-001") == {"fail-full-access": Status.FAIL, "pass-scoped": Status.PASS}
    failing = next(f for f in report.findings if f.status is Status.FAIL)
    assert failing.resource_arn == f"arn:aws:iam::{ACCOUNT_ID}:role/service-role/fail-full-access"
    assert "model/model-of-fail-full-access" in failing.status_detail


def test_role_in_another_account_is_not_described(aws: boto3.Session) -> None:
    aws.client("sagemaker").create_model(
        ModelName="cross-account", ExecutionRoleArn="arn:aws:iam::999999999999:role/theirs", PrimaryContainer={"Image": "model:1"}
    )
    create_model(aws, "unrelated")

    report = scan(aws, ["IAM-ML-001"])

    assert "iam:GetRole" not in report.scan.statistics.by_operation or all(
        f.resource_arn.startswith(f"arn:aws:iam::{ACCOUNT_ID}:") for f in report.findings
    )
    assert "theirs" not in verdicts(report, "IAM-ML-001")
