"""SM-STUDIO-* checks, and what Studio user profiles and spaces hand to the IAM, network and S3 checks, against
Studio resources created in moto (user profiles, spaces, apps and Studio lifecycle configurations through the demo's
moto extension)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from mlaudit.core.taxonomy import Status
from mlaudit.demo.moto_extensions.sagemaker_studio import record_app_activity
from support import ACCOUNT_ID, ROLE_ARN, refuse, scan, verdicts

TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}


def _domain(session: boto3.Session, name: str, user_settings: dict[str, Any] | None = None, **settings: Any) -> str:
    """A domain (default user settings: the test role, plus `user_settings`); returns its id."""
    session.client("sagemaker").create_domain(
        DomainName=name,
        AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": ROLE_ARN, **(user_settings or {})},
        VpcId="vpc-0a1b2c3d",
        SubnetIds=["subnet-0a1b2c3d"],
        **settings,
    )
    return f"d-{name}"


def _profile(session: boto3.Session, domain_id: str, name: str, **user_settings: Any) -> None:
    extra = {"UserSettings": user_settings} if user_settings else {}
    session.client("sagemaker").create_user_profile(DomainId=domain_id, UserProfileName=name, **extra)


def _role(session: boto3.Session, name: str, *managed_policies: str) -> str:
    iam = session.client("iam")
    arn: str = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    for policy in managed_policies:
        iam.attach_role_policy(RoleName=name, PolicyArn=f"arn:aws:iam::aws:policy/{policy}")
    return arn


def test_studio_notebook_output_sharing_unencrypted(aws: boto3.Session) -> None:
    key = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    allowed = {"NotebookOutputOption": "Allowed", "S3OutputPath": "s3://acme-shared-notebooks/"}
    plain = _domain(aws, "pass-no-sharing")
    _domain(aws, "pass-disabled", {"SharingSettings": {"NotebookOutputOption": "Disabled"}})
    _domain(aws, "fail-no-key", {"SharingSettings": allowed})
    _domain(aws, "pass-cmk", {"SharingSettings": {**allowed, "S3KmsKeyId": key}})
    _domain(aws, "fail-aws-managed", {"SharingSettings": {**allowed, "S3KmsKeyId": "alias/aws/s3"}})
    _profile(aws, plain, "fail-own-output", SharingSettings=allowed)
    _profile(aws, plain, "pass-own-key", SharingSettings={**allowed, "S3KmsKeyId": key})
    _profile(aws, plain, "na-inherits")

    report = scan(aws, ["SM-STUDIO-001"])

    assert verdicts(report, "SM-STUDIO-001") == {
        "pass-no-sharing": Status.PASS,
        "pass-disabled": Status.PASS,
        "fail-no-key": Status.FAIL,
        "pass-cmk": Status.PASS,
        "fail-aws-managed": Status.FAIL,
        "pass-no-sharing/fail-own-output": Status.FAIL,
        "pass-no-sharing/pass-own-key": Status.PASS,
    }
    profile = next(f for f in report.findings if f.resource_name == "pass-no-sharing/fail-own-output")
    assert profile.resource_arn == f"arn:aws:sagemaker:us-east-1:{ACCOUNT_ID}:user-profile/{plain}/fail-own-output"
    assert (
        profile.status_detail
        == "shared notebooks carry their cell output to s3://acme-shared-notebooks/ without S3KmsKeyId"
    )


def test_studio_canvas_workspace_not_cmk(aws: boto3.Session) -> None:
    key = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    workspace = {"S3ArtifactPath": "s3://acme-canvas/"}
    _domain(aws, "na-no-canvas")
    _domain(aws, "fail-default-workspace", {"CanvasAppSettings": {"DirectDeploySettings": {"Status": "DISABLED"}}})
    _domain(aws, "fail-no-key", {"CanvasAppSettings": {"WorkspaceSettings": workspace}})
    keyed = _domain(aws, "pass-cmk", {"CanvasAppSettings": {"WorkspaceSettings": {**workspace, "S3KmsKeyId": key}}})
    _profile(aws, keyed, "fail-own-workspace", CanvasAppSettings={"WorkspaceSettings": workspace})
    _profile(aws, keyed, "na-own-deploy-only", CanvasAppSettings={"DirectDeploySettings": {"Status": "DISABLED"}})

    report = scan(aws, ["studio-canvas-workspace-not-cmk"])

    assert verdicts(report, "SM-STUDIO-002") == {
        "fail-default-workspace": Status.FAIL,
        "fail-no-key": Status.FAIL,
        "pass-cmk": Status.PASS,
        "pass-cmk/fail-own-workspace": Status.FAIL,
    }


def test_studio_canvas_direct_deploy(aws_with_managed_policies: boto3.Session) -> None:
    aws = aws_with_managed_policies
    scoped = _role(aws, "canvas-scoped")
    deploying = _role(aws, "canvas-deploys", "service-role/AmazonSageMakerCanvasDirectDeployAccess")
    deploy = {"CanvasAppSettings": {"DirectDeploySettings": {"Status": "ENABLED"}}}
    plain = _domain(aws, "pass-default", {"ExecutionRole": scoped})
    _domain(aws, "fail-enabled", {"ExecutionRole": scoped, **deploy})
    _domain(aws, "fail-role-policy", {"ExecutionRole": deploying})
    _domain(aws, "pass-disabled", {"CanvasAppSettings": {"DirectDeploySettings": {"Status": "DISABLED"}}})
    _profile(aws, plain, "fail-own-role", ExecutionRole=deploying)
    _profile(aws, plain, "fail-own-setting", **deploy)
    _profile(aws, plain, "na-inherits")

    report = scan(aws, ["SM-STUDIO-003"])

    assert verdicts(report, "SM-STUDIO-003") == {
        "pass-default": Status.PASS,
        "fail-enabled": Status.FAIL,
        "fail-role-policy": Status.FAIL,
        "pass-disabled": Status.PASS,
        "pass-default/fail-own-role": Status.FAIL,
        "pass-default/fail-own-setting": Status.FAIL,
    }
    detail = next(f.status_detail for f in report.findings if f.resource_name == "pass-default/fail-own-role")
    assert detail == "the execution role canvas-deploys has AmazonSageMakerCanvasDirectDeployAccess attached"


def _idle(enabled: bool = True, timeout: int = 120, maximum: int | None = 180) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "LifecycleManagement": "ENABLED" if enabled else "DISABLED",
        "IdleTimeoutInMinutes": timeout,
    }
    if maximum is not None:
        settings["MaxIdleTimeoutInMinutes"] = maximum
    return {"AppLifecycleManagement": {"IdleSettings": settings}}


def test_studio_idle_shutdown_off(aws: boto3.Session) -> None:
    both = {"JupyterLabAppSettings": _idle(), "CodeEditorAppSettings": _idle()}
    _domain(aws, "fail-default")
    enabled = _domain(aws, "pass-enabled", both)
    _domain(aws, "fail-long-maximum", {**both, "CodeEditorAppSettings": _idle(timeout=60, maximum=1440)})
    _domain(aws, "fail-code-editor-off", {"JupyterLabAppSettings": _idle()})
    _domain(
        aws,
        "fail-shared-spaces",
        both,
        DefaultSpaceSettings={"ExecutionRole": ROLE_ARN},
    )
    _domain(
        aws,
        "pass-shared-spaces",
        both,
        DefaultSpaceSettings={"ExecutionRole": ROLE_ARN, "JupyterLabAppSettings": _idle()},
    )
    _profile(aws, enabled, "fail-own-off", JupyterLabAppSettings=_idle(enabled=False))
    _profile(aws, enabled, "pass-own-shorter", JupyterLabAppSettings=_idle(timeout=60, maximum=None))
    _profile(aws, enabled, "na-inherits")

    report = scan(aws, ["SM-STUDIO-004"])

    assert verdicts(report, "SM-STUDIO-004") == {
        "fail-default": Status.FAIL,
        "pass-enabled": Status.PASS,
        "fail-long-maximum": Status.FAIL,
        "fail-code-editor-off": Status.FAIL,
        "fail-shared-spaces": Status.FAIL,
        "pass-shared-spaces": Status.PASS,
        "pass-enabled/fail-own-off": Status.FAIL,
        "pass-enabled/pass-own-shorter": Status.PASS,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert details["fail-long-maximum"] == "CodeEditor: users may raise the timeout to 1440 minutes"
    assert details["fail-shared-spaces"] == "JupyterLab in shared spaces: idle shutdown is not enabled"
    assert details["pass-enabled/fail-own-off"] == "JupyterLab: idle shutdown is DISABLED"

    lenient = scan(aws, ["SM-STUDIO-004"], settings={"SM-STUDIO-004": {"max_idle_minutes": 1440}})
    assert verdicts(lenient, "SM-STUDIO-004")["fail-long-maximum"] is Status.PASS


def _space_app(
    session: boto3.Session, domain_id: str, space: str, app_type: str, instance_type: str, idle: timedelta | None
) -> None:
    sagemaker = session.client("sagemaker")
    sagemaker.create_space(DomainId=domain_id, SpaceName=space, SpaceSharingSettings={"SharingType": "Private"})
    sagemaker.create_app(
        DomainId=domain_id,
        SpaceName=space,
        AppType=app_type,
        AppName="default",
        ResourceSpec={"InstanceType": instance_type},
    )
    if idle is not None:
        last = datetime.now(UTC) - idle
        record_app_activity("us-east-1", domain_id, space, app_type, "default", last_user_activity=last)


def test_studio_app_idle(aws: boto3.Session) -> None:
    domain = _domain(aws, "lab")
    _space_app(aws, domain, "fail-idle-gpu", "JupyterLab", "ml.g5.xlarge", timedelta(days=3))
    _space_app(aws, domain, "pass-active-gpu", "JupyterLab", "ml.g5.xlarge", timedelta(hours=1))
    _space_app(aws, domain, "fail-idle-large", "CodeEditor", "ml.m5.8xlarge", timedelta(days=2))
    _space_app(aws, domain, "na-idle-small", "JupyterLab", "ml.t3.medium", timedelta(days=30))
    _space_app(aws, domain, "na-deleted-gpu", "JupyterLab", "ml.g5.xlarge", timedelta(days=30))
    aws.client("sagemaker").delete_app(
        DomainId=domain, SpaceName="na-deleted-gpu", AppType="JupyterLab", AppName="default"
    )

    report = scan(aws, ["SM-STUDIO-005"])

    assert verdicts(report, "SM-STUDIO-005") == {
        "lab/fail-idle-gpu/default": Status.FAIL,
        "lab/pass-active-gpu/default": Status.PASS,
        "lab/fail-idle-large/default": Status.FAIL,
    }
    idle = next(f for f in report.findings if f.resource_name == "lab/fail-idle-gpu/default")
    assert idle.status_detail.startswith("JupyterLab app on ml.g5.xlarge: no user activity for 72 hours (since ")
    assert (
        idle.resource_arn == f"arn:aws:sagemaker:us-east-1:{ACCOUNT_ID}:app/{domain}/fail-idle-gpu/jupyterlab/default"
    )

    patient = scan(aws, ["SM-STUDIO-005"], settings={"SM-STUDIO-005": {"idle_hours": 100, "large_size": 16.0}})
    assert verdicts(patient, "SM-STUDIO-005") == {
        "lab/fail-idle-gpu/default": Status.PASS,
        "lab/pass-active-gpu/default": Status.PASS,
    }


def _lifecycle_config(session: boto3.Session, name: str, script: str) -> None:
    session.client("sagemaker").create_studio_lifecycle_config(
        StudioLifecycleConfigName=name,
        StudioLifecycleConfigContent=base64.b64encode(script.encode()).decode(),
        StudioLifecycleConfigAppType="JupyterLab",
    )


def test_studio_lifecycle_script_secrets(aws: boto3.Session) -> None:
    token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    _lifecycle_config(aws, "fail-token", f"#!/bin/bash\npip install -q mlflow\nexport GITHUB_TOKEN={token}\n")
    _lifecycle_config(aws, "pass-clean", "#!/bin/bash\npip install -q mlflow\n")

    report = scan(aws, ["SM-STUDIO-006"])

    assert verdicts(report, "SM-STUDIO-006") == {"fail-token": Status.FAIL, "pass-clean": Status.PASS}
    failure = next(f for f in report.findings if f.status is Status.FAIL)
    assert failure.status_detail == "secret-looking lines in the script: line 3: github-token"
    assert token not in report.model_dump_json()
    assert set(report.scan.statistics.by_operation) == {
        "sts:GetCallerIdentity",
        "sagemaker:ListStudioLifecycleConfigs",
        "sagemaker:DescribeStudioLifecycleConfig",
    }


def test_studio_space_shared(aws: boto3.Session) -> None:
    domain = _domain(aws, "team", DefaultSpaceSettings={"ExecutionRole": ROLE_ARN})
    sagemaker = aws.client("sagemaker")
    for name, sharing in (("pass-private", "Private"), ("fail-shared", "Shared"), ("pass-allowed-demo", "Shared")):
        sagemaker.create_space(
            DomainId=domain,
            SpaceName=name,
            OwnershipSettings={"OwnerUserProfileName": "alice"},
            SpaceSharingSettings={"SharingType": sharing},
        )

    report = scan(aws, ["SM-STUDIO-007"], settings={"SM-STUDIO-007": {"allowed_shared_spaces": ("pass-allowed-*",)}})

    assert verdicts(report, "SM-STUDIO-007") == {
        "team/pass-private": Status.PASS,
        "team/fail-shared": Status.FAIL,
        "team/pass-allowed-demo": Status.PASS,
    }
    shared = next(f for f in report.findings if f.status is Status.FAIL)
    assert shared.status_detail == f"shared with every user of the domain (running as {ROLE_ARN})"


def test_profiles_and_spaces_hand_the_roles_they_run_as_to_the_iam_checks(
    aws_with_managed_policies: boto3.Session,
) -> None:
    aws = aws_with_managed_policies
    default = _role(aws, "pass-domain-default")
    own = _role(aws, "fail-profile-own", "AmazonSageMakerFullAccess")
    shared = _role(aws, "fail-shared-space", "AmazonSageMakerFullAccess")
    domain = _domain(aws, "roles", {"ExecutionRole": default}, DefaultSpaceSettings={"ExecutionRole": shared})
    _profile(aws, domain, "alice", ExecutionRole=own)
    _profile(aws, domain, "bob")
    sagemaker = aws.client("sagemaker")
    sagemaker.create_space(DomainId=domain, SpaceName="team", SpaceSharingSettings={"SharingType": "Shared"})

    report = scan(aws, ["IAM-ML-001"])

    assert verdicts(report, "IAM-ML-001") == {
        "pass-domain-default": Status.PASS,
        "fail-profile-own": Status.FAIL,
        "fail-shared-space": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert f"user-profile/{domain}/alice" in details["fail-profile-own"]
    assert f"space/{domain}/team" in details["fail-shared-space"]


def test_profile_security_groups_and_sharing_buckets_reach_the_network_and_s3_checks(aws: boto3.Session) -> None:
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    closed = ec2.create_security_group(GroupName="pass-domain-default", Description="d", VpcId=vpc)["GroupId"]
    open_group = ec2.create_security_group(GroupName="fail-profile-open", Description="d", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=open_group,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 8888, "ToPort": 8888, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    domain = _domain(aws, "network", {"SecurityGroups": [closed]})
    sharing = {"NotebookOutputOption": "Allowed", "S3OutputPath": "s3://fail-deleted-shared-notebooks/out/"}
    _profile(aws, domain, "carol", SecurityGroups=[open_group], SharingSettings=sharing)

    report = scan(aws, ["NET-ML-002", "S3-ML-007"])

    assert verdicts(report, "NET-ML-002") == {"pass-domain-default": Status.PASS, "fail-profile-open": Status.FAIL}
    assert verdicts(report, "S3-ML-007") == {"fail-deleted-shared-notebooks": Status.FAIL}


@pytest.mark.parametrize(
    ("operation", "check", "part_label"),
    [
        ("ListUserProfiles", "SM-STUDIO-001", "all Studio user profiles of refused"),
        ("ListSpaces", "SM-STUDIO-007", "all Studio spaces of refused"),
        ("ListApps", "SM-STUDIO-005", "all Studio apps of refused"),
        ("ListStudioLifecycleConfigs", "SM-STUDIO-006", "all Studio lifecycle configurations"),
    ],
)
def test_a_refused_list_is_an_error_for_all_of_its_resources(
    aws: boto3.Session, operation: str, check: str, part_label: str
) -> None:
    domain = _domain(aws, "refused")
    _profile(aws, domain, "dave")
    _space_app(aws, domain, "lab", "JupyterLab", "ml.g5.xlarge", None)
    _lifecycle_config(aws, "setup", "#!/bin/bash\n")
    refuse(aws, "sagemaker", operation)

    report = scan(aws, [check])

    errors = [f for f in report.findings if f.status is Status.ERROR]
    assert [f.resource_name for f in errors] == [part_label]
    assert operation in errors[0].status_detail


@pytest.mark.parametrize(
    ("operation", "check", "denied", "arn"),
    [
        ("DescribeUserProfile", "SM-STUDIO-001", "denied/erin", "user-profile/d-denied/erin"),
        ("DescribeSpace", "SM-STUDIO-007", "denied/erin", "space/d-denied/erin"),
        ("DescribeApp", "SM-STUDIO-005", "denied/erin/default", "app/d-denied/erin/jupyterlab/default"),
        ("DescribeStudioLifecycleConfig", "SM-STUDIO-006", "erin", "studio-lifecycle-config/erin"),
    ],
)
def test_a_resource_that_cannot_be_described_is_an_error_for_it_alone(
    aws: boto3.Session, operation: str, check: str, denied: str, arn: str
) -> None:
    domain = _domain(aws, "denied", {"SharingSettings": {"NotebookOutputOption": "Disabled"}})
    for name in ("erin", "frank"):
        _profile(aws, domain, name, SharingSettings={"NotebookOutputOption": "Disabled"})
        _space_app(aws, domain, name, "JupyterLab", "ml.g5.xlarge", None)
        _lifecycle_config(aws, name, "#!/bin/bash\n")
    refuse(aws, "sagemaker", operation, only_for='"erin"')

    report = scan(aws, [check])

    errors = [f for f in report.findings if f.status is Status.ERROR]
    assert [(f.resource_name, f.resource_arn) for f in errors] == [
        (denied, f"arn:aws:sagemaker:us-east-1:{ACCOUNT_ID}:{arn}")
    ]
    assert any(f.status is Status.PASS and "frank" in f.resource_name for f in report.findings)
