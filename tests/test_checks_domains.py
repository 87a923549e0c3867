"""SM-DOMAIN-* checks against Studio domains created in moto."""

from __future__ import annotations

import boto3

from support import ROLE_ARN, refuse, scan, verdicts
from mlaudit.taxonomy import Status


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


def test_refused_domain_calls_are_errors_for_their_scope(aws: boto3.Session) -> None:
    _domain(aws, "readable", AppNetworkAccessType="VpcOnly")
    _domain(aws, "denied", AppNetworkAccessType="VpcOnly")
    refuse(aws, "sagemaker", "DescribeDomain", only_for='"d-denied"')

    described = scan(aws, ["SM-DOMAIN-001"])
    refuse(aws, "sagemaker", "ListDomains")
    unlisted = scan(aws, ["SM-DOMAIN-001"])

    # A domain that could not be described is known by its id (and ARN) only.
    assert verdicts(described, "SM-DOMAIN-001") == {"readable": Status.PASS, "d-denied": Status.ERROR}
    [finding] = unlisted.findings
    assert (finding.status, finding.resource_name) == (Status.ERROR, "all Studio domains")
    assert "ListDomains" in finding.status_detail
