"""SM-NOTEBOOK-* checks against notebook instances created in moto."""

from __future__ import annotations

import base64

import boto3

from mlaudit.core.taxonomy import Status
from mlaudit.report.model import Report
from mlaudit.scan import ScanOptions, run_scan
from support import ACCOUNT_ID, ROLE_ARN, refuse, scan, select, verdicts


def _notebook(session: boto3.Session, name: str, **settings: object) -> None:
    session.client("sagemaker").create_notebook_instance(
        NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=ROLE_ARN, **settings
    )


def test_direct_internet_access_and_vpc(aws: boto3.Session) -> None:
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    _notebook(aws, "pass-private", SubnetId=subnet, SecurityGroupIds=["sg-1"], DirectInternetAccess="Disabled")
    _notebook(aws, "fail-explicit", DirectInternetAccess="Enabled")
    _notebook(aws, "fail-default")

    report = scan(aws, ["SM-NOTEBOOK-001", "notebook-outside-vpc"])

    expected = {"pass-private": Status.PASS, "fail-explicit": Status.FAIL, "fail-default": Status.FAIL}
    assert verdicts(report, "SM-NOTEBOOK-001") == expected
    assert verdicts(report, "SM-NOTEBOOK-002") == expected
    outside = [f.status_detail for f in report.findings if f.check_id == "SM-NOTEBOOK-002"]
    assert f"runs in subnet {subnet} with security groups sg-1" in outside
    assert "no SubnetId: the notebook runs in a network that SageMaker manages, not in your VPC" in outside


def _omit_from_description(session: boto3.Session, field: str, notebook: str) -> None:
    """Drop a field from one notebook's DescribeNotebookInstance responses, as an API response that omits it would."""

    def omit(parsed: dict[str, object], **_: object) -> None:
        if parsed.get("NotebookInstanceName") == notebook:
            parsed.pop(field, None)

    session.events.register("after-call.sagemaker.DescribeNotebookInstance", omit)


def test_root_access(aws: boto3.Session) -> None:
    _notebook(aws, "pass-disabled", RootAccess="Disabled")
    _notebook(aws, "fail-enabled", RootAccess="Enabled")
    _notebook(aws, "fail-unset")
    _omit_from_description(aws, "RootAccess", "fail-unset")

    report = scan(aws, ["notebook-root-access"])

    assert verdicts(report, "SM-NOTEBOOK-003") == {
        "pass-disabled": Status.PASS,
        "fail-enabled": Status.FAIL,
        "fail-unset": Status.FAIL,
    }
    unset = next(f for f in report.findings if f.resource_name == "fail-unset")
    assert "AWS default: Enabled" in unset.status_detail
    assert unset.resource_arn == "arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/fail-unset"


def _lifecycle_config(session: boto3.Session, name: str, on_start: str = "", on_create: str = "") -> None:
    hooks = (("OnStart", on_start), ("OnCreate", on_create))
    scripts = {hook: [{"Content": base64.b64encode(text.encode()).decode()}] for hook, text in hooks if text}
    session.client("sagemaker").create_notebook_instance_lifecycle_config(
        NotebookInstanceLifecycleConfigName=name, **scripts
    )


AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE"

AUTO_STOP = """#!/bin/bash
set -e
IDLE_TIME=3600
wget -O /home/ec2-user/autostop.py https://raw.githubusercontent.com/aws-samples/amazon-sagemaker-notebook-instance-lifecycle-config-samples/master/scripts/auto-stop-idle/autostop.py
(crontab -l 2>/dev/null; echo "*/5 * * * * /usr/bin/python3 /home/ec2-user/autostop.py --time $IDLE_TIME --ignore-connections") | crontab -
"""


