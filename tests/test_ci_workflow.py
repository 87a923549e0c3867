"""mlaudit as a CI job: suppressions, baselines, diffs, offline snapshots, the least-privilege policy."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner

from mlaudit.catalog.loader import load_catalog
from mlaudit.cli import cli
from mlaudit.cli.ci_commands import SECURITY_AUDIT_VERSION
from mlaudit.collect.permissions import (
    SETUP_OPERATIONS,
    beyond_security_audit,
    iam_actions,
    missing_permissions,
    required_actions,
    required_operations,
    security_audit,
)
from mlaudit.collect.registry import COLLECTORS
from mlaudit.config.file import SuppressionRule
from mlaudit.core.taxonomy import Status
from mlaudit.gating.baseline import BaselineMuter, create_baseline
from mlaudit.gating.exit_code import exit_code
from mlaudit.gating.suppression import LabelledRule, Suppressor, TagsOf
from mlaudit.inventory import CollectionError
from mlaudit.renderers.json_report import render_json
from mlaudit.report.diffing import diff_reports
from mlaudit.report.model import Report, mute
from reports import finding, report_of
from support import ACCOUNT_ID, Recorder

ROOT = Path(__file__).resolve().parent.parent

TODAY = date(2026, 11, 23)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def suppress(report: Report, rules: list[LabelledRule], today: date, tags_of: TagsOf = lambda _: None) -> Report:
    return mute(report, Suppressor(rules, today, tags_of))


def rule(label: str, **fields: object) -> LabelledRule:
    return LabelledRule(label, SuppressionRule(reason=fields.pop("reason", "accepted"), **fields))  # type: ignore[arg-type]


def test_suppressions_match_by_id_check_account_region_and_resource() -> None:
    report = report_of(
        [finding("legacy-a"), finding("legacy-b", region="eu-west-1"), finding("prod"), finding("ok", Status.PASS)]
    )
    target = next(f for f in report.findings if f.resource_name == "prod")
    muted = suppress(
        report,
        [
            rule("f:1", check=report.checks[0].name, regions=["eu-*"], reason="pilot"),
            rule("f:2", check=report.checks[0].id, resources=["*:endpoint/legacy-a"], owner="me", expires=TODAY),
            rule("f:3", finding_id=target.id, accounts=["1234*"]),
            rule("f:4", check="SM-NOTEBOOK-*", reason="nothing here"),
        ],
        TODAY,
    )
    statuses = {f.resource_name: f.status for f in muted.findings}
    assert statuses == {"legacy-a": Status.MUTED, "legacy-b": Status.MUTED, "prod": Status.MUTED, "ok": Status.PASS}
    legacy = next(f for f in muted.findings if f.resource_name == "legacy-a")
    assert legacy.suppression is not None and (legacy.suppression.owner, legacy.suppression.muted_status) == (
        "me",
        Status.FAIL,
    )
    assert muted.summary.by_status[Status.MUTED] == 3 and muted.summary.by_status[Status.FAIL] == 0
    assert muted.scan.warnings == ["f:4: suppression of SM-NOTEBOOK-* (nothing here) matched no finding"]
    assert exit_code(muted, "low") == 0


def test_expired_suppressions_stop_applying_with_a_warning() -> None:
    report = report_of([finding("legacy")])
    muted = suppress(report, [rule("cfg:9", check=report.checks[0].id, expires=TODAY - timedelta(days=1))], TODAY)
    assert muted.findings[0].status is Status.FAIL
    assert muted.scan.warnings == [
        f"cfg:9: suppression of {report.checks[0].id} (accepted) expired on {TODAY - timedelta(days=1)}; no longer applied"
    ]


def test_tag_suppressions_need_the_tags() -> None:
    report = report_of([finding("tagged"), finding("untagged")])
    tags = {"tagged": {"environment": "sandbox-7"}}
    muted = suppress(
        report, [rule("f:1", check="*", tags={"environment": "sandbox-*"})], TODAY, lambda f: tags.get(f.resource_name)
    )
    assert {f.resource_name: f.status for f in muted.findings} == {"tagged": Status.MUTED, "untagged": Status.FAIL}


def test_a_scan_collects_tags_for_tag_suppressions(aws: boto3.Session, tmp_path: Path) -> None:
    for name, tags in (
        ("sandbox-nb", [{"Key": "environment", "Value": "sandbox-7"}]),
        ("prod-nb", [{"Key": "environment", "Value": "prod"}]),
    ):
        aws.client("sagemaker").create_notebook_instance(
            NotebookInstanceName=name,
            InstanceType="ml.t3.medium",
            RoleArn="arn:aws:iam::123456789012:role/r",
            RootAccess="Enabled",
            Tags=tags,
        )
    config = tmp_path / ".mlaudit.yaml"
    config.write_text(
        "suppressions:\n  - check: SM-NOTEBOOK-003\n    tags: {environment: sandbox-*}\n    reason: sandboxes are disposable\n"
    )
    code, out, err = run(
        "scan",
        "--config",
        str(config),
        "--region",
        "us-east-1",
        "--checks",
        "SM-NOTEBOOK-003",
        "--format",
        "json",
        "--output",
        "-",
    )
    assert code == 1, err
    report = json.loads(out)
    assert {f["resource_name"]: f["status"] for f in report["findings"]} == {"sandbox-nb": "MUTED", "prod-nb": "FAIL"}
    assert report["scan"]["statistics"]["by_operation"]["sagemaker:ListTags"] == 2


def test_passes_are_never_muted_and_errors_can_be() -> None:
    report = report_of([finding("p", Status.PASS), finding("e", Status.ERROR, "AccessDenied")])
    muted = suppress(report, [rule("f:1", check="*", reason="SCP denies this region by design")], TODAY)
    assert {f.resource_name: f.status for f in muted.findings} == {"p": Status.PASS, "e": Status.MUTED}
    errored = next(f for f in muted.findings if f.resource_name == "e")
    assert errored.suppression is not None and errored.suppression.muted_status is Status.ERROR


def test_baseline_round_trip() -> None:
    today = report_of([finding("old-1"), finding("old-2"), finding("fine", Status.PASS)])
    baseline = create_baseline(today)
    assert [e.id for e in baseline.findings] == [f.id for f in today.findings if f.status is Status.FAIL]
    tomorrow = report_of([finding("old-1"), finding("old-2", Status.PASS), finding("brand-new")])
    gated = mute(tomorrow, BaselineMuter(baseline, ".mlaudit-baseline.json"))
    assert {f.resource_name: f.status for f in gated.findings} == {
        "old-1": Status.MUTED,
        "old-2": Status.PASS,
        "brand-new": Status.FAIL,
    }
    assert gated.scan.warnings == ["1 of 2 baseline findings no longer fail: recreate the baseline to drop them"]
    assert create_baseline(gated).findings[0].id == next(
        f.id for f in tomorrow.findings if f.resource_name == "brand-new"
    )
    assert len(create_baseline(gated).findings) == 1, "fixing a finding removes it from the next baseline"


def test_baseline_gated_ci_run_on_the_demo(tmp_path: Path) -> None:
    """The demo collected once; its first evaluation fails and is baselined, the next one (the CI run, configured
    by its file) is gated by that baseline."""
    snapshot, checks = tmp_path / "inventory.json.gz", "SM-NOTEBOOK-*,SM-REGISTRY-002"
    code, _, err = run("collect", "--demo", "--checks", checks, "-o", str(snapshot))
    assert code == 0, err
    first = tmp_path / "first"
    code, _, _ = run("evaluate", str(snapshot), "--checks", checks, "--output-dir", str(first), "--quiet")
    assert code == 1
    code, out, _ = run("baseline", "create", str(first / "mlaudit.json"), "-o", str(tmp_path / "baseline.json"))
    assert code == 0 and "failing findings" in out
    config = tmp_path / ".mlaudit.yaml"
    config.write_text(f"baseline: {tmp_path / 'baseline.json'}\nfail_on: low\nformats: [json, junit]\n")
    code, _, err = run(
        "evaluate",
        str(snapshot),
        "--checks",
        checks,
        "--config",
        str(config),
        "--output-dir",
        str(tmp_path / "second"),
        "--quiet",
    )
    assert code == 0, err
    report = json.loads((tmp_path / "second" / "mlaudit.json").read_text())
    muted = [f for f in report["findings"] if f["status"] == "MUTED"]
    assert muted and all(f["suppression"]["source"] == "baseline" for f in muted)
    assert report["summary"]["by_status"]["FAIL"] == 0
    assert (tmp_path / "second" / "mlaudit.xml").exists()


def test_diff_categories_and_exit_code(tmp_path: Path) -> None:
    old = report_of([finding("stays"), finding("gets-fixed"), finding("disappears")])
    new = report_of([finding("stays"), finding("gets-fixed", Status.PASS), finding("appears")])
    change = diff_reports(old, new)
    assert [f.resource_name for f in change.new] == ["appears"]
    assert sorted(f.resource_name for f in change.fixed) == ["disappears", "gets-fixed"]
    assert [f.resource_name for f in change.still_failing] == ["stays"]
    (tmp_path / "old.json").write_text(render_json(old))
    (tmp_path / "new.json").write_text(render_json(new))
    code, out, _ = run("diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"))
    assert code == 1 and "appears" in out and "gets-fixed" in out
    code, out, _ = run(
        "diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--format", "json", "--fail-on", "none"
    )
    assert code == 0 and [f["resource_name"] for f in json.loads(out)["new"]] == ["appears"]
    code, out, _ = run("diff", str(tmp_path / "new.json"), str(tmp_path / "new.json"), "--format", "md")
    assert code == 0 and "**0 new**" in out


def test_diff_table_leads_with_the_counts_and_lists_still_failing_only_with_all(tmp_path: Path) -> None:
    old = report_of([finding("stays"), finding("gets-fixed")])
    new = report_of([finding("stays"), finding("gets-fixed", Status.PASS), finding("appears")])
    (tmp_path / "old.json").write_text(render_json(old))
    (tmp_path / "new.json").write_text(render_json(new))
    code, out, _ = run("diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"))
    lines = out.splitlines()
    assert code == 1 and lines[0] == "1 new, 1 fixed, 1 still failing, 0 changed severity"
    assert [line.split()[0] for line in lines[2:]] == ["new", "fixed"], "still-failing rows only on request"
    code, out, _ = run("diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--all")
    assert [line.split()[0] for line in out.splitlines()[2:]] == ["new", "fixed", "still"]
    assert "stays" in out.splitlines()[-1]
    code, out, _ = run("diff", str(tmp_path / "new.json"), str(tmp_path / "new.json"))
    assert code == 0 and out.splitlines() == ["0 new, 0 fixed, 2 still failing, 0 changed severity"]


def test_snapshot_collect_then_evaluate_offline(
    aws: boto3.Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, root in (("nb-root", "Enabled"), ("nb-locked", "Disabled")):
        aws.client("sagemaker").create_notebook_instance(
            NotebookInstanceName=name,
            InstanceType="ml.t3.medium",
            RoleArn="arn:aws:iam::123456789012:role/r",
            RootAccess=root,
        )
    snapshot = tmp_path / "inventory.json.gz"
    code, out, err = run("collect", "--region", "us-east-1", "--checks", "SM-NOTEBOOK-*", "-o", str(snapshot))
    assert code == 0, err
    assert snapshot.read_bytes()[:2] == b"\x1f\x8b"

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "would-fail-if-used")
    code, out, err = run(
        "evaluate",
        str(snapshot),
        "--checks",
        "SM-NOTEBOOK-003",
        "--format",
        "json",
        "--output",
        "-",
        "--fail-on",
        "none",
    )
    assert code == 0, err
    report = json.loads(out)
    assert {f["resource_name"]: f["status"] for f in report["findings"]} == {"nb-root": "FAIL", "nb-locked": "PASS"}
    assert report["scan"]["statistics"]["api_calls"] == 0

    code, out, _ = run("evaluate", str(snapshot), "--checks", "SM-ENDPOINT-004", "--format", "json", "--output", "-")
    assert code == 3
    errors = json.loads(out)["findings"]
    assert errors and all(f["status"] == "ERROR" and "were not collected" in f["status_detail"] for f in errors)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{}", "is not an mlaudit inventory snapshot"),
        ('{"format_version": "9.0", "records": {}}', "newer than this mlaudit reads"),
    ],
)
def test_bad_snapshots_are_one_line_errors(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "inventory.json"
    path.write_text(content)
    code, _, err = run("evaluate", str(path))
    assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1


def test_policy_covers_every_call_the_demo_scan_makes(demo_scan: tuple) -> None:  # type: ignore[type-arg]
    _, recorder = demo_scan
    assert isinstance(recorder, Recorder)
    checks = [c for c in load_catalog(include_entry_points=False).checks if not c.metadata.opt_in]
    declared = set(required_operations(checks))
    assert set(recorder.calls) <= declared, "operations called but not declared by any collector"
    actions = set(required_actions(checks))
    assert all(set(iam_actions(op)) <= actions for op in recorder.calls)


def test_policy_is_minimal_for_one_check_and_renders_as_a_role() -> None:
    code, out, _ = run("policy", "--checks", "SM-NOTEBOOK-001")
    actions = json.loads(out)["Statement"][0]["Action"]
    assert code == 0 and actions == sorted(
        {*SETUP_OPERATIONS, "sagemaker:ListNotebookInstances", "sagemaker:DescribeNotebookInstance"}
    )
    code, out, _ = run("policy", "--format", "cloudformation")
    template = json.loads(out)
    assert template["Resources"]["MlauditRole"]["Type"] == "AWS::IAM::Role"
    assert "s3:GetEncryptionConfiguration" in json.dumps(template)
    code, out, _ = run("policy", "--format", "terraform")
    assert 'resource "aws_iam_role" "mlaudit"' in out and '"s3:ListAllMyBuckets",' in out


def test_every_collector_operation_has_an_iam_action() -> None:
    for collector in COLLECTORS.values():
        for operation in collector.operations:
            assert all(":" in action for action in iam_actions(str(operation)))
    assert iam_actions("s3:GetBucketEncryption") == ("s3:GetEncryptionConfiguration",)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "is not valid JSON"),
        ('{"hello": 1}', "is not an mlaudit baseline"),
        ('{"version": 2, "findings": [], "something_new": true}', "newer than this mlaudit reads"),
        ('{"version": 1, "findings": [{"id": 1}]}', "is not a valid mlaudit baseline"),
    ],
)
def test_bad_baselines_are_one_line_errors(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(content)
    code, _, err = run("scan", "--demo", "--baseline", str(path), "--output-dir", str(tmp_path / "out"))
    assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1, err


def test_security_audit_grants_what_the_docs_say_and_the_gap_is_derived() -> None:
    """The AWS managed policy is vendored with its version; what it lacks is computed, README and docs/ci.md name
    it (generated), `mlaudit policy --help` says the version, and --beyond-security-audit prints it as a policy."""
    policy = security_audit()
    checks = load_catalog(include_entry_points=False).checks
    gap = beyond_security_audit(required_actions(checks))
    assert policy.grants("sagemaker:DescribeEndpoint") and policy.grants("SageMaker:listendpoints")
    assert not policy.grants("sagemaker:CreateEndpoint") and not policy.grants("s3:GetObject")
    assert beyond_security_audit(["sagemaker:GetModelPackageGroupPolicy", "kms:ListKeys"]) == [
        "sagemaker:GetModelPackageGroupPolicy"
    ]
    named = ", ".join(f"`{action}`" for action in gap)
    readme = (ROOT / "README.md").read_text()
    assert f"**SecurityAudit**\n({policy.version}, updated {policy.updated}" in readme
    for text in (readme, (ROOT / "docs" / "ci.md").read_text()):
        assert f"<!-- security-audit:beyond -->{named}<!-- /security-audit:beyond -->" in text
    assert policy.version == SECURITY_AUDIT_VERSION
    code, out, _ = run("policy", "--help")
    assert code == 0 and f"SecurityAudit ({policy.version}) grants most of" in " ".join(out.split())
    code, out, _ = run("policy", "--beyond-security-audit")
    assert code == 0 and json.loads(out)["Statement"][0]["Action"] == gap
    code, out, err = run("policy", "--beyond-security-audit", "--checks", "SM-NOTEBOOK-001")
    assert (code, out) == (0, "") and err.strip() == f"{policy.label} grants every action the selected checks need"


def test_a_denied_action_security_audit_lacks_is_named_in_the_warning() -> None:
    def denied(service: str, operation: str) -> CollectionError:
        return CollectionError(
            part="p", service=service, operation=operation, account_id=ACCOUNT_ID, region="us-east-1",
            error_code="AccessDeniedException", message="User is not authorized to perform this action",
        )  # fmt: skip

    [inside] = missing_permissions([denied("sagemaker", "DescribeEndpoint")])
    assert "SecurityAudit" not in inside
    [beyond] = missing_permissions(
        [denied("sagemaker", "DescribeEndpoint"), denied("sagemaker", "GetLineageGroupPolicy")]
    )
    assert (
        f"(or lift the SCP or boundary that denies them); {security_audit().label} does not grant "
        "sagemaker:GetLineageGroupPolicy; `mlaudit policy`" in beyond
    )


def test_role_templates_take_an_external_id() -> None:
    code, out, _ = run("policy", "--format", "cloudformation")
    template = json.loads(out)
    assert code == 0 and template["Parameters"]["ExternalId"]["Default"] == ""
    [statement] = template["Resources"]["MlauditRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Condition"] == {
        "Fn::If": [
            "HasExternalId",
            {"StringEquals": {"sts:ExternalId": {"Ref": "ExternalId"}}},
            {"Ref": "AWS::NoValue"},
        ]
    }
    assert template["Conditions"]["HasExternalId"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "ExternalId"}, ""]}]}
    code, out, _ = run("policy", "--format", "terraform")
    assert code == 0 and 'variable "external_id"' in out and 'variable = "sts:ExternalId"' in out
    assert 'for_each = var.external_id == "" ? [] : [var.external_id]' in out
    assert "assume_role_policy = data.aws_iam_policy_document.trust.json" in out
