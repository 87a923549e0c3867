"""SM-DOMAIN-* checks against Studio domains created in moto."""

from __future__ import annotations

import boto3

from mlaudit.core.taxonomy import Severity, Status
from support import ROLE_ARN, answer, refuse, scan, verdicts


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


def test_studio_domain_iam_auth(aws: boto3.Session) -> None:
    _domain(aws, "fail-iam")
    aws.client("sagemaker").create_domain(
        DomainName="pass-sso",
        AuthMode="SSO",
        DefaultUserSettings={"ExecutionRole": ROLE_ARN},
        VpcId="vpc-0a1b2c3d",
        SubnetIds=["subnet-0a1b2c3d"],
    )

    report = scan(aws, ["SM-DOMAIN-003"])

    assert verdicts(report, "SM-DOMAIN-003") == {"pass-sso": Status.PASS, "fail-iam": Status.FAIL}
    failure = next(f for f in report.findings if f.resource_name == "fail-iam")
    assert failure.status_detail == "authentication mode is IAM: users open Studio through IAM, not IAM Identity Center"


def test_a_sso_domain_without_identity_center_application_fails(aws: boto3.Session) -> None:
    """As Prowler judges it: AuthMode SSO alone is not enough (moto always invents the application, so the answer
    is AWS's for a domain whose association is missing)."""
    _domain(aws, "fail-sso-unassociated")
    answer(
        aws,
        "sagemaker",
        "DescribeDomain",
        {
            "DomainArn": "arn:aws:sagemaker:us-east-1:123456789012:domain/d-fail-sso-unassociated",
            "DomainId": "d-fail-sso-unassociated",
            "DomainName": "fail-sso-unassociated",
            "Status": "InService",
            "AuthMode": "SSO",
        },
    )

    report = scan(aws, ["studio-domain-iam-auth"])

    assert verdicts(report, "SM-DOMAIN-003") == {"fail-sso-unassociated": Status.FAIL}
    assert "no IAM Identity Center application" in report.findings[0].status_detail


def test_studio_domain_docker_access(aws: boto3.Session) -> None:
    docker = "DockerSettings"
    _domain(aws, "pass-default")
    _domain(aws, "pass-disabled", DomainSettings={docker: {"EnableDockerAccess": "DISABLED"}})
    _domain(
        aws, "fail-rootless", DomainSettings={docker: {"EnableDockerAccess": "ENABLED", "RootlessDocker": "ENABLED"}}
    )
    _domain(aws, "fail-root", DomainSettings={docker: {"EnableDockerAccess": "ENABLED"}})

    report = scan(aws, ["SM-DOMAIN-004"])

    assert verdicts(report, "SM-DOMAIN-004") == {
        "pass-default": Status.PASS,
        "pass-disabled": Status.PASS,
        "fail-rootless": Status.FAIL,
        "fail-root": Status.FAIL,
    }
    severities = {f.resource_name: f.severity for f in report.findings if f.status is Status.FAIL}
    assert severities == {"fail-rootless": Severity.LOW, "fail-root": Severity.MEDIUM}