def test_notebook_volume_not_cmk(aws: boto3.Session) -> None:
    kms = aws.client("kms")
    key = kms.create_key()["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/ml-notebooks", TargetKeyId=key)
    _notebook(aws, "pass-cmk", KmsKeyId=key)
    _notebook(aws, "pass-cmk-alias", KmsKeyId="alias/ml-notebooks")
    foreign_key = "arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    _notebook(aws, "pass-other-account", KmsKeyId=foreign_key)
    _notebook(aws, "fail-no-key")
    _notebook(aws, "fail-aws-managed", KmsKeyId="alias/aws/ebs")
    deleted_key = f"arn:aws:kms:us-east-1:{ACCOUNT_ID}:key/0000aaaa-00aa-00aa-00aa-000000aaaaaa"
    _notebook(aws, "fail-deleted-key", KmsKeyId=deleted_key)

    report = scan(aws, ["notebook-volume-not-cmk"])

    assert verdicts(report, "SM-NOTEBOOK-004") == {
        "pass-cmk": Status.PASS,
        "pass-cmk-alias": Status.PASS,
        "pass-other-account": Status.PASS,
        "fail-no-key": Status.FAIL,
        "fail-aws-managed": Status.FAIL,
        "fail-deleted-key": Status.FAIL,
    }
    assert "alias/aws/ebs, an AWS managed key" in _detail(report, "fail-aws-managed")
    assert "no longer exists" in _detail(report, "fail-deleted-key")


def test_notebook_unsupported_platform(aws: boto3.Session) -> None:
    _notebook(aws, "pass-al2023", PlatformIdentifier="notebook-al2023-v1")
    _notebook(aws, "pass-aws-default")
    _notebook(aws, "fail-al2", PlatformIdentifier="notebook-al2-v2")
    _notebook(aws, "pass-unreported")
    _omit_from_description(aws, "PlatformIdentifier", "pass-unreported")

    default = scan(aws, ["SM-NOTEBOOK-005"])
    allowing_al2 = scan(
        aws, ["SM-NOTEBOOK-005"], settings={"SM-NOTEBOOK-005": {"allowed_platforms": ("notebook-al2-v2",)}}
    )

    assert verdicts(default, "SM-NOTEBOOK-005") == {
        "pass-al2023": Status.PASS,
        "pass-aws-default": Status.PASS,
        "pass-unreported": Status.PASS,
        "fail-al2": Status.FAIL,
    }
    assert "not reported, so the AWS default notebook-al2023-v1" in _detail(default, "pass-unreported")
    assert "notebook-al2-v2, not one of notebook-al2023-v1, notebook-al2023-v2" in _detail(default, "fail-al2")
    assert verdicts(allowing_al2, "SM-NOTEBOOK-005")["fail-al2"] is Status.PASS


def test_notebook_running_without_auto_stop(aws: boto3.Session) -> None:
    _lifecycle_config(aws, "auto-stop", on_start=AUTO_STOP)
    _lifecycle_config(aws, "setup-only", on_start="#!/bin/bash\npip install --upgrade xgboost\n", on_create=AUTO_STOP)
    _lifecycle_config(
        aws,
        "comment-only",
        on_start="#!/bin/bash\n# TODO: install autostop.py\npip install xgboost  # then IDLE_TIME\n",
    )
    _notebook(aws, "pass-auto-stop", LifecycleConfigName="auto-stop")
    _notebook(aws, "fail-auto-stop-only-mentioned", LifecycleConfigName="comment-only")
    _notebook(aws, "fail-no-lifecycle")
    _notebook(aws, "fail-setup-only", LifecycleConfigName="setup-only")
    _notebook(aws, "na-stopped")
    aws.client("sagemaker").stop_notebook_instance(NotebookInstanceName="na-stopped")

    report = scan(aws, ["SM-NOTEBOOK-006"])

    assert verdicts(report, "SM-NOTEBOOK-006") == {
        "pass-auto-stop": Status.PASS,
        "fail-no-lifecycle": Status.FAIL,
        "fail-setup-only": Status.FAIL,
        "fail-auto-stop-only-mentioned": Status.FAIL,
    }
    assert "setup-only has no idle auto-stop in its OnStart script" in _detail(report, "fail-setup-only")


