"""An AWS Organization in moto, for the multi-account and sharding tests: moto's AssumeRole gives credentials for
the account in the role ARN, and resources created with them land in that account."""

from __future__ import annotations

from dataclasses import dataclass

import boto3
import pytest

from support import ACCOUNT_ID, ROLE_ARN, refuse

ROLE = "mlaudit-audit"
CHECKS = ["SM-NOTEBOOK-001", "SM-NOTEBOOK-003"]
REGIONS = ("us-east-1", "eu-west-1")


@dataclass
class Organization:
    """The management account (moto's default) and its members: alpha at the root, beta in OU ml, gamma in OU ml/deep,
    delta at the root whose role cannot be assumed."""

    ml_ou: str
    alpha: str
    beta: str
    gamma: str
    delta: str

    @property
    def every_account(self) -> list[str]:
        return sorted([ACCOUNT_ID, self.alpha, self.beta, self.gamma, self.delta])


def member(aws: boto3.Session, account_id: str, region: str = "us-east-1") -> boto3.Session:
    """A session in a member account, as its own administrators would have."""
    credentials = aws.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/admin", RoleSessionName="setup"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=region,
    )


def notebook(session: boto3.Session, name: str, **settings: object) -> None:
    session.client("sagemaker").create_notebook_instance(
        NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=ROLE_ARN, **settings
    )


@pytest.fixture
def organization(aws: boto3.Session) -> Organization:
    return build_organization(aws)


def build_organization(aws: boto3.Session) -> Organization:
    """The organization, its accounts and their notebooks, made with the management account's session `aws`."""
    org = aws.client("organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    ml = org.create_organizational_unit(ParentId=root, Name="ml")["OrganizationalUnit"]["Id"]
    deep = org.create_organizational_unit(ParentId=ml, Name="deep")["OrganizationalUnit"]["Id"]

    def account(name: str, parent: str) -> str:
        account_id = org.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"][
            "AccountId"
        ]
        if parent != root:
            org.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=parent)
        return account_id

    made = Organization(ml, account("alpha", root), account("beta", ml), account("gamma", deep), account("delta", root))
    closed = account("closed", ml)
    org.close_account(AccountId=closed)
    notebook(member(aws, made.alpha), "alpha-locked", RootAccess="Disabled")
    notebook(member(aws, made.beta, "eu-west-1"), "beta-open")
    notebook(member(aws, made.gamma), "gamma-open")
    notebook(aws, "management-open")
    refuse(aws, "sts", "AssumeRole", code="AccessDenied", message="not authorized to assume", only_for=made.delta)
    return made
