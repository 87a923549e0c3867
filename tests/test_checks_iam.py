"""IAM-ML-* checks against execution roles created in moto and referenced by SageMaker resources."""

from __future__ import annotations

import json

import boto3
import pytest

from mlaudit.core.taxonomy import Status
from support import ACCOUNT_ID, create_model, delete_before, refuse, scan, verdicts

TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
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
        PolicyName="scoped",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
        ),
    )["Policy"]["Arn"]
    _role_with_model(aws, "fail-full-access", "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess")
    _role_with_model(aws, "pass-scoped", scoped, "arn:aws:iam::aws:policy/AmazonSageMakerReadOnly")
    aws.client("iam").create_role(RoleName="unused", AssumeRolePolicyDocument=TRUST)
    aws.client("iam").attach_role_policy(
        RoleName="unused", PolicyArn="arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"
    )

    report = scan(aws, ["IAM-ML-001"])

    assert verdicts(report, "IAM-ML-001") == {"fail-full-access": Status.FAIL, "pass-scoped": Status.PASS}
    failing = next(f for f in report.findings if f.status is Status.FAIL)
    assert failing.resource_arn == f"arn:aws:iam::{ACCOUNT_ID}:role/service-role/fail-full-access"
    assert "model/model-of-fail-full-access" in failing.status_detail


def test_role_in_another_account_is_not_described(aws: boto3.Session) -> None:
    aws.client("sagemaker").create_model(
        ModelName="cross-account",
        ExecutionRoleArn="arn:aws:iam::999999999999:role/theirs",
        PrimaryContainer={"Image": "model:1"},
    )
    create_model(aws, "unrelated")

    report = scan(aws, ["IAM-ML-001"])

    assert "iam:GetRole" not in report.scan.statistics.by_operation or all(
        f.resource_arn.startswith(f"arn:aws:iam::{ACCOUNT_ID}:") for f in report.findings
    )
    assert "theirs" not in verdicts(report, "IAM-ML-001")


def _role(session: boto3.Session, role: str, trust: dict[str, object] | None = None, *, models: int = 1) -> str:
    """A role that `models` SageMaker models run as; returns its name."""
    session.client("iam").create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust) if trust else TRUST)
    for i in range(models):
        session.client("sagemaker").create_model(
            ModelName=f"model-{i}-of-{role}",
            ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/{role}",
            PrimaryContainer={"Image": "model:1"},
        )
    return role


