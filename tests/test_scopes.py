"""Region- and account-level checks: judged once per region that runs ML, ERROR where that is unknown."""

from __future__ import annotations

import textwrap
from pathlib import Path

import boto3

from mlaudit.core.taxonomy import Status
from support import ROLE_ARN, refuse, scan, verdicts

REGION_CHECK = """
from mlaudit.inventory import AccountScope, Model, RegionScope
from mlaudit.sdk import Pillar, Remediation, Severity, check, failed, ml_lens, passed

_common = dict(title="t", severity=Severity.LOW, pillar=Pillar.OPERATIONAL_EXCELLENCE, rationale="r.",
               references=(ml_lens("MLOE-12"),), remediation=Remediation(text="fix", url="https://example.com"))

@check(id="ACME-REGION-001", name="region-without-models", resource=RegionScope, uses=(Model,), service="sagemaker", **_common)
def region_without_models(region, ctx):
    if not region.hosts_ml_workloads:
        return None
    return passed("has models") if ctx.all(Model) else failed(f"{region.notebook_instances} notebooks, no model")

@check(id="ACME-ACCOUNT-001", name="account-seen", resource=AccountScope, service="cloudtrail", **_common)
def account_seen(account, ctx):
    return passed(f"account {account.account_id}")
"""


def _plugin(tmp_path: Path) -> Path:
    (tmp_path / "regional.py").write_text(textwrap.dedent(REGION_CHECK))
    return tmp_path


def _notebook(session: boto3.Session, region: str) -> None:
    session.client("sagemaker", region_name=region).create_notebook_instance(
        NotebookInstanceName=f"nb-{region}", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN
    )


def test_region_checks_judge_only_regions_with_ml_workloads(aws: boto3.Session, tmp_path: Path) -> None:
    _notebook(aws, "us-east-1")
    _notebook(aws, "eu-west-1")
    aws.client("sagemaker", region_name="eu-west-1").create_model(
        ModelName="m", ExecutionRoleArn=ROLE_ARN, PrimaryContainer={"Image": "i"}
    )

    report = scan(
        aws,
        ["ACME-REGION-001", "ACME-ACCOUNT-001"],
        regions=("us-east-1", "eu-west-1", "ap-south-1"),
        checks_dirs=[_plugin(tmp_path)],
    )

    assert verdicts(report, "ACME-REGION-001") == {"us-east-1": Status.FAIL, "eu-west-1": Status.PASS}
    failing = next(f for f in report.findings if f.check_id == "ACME-REGION-001" and f.status is Status.FAIL)
    assert failing.resource_arn == "arn:aws:sagemaker:us-east-1:123456789012:*"
    [account] = [f for f in report.findings if f.check_id == "ACME-ACCOUNT-001"]
    assert (account.status, account.resource_arn, account.service) == (
        Status.PASS,
        "arn:aws:cloudtrail::123456789012:*",
        "cloudtrail",
    )


def test_a_region_whose_workloads_are_unknown_is_an_error(aws: boto3.Session, tmp_path: Path) -> None:
    _notebook(aws, "us-east-1")
    refuse(aws, "sagemaker", "ListTrainingJobs")

    report = scan(aws, ["ACME-REGION-001"], checks_dirs=[_plugin(tmp_path)])

    [finding] = report.findings
    assert finding.status is Status.ERROR
    assert "regions may be incomplete because training jobs could not all be collected" in finding.status_detail
