"""SM-NOTEBOOK-* checks against notebook instances created in moto."""

from __future__ import annotations

import boto3

from support import ROLE_ARN, scan, verdicts
from mlaudit.taxonomy import Status


def _notebook(session: boto3.Session, name: str, **settings: object) -> None:
    session.client("sagemaker").create_notebook_instance(
        NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=ROLE_ARN, **settings
    )


def test_direct_internet_access(aws: boto3.Session) -> None:
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    _notebook(aws, "pass-private", SubnetId=subnet, SecurityGroupIds=["sg-1"], DirectInternetAccess="Disabled")
    _notebook(aws, "fail-explicit", DirectInternetAccess="Enabled")
    _notebook(aws, "fail-default")

    report = scan(aws, ["SM-NOTEBOOK-001"])

    assert verdicts(report, "SM-NOTEBOOK-001") == {
        "pass-private": Status.PASS,
        "fail-explicit": Status.FAIL,
        "fail-default": Status.FAIL,
    }


def test_root_access(aws: boto3.Session) -> None:
    _notebook(aws, "pass-disabled", RootAccess="Disabled")
    _notebook(aws, "fail-enabled", RootAccess="Enabled")
    _notebook(aws, "fail-unset")

    report = scan(aws, ["notebook-root-access"])

    assert verdicts(report, "SM-NOTEBOOK-003") == {
        "pass-disabled": Status.PASS,
        "fail-enabled": Status.FAIL,
        "fail-unset": Status.FAIL,
    }
    unset = next(f for f in report.findings if f.resource_name == "fail-unset")
    assert "AWS default: Enabled" in unset.status_detail
    assert unset.resource_arn == "arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/fail-unset"
