"""SM-REGISTRY-* checks against model package groups, versions, model cards, models and endpoints created in moto."""

from __future__ import annotations

import json
from typing import Any

import boto3

from mlaudit.core.taxonomy import Status
from support import ROLE_ARN, answer, create_endpoint, refuse, scan, verdicts

CENTRAL_REGISTRY_VERSION = "arn:aws:sagemaker:us-east-1:999999999999:model-package/central-fraud/3"
"""A version in another account's registry, shared with this one."""


def _group(
    session: boto3.Session, name: str, approvals: list[str], region: str = "us-east-1", **version: Any
) -> list[str]:
    """A group with one version per approval status; returns the versions' ARNs."""
    sagemaker = session.client("sagemaker", region_name=region)
    sagemaker.create_model_package_group(ModelPackageGroupName=name)
    return [
        sagemaker.create_model_package(
            ModelPackageGroupName=name,
            ModelApprovalStatus=status,
            InferenceSpecification={
                "Containers": [{"Image": "model:1", "ModelDataUrl": "s3://model-artefacts/model.tar.gz"}],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
            **version,
        )["ModelPackageArn"]
        for status in approvals
    ]


def _served(session: boto3.Session, endpoint: str, package: str | None = None, region: str = "us-east-1") -> None:
    """An endpoint serving a model built from `package` (an ARN or `group/version`), or from an image."""
    container = (
        {"ModelPackageName": package} if package else {"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:1"}
    )
    session.client("sagemaker", region_name=region).create_model(
        ModelName=f"{endpoint}-model", ExecutionRoleArn=ROLE_ARN, PrimaryContainer=container
    )
    create_endpoint(session, endpoint, f"{endpoint}-model", region=region)


def _training_job(session: boto3.Session, region: str) -> None:
    session.client("sagemaker", region_name=region).create_training_job(
        TrainingJobName="weekly-retrain",
        AlgorithmSpecification={"TrainingImage": "xgboost:1", "TrainingInputMode": "File"},
        RoleArn=ROLE_ARN,
        OutputDataConfig={"S3OutputPath": "s3://model-artefacts/"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )


def test_model_registry_unused(aws: boto3.Session) -> None:
    _group(aws, "fraud", ["Approved"], region="us-east-1")
    _served(aws, "scoring", region="us-east-1")
    _served(aws, "scoring", region="eu-west-1")
    _training_job(aws, "ap-south-1")
    _served(aws, "scoring", CENTRAL_REGISTRY_VERSION, region="ap-southeast-2")
    aws.client("sagemaker", region_name="ca-central-1").create_notebook_instance(
        NotebookInstanceName="exploration", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN
    )

    report = scan(
        aws, ["SM-REGISTRY-001"], regions=("us-east-1", "eu-west-1", "ap-south-1", "ap-southeast-2", "ca-central-1")
    )

    assert verdicts(report, "SM-REGISTRY-001") == {
        "us-east-1": Status.PASS,
        "eu-west-1": Status.FAIL,
        "ap-south-1": Status.FAIL,
        "ap-southeast-2": Status.PASS,
    }
    detail = {f.resource_name: f.status_detail for f in report.findings}
    assert detail["eu-west-1"] == "no model package group, yet the region has 1 endpoint in service (scoring)"
    assert "central-fraud/3" in detail["ap-southeast-2"]


def test_group_without_approved_version(aws: boto3.Session) -> None:
    _group(aws, "pass-approved", ["Rejected", "Approved", "PendingManualApproval"])
    _group(aws, "fail-pending", ["PendingManualApproval", "Rejected"])
    _group(aws, "fail-empty", [])

    report = scan(aws, ["SM-REGISTRY-002"])

    assert verdicts(report, "SM-REGISTRY-002") == {
        "pass-approved": Status.PASS,
        "fail-pending": Status.FAIL,
        "fail-empty": Status.FAIL,
    }
    assert "version 2 is approved" in next(
        f.status_detail for f in report.findings if f.resource_name == "pass-approved"
    )


def test_endpoint_serves_unapproved_package(aws: boto3.Session) -> None:
    approved, _pending, rejected = _group(aws, "Fraud", ["Approved", "PendingManualApproval", "Rejected"])
    _served(aws, "pass-approved", approved)
    _served(aws, "fail-pending-by-name", "fraud/2")
    _served(aws, "fail-rejected", rejected)
    _served(aws, "fail-deleted-version", approved.replace("/1", "/9"))
    _served(aws, "na-central-registry", CENTRAL_REGISTRY_VERSION)
    _served(aws, "na-no-package")

    report = scan(aws, ["SM-REGISTRY-003"])

    assert verdicts(report, "SM-REGISTRY-003") == {
        "pass-approved": Status.PASS,
        "fail-pending-by-name": Status.FAIL,
        "fail-rejected": Status.FAIL,
        "fail-deleted-version": Status.FAIL,
    }
    detail = {f.resource_name: f.status_detail for f in report.findings}
    assert "Fraud/2 (PendingManualApproval)" in detail["fail-pending-by-name"]
    assert "no longer in the registry" in detail["fail-deleted-version"]


def _card(evaluations: int) -> dict[str, Any]:
    content = {"evaluation_details": [{"name": f"holdout-{i}"} for i in range(evaluations)]}
    return {"ModelCard": {"ModelCardContent": json.dumps(content), "ModelCardStatus": "Approved"}}


def test_approved_package_without_metrics(aws: boto3.Session) -> None:
    metrics = {
        "ModelQuality": {
            "Statistics": {"ContentType": "application/json", "S3Uri": "s3://evaluation-reports/quality.json"}
        }
    }
    aws.client("s3").create_bucket(Bucket="evaluation-reports")
    _group(aws, "pass-metrics", ["Approved"], ModelMetrics=metrics)
    _group(aws, "pass-card-evaluations", ["Approved"], **_card(evaluations=2))
    _group(aws, "fail-no-metrics", ["Approved"])
    _group(aws, "fail-card-without-evaluations", ["Approved"], **_card(evaluations=0))
    _group(aws, "na-pending", ["PendingManualApproval"])

    report = scan(aws, ["SM-REGISTRY-004", "S3-ML-001"])
    strict = scan(
        aws, ["SM-REGISTRY-004"], settings={"SM-REGISTRY-004": {"required_reports": ("Bias.PostTrainingReport",)}}
    )

    assert verdicts(report, "SM-REGISTRY-004") == {
        "pass-metrics/1": Status.PASS,
        "pass-card-evaluations/1": Status.PASS,
        "fail-no-metrics/1": Status.FAIL,
        "fail-card-without-evaluations/1": Status.FAIL,
    }
    assert "evaluation-reports" in verdicts(report, "S3-ML-001"), "an approved version's reports bucket is an ML bucket"
    assert {name for name, status in verdicts(strict, "SM-REGISTRY-004").items() if status is Status.PASS} == set()


def test_no_model_cards(aws: boto3.Session) -> None:
    regions = ("us-east-1", "eu-west-1", "ap-south-1", "ap-southeast-2", "ca-central-1")
    for region in regions[:4]:
        _group(aws, "recs", ["Approved"], region=region, **(_card(evaluations=1) if region == "ap-south-1" else {}))
    _group(aws, "recs", ["PendingManualApproval"], region="ca-central-1")
    for region, status in (("us-east-1", "Draft"), ("ap-southeast-2", "Archived"), ("ca-central-1", "Draft")):
        aws.client("sagemaker", region_name=region).create_model_card(
            ModelCardName="recs-ranker", Content=json.dumps({"model_overview": {}}), ModelCardStatus=status
        )

    report = scan(aws, ["SM-REGISTRY-005"], regions=regions)

    assert verdicts(report, "SM-REGISTRY-005") == {
        "us-east-1": Status.PASS,
        "eu-west-1": Status.FAIL,
        "ap-south-1": Status.PASS,
        "ap-southeast-2": Status.FAIL,
    }


def test_undescribed_versions_and_unlisted_cards_are_errors(aws: boto3.Session) -> None:
    _group(aws, "fraud", ["Approved"])
    _group(aws, "churn", ["Approved"])
    refuse(aws, "sagemaker", "DescribeModelPackage", only_for="churn")
    refuse(aws, "sagemaker", "ListModelCards")

    report = scan(aws, ["SM-REGISTRY-004", "SM-REGISTRY-005"])

    assert verdicts(report, "SM-REGISTRY-004") == {"fraud/1": Status.FAIL, "churn/1": Status.ERROR}
    assert verdicts(report, "SM-REGISTRY-005") == {"us-east-1": Status.ERROR}


def _policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _grant(principal: Any, **condition: Any) -> dict[str, Any]:
    statement = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": ["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"],
        "Resource": "*",
    }
    return statement | ({"Condition": {"StringEquals": condition}} if condition else {})


def _shared_group(session: boto3.Session, name: str, *statements: dict[str, Any]) -> None:
    sagemaker = session.client("sagemaker")
    sagemaker.create_model_package_group(ModelPackageGroupName=name)
    if statements:
        sagemaker.put_model_package_group_policy(ModelPackageGroupName=name, ResourcePolicy=_policy(*statements))


def test_group_policies_shared_within_the_organization_only(aws: boto3.Session) -> None:
    organizations = aws.client("organizations")
    organization = organizations.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    member = organizations.create_account(AccountName="prod", Email="prod@example.com")["CreateAccountStatus"]
    member_id = member["AccountId"]
    service = {"Service": "sagemaker.amazonaws.com"}
    _shared_group(aws, "pass-no-policy")
    _shared_group(aws, "pass-member-account", _grant({"AWS": f"arn:aws:iam::{member_id}:root"}), _grant(service))
    _shared_group(aws, "pass-organization-condition", _grant("*", **{"aws:PrincipalOrgID": organization}))
    _shared_group(aws, "fail-everyone", _grant({"AWS": "*"}))
    _shared_group(aws, "fail-external-account", _grant({"AWS": ["999999999999", member_id]}))
    _shared_group(aws, "fail-other-organization", _grant("*", **{"aws:PrincipalOrgID": "o-elsewhere1"}))
    _shared_group(aws, "pass-trusted-partner", _grant({"AWS": "arn:aws:iam::444455556666:role/partner-deployer"}))

    report = scan(aws, ["SM-REGISTRY-006"])
    partner = scan(aws, ["SM-REGISTRY-006"], settings={"SM-REGISTRY-006": {"trusted_accounts": ("444455556666",)}})

    assert verdicts(report, "SM-REGISTRY-006") == {
        "pass-no-policy": Status.PASS,
        "pass-member-account": Status.PASS,
        "pass-organization-condition": Status.PASS,
        "fail-everyone": Status.FAIL,
        "fail-external-account": Status.FAIL,
        "fail-other-organization": Status.FAIL,
        "pass-trusted-partner": Status.FAIL,
    }
    assert verdicts(partner, "SM-REGISTRY-006")["pass-trusted-partner"] is Status.PASS
    detail = {f.resource_name: f.status_detail for f in report.findings}
    assert detail["fail-everyone"] == "grants everyone (Principal *) outside the organization"
    assert detail["fail-external-account"] == "grants account 999999999999 outside the organization"
    assert detail["pass-member-account"] == f"shared only within the organization (account {member_id})"


def test_group_policies_judged_from_a_member_account_or_outside_any_organization(aws: boto3.Session) -> None:
    _shared_group(aws, "fail-another-account", _grant({"AWS": "222222222222"}))
    _shared_group(aws, "pass-organization-condition", _grant("*", **{"aws:PrincipalOrgID": "o-acme12345"}))
    outside = scan(aws, ["SM-REGISTRY-006"])
    organization = {"Id": "o-acme12345", "Arn": "arn:aws:organizations::111111111111:organization/o-acme12345"}
    answer(
        aws,
        "organizations",
        "DescribeOrganization",
        {"Organization": {**organization, "MasterAccountId": "111111111111"}},
    )
    refuse(aws, "organizations", "ListAccounts", message="You don't have permissions to access this resource.")

    member = scan(aws, ["SM-REGISTRY-006"])

    assert verdicts(outside, "SM-REGISTRY-006") == {
        "fail-another-account": Status.FAIL,
        "pass-organization-condition": Status.FAIL,
    }, "in no organization, every other account and organization is outside"
    assert verdicts(member, "SM-REGISTRY-006") == {
        "fail-another-account": Status.FAIL,
        "pass-organization-condition": Status.PASS,
    }
    assert next(f.status_detail for f in member.findings if f.resource_name == "fail-another-account") == (
        "grants account 222222222222, not known to be in organization o-acme12345: its accounts could not be listed "
        "(AccessDeniedException on organizations:ListAccounts from a member account); add them to trusted_accounts"
    )
    assert member.scan.errors == []


def test_model_cards_use_customer_managed_keys(aws: boto3.Session) -> None:
    key = aws.client("kms").create_key(Description="model cards")["KeyMetadata"]["Arn"]
    sagemaker = aws.client("sagemaker")
    for name, security in (
        ("pass-cmk", {"SecurityConfig": {"KmsKeyId": key}}),
        ("fail-aws-owned-key", {}),
        ("fail-aws-managed-key", {"SecurityConfig": {"KmsKeyId": "alias/aws/s3"}}),
    ):
        sagemaker.create_model_card(ModelCardName=name, Content=json.dumps({}), ModelCardStatus="Draft", **security)

    report = scan(aws, ["SM-REGISTRY-007"])

    assert verdicts(report, "SM-REGISTRY-007") == {
        "pass-cmk": Status.PASS,
        "fail-aws-owned-key": Status.FAIL,
        "fail-aws-managed-key": Status.FAIL,
    }


def test_unreadable_policies_cards_and_organizations_are_errors(aws: boto3.Session) -> None:
    aws.client("organizations").create_organization(FeatureSet="ALL")
    _shared_group(aws, "private")
    _shared_group(aws, "shared", _grant({"AWS": "999999999999"}))
    _shared_group(aws, "hidden", _grant({"AWS": "999999999999"}))
    for card in ("readable", "sealed"):
        aws.client("sagemaker").create_model_card(ModelCardName=card, Content="{}", ModelCardStatus="Draft")
    refuse(aws, "sagemaker", "GetModelPackageGroupPolicy", only_for="hidden")
    refuse(aws, "sagemaker", "DescribeModelCard", only_for="sealed")
    refuse(aws, "organizations", "ListAccounts")

    report = scan(aws, ["SM-REGISTRY-006", "SM-REGISTRY-007"])

    assert verdicts(report, "SM-REGISTRY-006") == {
        "private": Status.PASS,
        "shared": Status.ERROR,
        "hidden": Status.ERROR,
    }, "the management account's refused ListAccounts is an error, not an unknown membership"
    assert verdicts(report, "SM-REGISTRY-007") == {"readable": Status.FAIL, "sealed": Status.ERROR}
    assert {e.operation for e in report.scan.errors} >= {
        "GetModelPackageGroupPolicy",
        "DescribeModelCard",
        "ListAccounts",
    }
