"""SM-DOMAIN-* checks against Studio domains created in moto."""

from __future__ import annotations

import boto3

from mlaudit.core.taxonomy import Status
from support import ROLE_ARN, refuse, scan, verdicts


def _domain(session: boto3.Session, name: str, **settings: object) -> None:
    session.client("sagemaker").create_domain(
        DomainName=name,
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE_ARN},
        VpcId="vpc-0a1b2c3d",
        SubnetIds=["subnet-0a1b2c3d"],
        **settings,
    )


def test_studio_domain_not_vpc_only(aws: boto3.Session) -> None:
    _domain(aws, "pass-vpc-only", AppNetworkAccessType="VpcOnly")
    _domain(aws, "fail-public", AppNetworkAccessType="PublicInternetOnly")
    _domain(aws, "fail-default")

    report = scan(aws, ["SM-DOMAIN-001"])

    assert verdicts(report, "SM-DOMAIN-001") == {
        "pass-vpc-only": Status.PASS,
        "fail-public": Status.FAIL,
        "fail-default": Status.FAIL,
    }
    finding = next(f for f in report.findings if f.resource_name == "fail-default")
    assert finding.status_detail == "app network access is PublicInternetOnly"
    assert finding.resource_arn == "arn:aws:sagemaker:us-east-1:123456789012:domain/d-fail-default"


def test_studio_domain_not_cmk(aws: boto3.Session) -> None:
    key = aws.client("kms").create_key()["KeyMetadata"]["KeyId"]
    _domain(aws, "pass-cmk", KmsKeyId=key)
    _domain(aws, "fail-no-key")
    _domain(aws, "fail-aws-managed", KmsKeyId="alias/aws/elasticfilesystem")

    report = scan(aws, ["studio-domain-not-cmk"])

    assert verdicts(report, "SM-DOMAIN-002") == {
        "pass-cmk": Status.PASS,
        "fail-no-key": Status.FAIL,
        "fail-aws-managed": Status.FAIL,
    }


def test_a_domain_that_cannot_be_described_is_an_error_for_that_domain_only(aws: boto3.Session) -> None:
    _domain(aws, "readable", AppNetworkAccessType="VpcOnly")
    _domain(aws, "denied", AppNetworkAccessType="VpcOnly")
    refuse(aws, "sagemaker", "DescribeDomain", only_for='"d-denied"')

    report = scan(aws, ["SM-DOMAIN-001"])

    # A domain that could not be described is named as its verdict would have named it (the list gives its name).
    assert verdicts(report, "SM-DOMAIN-001") == {"readable": Status.PASS, "denied": Status.ERROR}
    error = next(f for f in report.findings if f.status is Status.ERROR)
    assert error.resource_arn == "arn:aws:sagemaker:us-east-1:123456789012:domain/d-denied"
    assert "DescribeDomain" in error.status_detail


def test_refused_domain_list_is_an_error_for_all_domains(aws: boto3.Session) -> None:
    _domain(aws, "unseen", AppNetworkAccessType="VpcOnly")
    refuse(aws, "sagemaker", "ListDomains")

    report = scan(aws, ["SM-DOMAIN-001", "SM-DOMAIN-002"])

    assert {(f.check_id, f.status, f.resource_name) for f in report.findings} == {
        ("SM-DOMAIN-001", Status.ERROR, "all Studio domains"),
        ("SM-DOMAIN-002", Status.ERROR, "all Studio domains"),
    }
    assert all("ListDomains" in f.status_detail for f in report.findings)
