"""RAM-ML-001 against AWS RAM shares of SageMaker resources created in moto (with mlaudit's RAM extension: moto
refuses SageMaker resources and lacks ListResources and ListPrincipals)."""

from __future__ import annotations

import boto3

from mlaudit.core.taxonomy import Status
from support import refuse, scan, verdicts


def _group(session: boto3.Session, name: str) -> str:
    sagemaker = session.client("sagemaker")
    sagemaker.create_model_package_group(ModelPackageGroupName=name)
    return sagemaker.describe_model_package_group(ModelPackageGroupName=name)["ModelPackageGroupArn"]


def test_sagemaker_resources_shared_outside_the_organization(aws: boto3.Session) -> None:
    organizations = aws.client("organizations")
    organizations.create_organization(FeatureSet="ALL")
    member = organizations.create_account(AccountName="prod", Email="prod@example.com")["CreateAccountStatus"]
    ram = aws.client("ram")
    ram.create_resource_share(
        name="pass-to-prod", resourceArns=[_group(aws, "fraud")], principals=[member["AccountId"]]
    )
    ram.create_resource_share(
        name="pass-external-allowed-none-yet", resourceArns=[_group(aws, "churn")], allowExternalPrincipals=True
    )
    ram.create_resource_share(
        name="fail-partner", resourceArns=[_group(aws, "recs")], principals=["999999999999", member["AccountId"]]
    )
    subnet = aws.client("ec2").describe_subnets()["Subnets"][0]["SubnetArn"]
    ram.create_resource_share(name="na-network-only", resourceArns=[subnet], principals=["999999999999"])
    deleted = ram.create_resource_share(
        name="na-deleted", resourceArns=[_group(aws, "old")], principals=["999999999999"]
    )["resourceShare"]["resourceShareArn"]
    ram.delete_resource_share(resourceShareArn=deleted)

    report = scan(aws, ["RAM-ML-001"])

    assert verdicts(report, "RAM-ML-001") == {
        "pass-to-prod": Status.PASS,
        "pass-external-allowed-none-yet": Status.PASS,
        "fail-partner": Status.FAIL,
    }
    detail = {f.resource_name: f.status_detail for f in report.findings}
    assert detail["fail-partner"] == "shares model-package-group/recs with 1 external principal: 999999999999"
    assert detail["pass-external-allowed-none-yet"].endswith("it allows external principals, none yet")


def test_no_share_of_sagemaker_resources_costs_one_call(aws: boto3.Session) -> None:
    report = scan(aws, ["RAM-ML-001"])

    assert verdicts(report, "RAM-ML-001") == {}
    assert {op for op in report.scan.statistics.by_operation if op.startswith("ram:")} == {"ram:ListResources"}


def test_shares_that_cannot_be_read_are_errors(aws: boto3.Session) -> None:
    aws.client("ram").create_resource_share(name="s", resourceArns=[_group(aws, "fraud")], principals=["999999999999"])
    refuse(aws, "ram", "ListPrincipals")

    report = scan(aws, ["RAM-ML-001"])

    assert set(verdicts(report, "RAM-ML-001").values()) == {Status.ERROR}
    assert "ListPrincipals" in report.findings[0].status_detail