def test_notebook_imdsv1_allowed(aws: boto3.Session) -> None:
    _notebook(aws, "pass-imdsv2", InstanceMetadataServiceConfiguration={"MinimumInstanceMetadataServiceVersion": "2"})
    _notebook(aws, "fail-imdsv1", InstanceMetadataServiceConfiguration={"MinimumInstanceMetadataServiceVersion": "1"})
    _notebook(aws, "fail-default")
    _notebook(aws, "fail-unreported")
    _omit_from_description(aws, "InstanceMetadataServiceConfiguration", "fail-unreported")

    report = scan(aws, ["SM-NOTEBOOK-007"])

    assert verdicts(report, "SM-NOTEBOOK-007") == {
        "pass-imdsv2": Status.PASS,
        "fail-imdsv1": Status.FAIL,
        "fail-default": Status.FAIL,
        "fail-unreported": Status.FAIL,
    }
    assert "AWS default: 1 (IMDSv1 allowed)" in _detail(report, "fail-unreported")


def test_lifecycle_script_secrets_are_reported_by_line_and_kind_and_never_stored(aws: boto3.Session) -> None:
    _lifecycle_config(
        aws,
        "pass-clean",
        on_start="#!/bin/bash\n"
        "export DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id db --query SecretString)\n",
    )
    leaky_script = f"#!/bin/bash\nexport AWS_ACCESS_KEY_ID={AWS_KEY}\n"
    password_script = "#!/bin/bash\ncd /home/ec2-user\nDB_PASSWORD=hunter2hunter2\n"
    _lifecycle_config(aws, "fail-secrets", on_create=leaky_script, on_start=password_script)
    _lifecycle_config(aws, "na-unused", on_start="TOKEN=ghp_" + "abcdefghijklmnopqrstuvwxyz0123456789\n")
    _notebook(aws, "clean", LifecycleConfigName="pass-clean")
    _notebook(aws, "leaky", LifecycleConfigName="fail-secrets")
    _notebook(aws, "leaky-too", LifecycleConfigName="fail-secrets")

    result = run_scan(ScanOptions(session=aws, regions=("us-east-1",), checks=select(["SM-NOTEBOOK-008"])))

    assert verdicts(result.report, "SM-NOTEBOOK-008") == {"pass-clean": Status.PASS, "fail-secrets": Status.FAIL}
    detail = _detail(result.report, "fail-secrets")
    assert detail.startswith(
        "secret-looking lines in the lifecycle scripts: OnCreate line 2: aws-access-key-id, "
        "OnStart line 3: secret-named-variable"
    )
    assert "(used by leaky, leaky-too)" in detail
    everything = result.report.model_dump_json() + result.inventory.to_snapshot("test").model_dump_json()
    assert AWS_KEY not in everything and "hunter2" not in everything
    assert base64.b64encode(leaky_script.encode()).decode() not in everything


def test_refused_lifecycle_config_is_an_error_for_its_users_only(aws: boto3.Session) -> None:
    _lifecycle_config(aws, "readable", on_start=AUTO_STOP)
    _lifecycle_config(aws, "denied", on_start=AUTO_STOP)
    _notebook(aws, "uses-readable", LifecycleConfigName="readable")
    _notebook(aws, "uses-denied", LifecycleConfigName="denied")
    refuse(aws, "sagemaker", "DescribeNotebookInstanceLifecycleConfig", only_for='"denied"')

    report = scan(aws, ["SM-NOTEBOOK-006", "SM-NOTEBOOK-008"])

    assert verdicts(report, "SM-NOTEBOOK-006") == {"uses-readable": Status.PASS, "uses-denied": Status.ERROR}
    assert verdicts(report, "SM-NOTEBOOK-008") == {"readable": Status.PASS, "denied": Status.ERROR}
    assert "DescribeNotebookInstanceLifecycleConfig" in _detail(report, "uses-denied")


def _detail(report: Report, resource_name: str) -> str:
    return next(f.status_detail for f in report.findings if f.resource_name == resource_name)