def _document(*statements: dict[str, object]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def test_execution_role_wildcard_permissions(aws_with_managed_policies: boto3.Session) -> None:
    aws = aws_with_managed_policies
    iam = aws.client("iam")
    scoped = {"Effect": "Allow", "Action": ["s3:GetObject", "sagemaker:Describe*"], "Resource": "*"}
    for role, statement in (
        ("pass-scoped", scoped),
        (
            "pass-conditioned",
            {
                "Effect": "Allow",
                "Action": "*",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}},
            },
        ),
        ("pass-one-bucket", {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::ml-data/*"}),
        ("fail-inline-star", {"Effect": "Allow", "Action": "*", "Resource": "*"}),
        ("fail-not-action", {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}),
    ):
        iam.put_role_policy(RoleName=_role(aws, role), PolicyName="access", PolicyDocument=_document(statement))
    service_wide = iam.create_policy(
        PolicyName="s3-everything", PolicyDocument=_document({"Effect": "Allow", "Action": ["s3:*"], "Resource": ["*"]})
    )["Policy"]["Arn"]
    iam.attach_role_policy(RoleName=_role(aws, "fail-managed-service-star"), PolicyArn=service_wide)
    iam.attach_role_policy(RoleName=_role(aws, "fail-admin"), PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")

    report = scan(aws, ["IAM-ML-002"])

    assert verdicts(report, "IAM-ML-002") == {
        "pass-scoped": Status.PASS,
        "pass-conditioned": Status.PASS,
        "pass-one-bucket": Status.PASS,
        "fail-inline-star": Status.FAIL,
        "fail-not-action": Status.FAIL,
        "fail-managed-service-star": Status.FAIL,
        "fail-admin": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert "customer managed policy s3-everything allows s3:*" in details["fail-managed-service-star"]
    assert "inline policy access" in details["fail-inline-star"]


def test_execution_role_trust_confused_deputy(aws: boto3.Session) -> None:
    def trust(principal: str, **condition: object) -> dict[str, object]:
        statement = {"Effect": "Allow", "Principal": {"Service": principal}, "Action": "sts:AssumeRole", **condition}
        return {"Version": "2012-10-17", "Statement": [statement]}

    _role(
        aws,
        "pass-source-account",
        trust("sagemaker.amazonaws.com", Condition={"StringEquals": {"aws:SourceAccount": ACCOUNT_ID}}),
    )
    _role(
        aws,
        "pass-source-arn",
        trust("bedrock.amazonaws.com", Condition={"ArnLike": {"aws:SourceArn": f"arn:aws:bedrock:*:{ACCOUNT_ID}:*"}}),
    )
    _role(aws, "fail-unscoped", trust("sagemaker.amazonaws.com"))
    _role(aws, "na-ec2-only", trust("ec2.amazonaws.com"))

    report = scan(aws, ["IAM-ML-003"])

    assert verdicts(report, "IAM-ML-003") == {
        "pass-source-account": Status.PASS,
        "pass-source-arn": Status.PASS,
        "fail-unscoped": Status.FAIL,
    }


def test_execution_role_shared_widely(aws: boto3.Session) -> None:
    _role(aws, "pass-two-models", models=2)
    _role(aws, "fail-three-models", models=3)

    default = scan(aws, ["IAM-ML-004"])
    strict = scan(aws, ["IAM-ML-004"], settings={"IAM-ML-004": {"max_resources": 2}})

    assert verdicts(default, "IAM-ML-004") == {"pass-two-models": Status.PASS, "fail-three-models": Status.PASS}
    assert verdicts(strict, "IAM-ML-004") == {"pass-two-models": Status.PASS, "fail-three-models": Status.FAIL}
    assert "used by 3 ML resources, more than 2" in next(
        f.status_detail for f in strict.findings if f.resource_name == "fail-three-models"
    )


def test_refused_role_policy_reads_are_errors(aws: boto3.Session) -> None:
    aws.client("iam").put_role_policy(
        RoleName=_role(aws, "ml-role"),
        PolicyName="access",
        PolicyDocument=_document({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}),
    )
    refuse(aws, "iam", "GetRolePolicy")

    report = scan(aws, ["IAM-ML-001", "IAM-ML-002"])

    assert verdicts(report, "IAM-ML-001") == {"ml-role": Status.PASS}
    assert verdicts(report, "IAM-ML-002") == {"ml-role": Status.ERROR}
    assert "iam:GetRolePolicy" in next(f.status_detail for f in report.findings if f.check_id == "IAM-ML-002")


@pytest.mark.parametrize("deleted", ["managed", "inline"])
def test_a_policy_deleted_between_list_and_read_is_an_error_for_its_role(aws: boto3.Session, deleted: str) -> None:
    """A customer managed policy deleted between ListAttachedRolePolicies and GetPolicy (or an inline policy between
    ListRolePolicies and GetRolePolicy): IAM answers NoSuchEntity. The role still exists, so its policy checks
    report ERROR; it is never skipped as a vanished role."""
    iam = aws.client("iam")
    statement = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    policy = iam.create_policy(PolicyName="admin-ish", PolicyDocument=_document(statement))["Policy"]["Arn"]
    role = _role(aws, "ml-role")
    iam.attach_role_policy(RoleName=role, PolicyArn=policy)
    iam.put_role_policy(RoleName=role, PolicyName="inline-admin", PolicyDocument=_document(statement))
    answers: list[str] = []

    def delete() -> None:
        if deleted == "managed":
            iam.detach_role_policy(RoleName=role, PolicyArn=policy)
            iam.delete_policy(PolicyArn=policy)
        else:
            iam.delete_role_policy(RoleName=role, PolicyName="inline-admin")
        try:
            iam.get_policy(PolicyArn=policy) if deleted == "managed" else iam.get_role_policy(
                RoleName=role, PolicyName="inline-admin"
            )
        except iam.exceptions.NoSuchEntityException as exc:
            answers.append(exc.response["Error"]["Code"])

    operation, marker = ("GetPolicy", "admin-ish") if deleted == "managed" else ("GetRolePolicy", "inline-admin")
    delete_before(aws, "iam", operation, marker, delete)

    report = scan(aws, ["IAM-ML-001", "IAM-ML-002"])

    assert answers == ["NoSuchEntity"]
    assert verdicts(report, "IAM-ML-002") == {"ml-role": Status.ERROR}
    assert verdicts(report, "IAM-ML-001") == {"ml-role": Status.PASS}
    [error] = report.scan.errors
    assert error.error_code == "NoSuchEntity" and error.resource == "ml-role"
    assert "was listed for the role and then not found" in error.message


def test_role_policies_are_read_only_for_the_checks_that_need_them(aws: boto3.Session) -> None:
    _role(aws, "ml-role")

    report = scan(aws, ["IAM-ML-001", "IAM-ML-003", "IAM-ML-004"])

    assert "iam:GetRole" in report.scan.statistics.by_operation
    assert not {op for op in report.scan.statistics.by_operation if "Polic" in op} - {"iam:ListAttachedRolePolicies"}


def test_aws_managed_full_access_policies_and_permissions_boundaries(aws_with_managed_policies: boto3.Session) -> None:
    aws = aws_with_managed_policies
    boundary = aws.client("iam").create_policy(
        PolicyName="ml-boundary",
        PolicyDocument=_document({"Effect": "Allow", "Action": ["s3:*", "bedrock:Invoke*"], "Resource": "*"}),
    )["Policy"]["Arn"]
    managed = "arn:aws:iam::aws:policy/"
    _role_with_model(aws, "fail-bedrock-full", f"{managed}AmazonBedrockFullAccess")
    _role_with_model(aws, "fail-s3-full", f"{managed}AmazonS3FullAccess", f"{managed}AmazonSageMakerReadOnly")
    _role_with_model(aws, "pass-sagemaker-full-only", f"{managed}AmazonSageMakerFullAccess")
    _role_with_model(aws, "pass-read-only", f"{managed}AmazonSageMakerReadOnly")
    aws.client("iam").put_role_permissions_boundary(RoleName="pass-read-only", PermissionsBoundary=boundary)
    aws.client("iam").put_role_permissions_boundary(
        RoleName="pass-sagemaker-full-only", PermissionsBoundary=f"{managed}PowerUserAccess"
    )

    report = scan(aws, ["IAM-ML-005", "IAM-ML-006"])
    only_ours = scan(aws, ["IAM-ML-006"], settings={"IAM-ML-006": {"boundaries": ("ml-boundary",)}})

    assert verdicts(report, "IAM-ML-005") == {
        "fail-bedrock-full": Status.FAIL,
        "fail-s3-full": Status.FAIL,
        "pass-sagemaker-full-only": Status.PASS,
        "pass-read-only": Status.PASS,
    }
    assert verdicts(report, "IAM-ML-006") == {
        "fail-bedrock-full": Status.FAIL,
        "fail-s3-full": Status.FAIL,
        "pass-sagemaker-full-only": Status.PASS,
        "pass-read-only": Status.PASS,
    }
    assert verdicts(only_ours, "IAM-ML-006")["pass-sagemaker-full-only"] is Status.FAIL
    assert verdicts(only_ours, "IAM-ML-006")["pass-read-only"] is Status.PASS
    details = {(f.check_id, f.resource_name): f.status_detail for f in report.findings}
    assert details["IAM-ML-005", "fail-bedrock-full"].startswith("AWS managed AmazonBedrockFullAccess attached")
    assert details["IAM-ML-006", "pass-read-only"] == f"bounded by {boundary}"


def _agent_as(session: boto3.Session, agent: str, role: str, region: str = "us-east-1") -> str:
    return session.client("bedrock-agent", region_name=region).create_agent(
        agentName=agent,
        agentResourceRoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/{role}",
        foundationModel="anthropic.claude-3-haiku-20240307-v1:0",
    )["agent"]["agentId"]


def test_a_bedrock_agent_role_shared_by_several_agents(aws: boto3.Session) -> None:
    for role in ("pass-dedicated", "fail-two-regions", "fail-through-a-version", "na-model-role"):
        _role(aws, role, models=1 if role == "na-model-role" else 0)
    _agent_as(aws, "support", "pass-dedicated")
    _agent_as(aws, "billing", "fail-two-regions")
    _agent_as(aws, "billing-eu", "fail-two-regions", region="eu-west-1")
    agents = aws.client("bedrock-agent")
    travel = _agent_as(aws, "travel", "fail-through-a-version")
    agents.create_agent_alias(agentId=travel, agentAliasName="prod")  # version 1 runs as fail-through-a-version
    agents.update_agent(
        agentId=travel,
        agentName="travel",
        agentResourceRoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/pass-dedicated-2",
        foundationModel="anthropic.claude-3-haiku-20240307-v1:0",
    )
    _role(aws, "pass-dedicated-2", models=0)
    _agent_as(aws, "hotels", "fail-through-a-version")

    report = scan(aws, ["IAM-ML-007"], regions=("us-east-1", "eu-west-1"))

    assert verdicts(report, "IAM-ML-007") == {
        "pass-dedicated": Status.PASS,
        "pass-dedicated-2": Status.PASS,
        "fail-two-regions": Status.FAIL,
        "fail-through-a-version": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert details["fail-through-a-version"].startswith("2 agents run as this role: agent/")
