"""Check settings: typed overrides from the command line, validated against the declared defaults."""

from __future__ import annotations

import textwrap
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner

from mlaudit.catalog.loader import load_catalog
from mlaudit.cli import cli as main
from mlaudit.config.settings import check_lookback, coerce, parse_assignments
from mlaudit.core.errors import UserError
from mlaudit.core.taxonomy import Status
from mlaudit.sdk import Setting
from support import ROLE_ARN, scan, verdicts

PLUGIN = """
from mlaudit.inventory import NotebookInstance
from mlaudit.sdk import Pillar, Remediation, Setting, Severity, check, failed, ml_lens, passed

@check(id="ACME-SIZE-001", name="notebook-size", title="t", severity=Severity.LOW, pillar=Pillar.COST,
       resource=NotebookInstance, rationale="r.", references=(ml_lens("MLCOST-09"),),
       remediation=Remediation(text="fix", url="https://example.com"),
       settings={"allowed_types": Setting(default=("ml.t3.medium",), description="instance types allowed"),
                 "strict": Setting(default=True, description="fail unknown types")})
def notebook_size(notebook, ctx):
    if notebook.instance_type in ctx.setting("allowed_types"):
        return passed(notebook.instance_type)
    return failed(notebook.instance_type) if ctx.setting("strict") else None
"""


@pytest.fixture
def plugin_dir(tmp_path: Path) -> Path:
    (tmp_path / "size.py").write_text(textwrap.dedent(PLUGIN))
    return tmp_path


@pytest.mark.parametrize(
    ("default", "raw", "expected"),
    [
        (14, "30", 30),
        (0.2, "0.5", 0.5),
        (True, "no", False),
        (("a",), "x, y", ("x", "y")),
        (("a",), ["x"], ("x",)),
        ("a", 5, "5"),
    ],
)
def test_values_take_the_type_of_the_default(default: object, raw: object, expected: object) -> None:
    assert coerce("--set X.y", Setting(default=default, description="d"), raw) == expected


@pytest.mark.parametrize(("default", "raw"), [(14, "two weeks"), (14, True), (True, "maybe"), (0.2, "high")])
def test_wrong_types_are_errors(default: object, raw: object) -> None:
    with pytest.raises(UserError, match="expected"):
        coerce("--set X.y", Setting(default=default, description="d"), raw)


def test_assignments_resolve_checks_by_id_or_name(plugin_dir: Path) -> None:
    catalog = load_catalog([plugin_dir], include_entry_points=False)
    assert parse_assignments(
        catalog, ["notebook-size.allowed_types=ml.t3.large,ml.m5.xlarge", "ACME-SIZE-001.strict=false"]
    ) == {"ACME-SIZE-001": {"allowed_types": ("ml.t3.large", "ml.m5.xlarge"), "strict": False}}
    with pytest.raises(UserError, match="has no setting 'alowed_types'") as raised:
        parse_assignments(catalog, ["ACME-SIZE-001.alowed_types=x"])
    assert "did you mean allowed_types" in raised.value.one_line()
    with pytest.raises(UserError, match="unknown check"):
        parse_assignments(catalog, ["ACME-SIZE-999.strict=false"])
    with pytest.raises(UserError, match=r"expected CHECK\.setting=value"):
        parse_assignments(catalog, ["ACME-SIZE-001"])


def test_overrides_change_verdicts_and_are_recorded(aws: boto3.Session, plugin_dir: Path) -> None:
    for name, instance_type in (("small", "ml.t3.medium"), ("large", "ml.m5.4xlarge")):
        aws.client("sagemaker").create_notebook_instance(
            NotebookInstanceName=name, InstanceType=instance_type, RoleArn=ROLE_ARN
        )

    default = scan(aws, ["ACME-SIZE-001"], checks_dirs=[plugin_dir])
    overridden = scan(
        aws,
        ["ACME-SIZE-001"],
        checks_dirs=[plugin_dir],
        settings={"ACME-SIZE-001": {"allowed_types": ("ml.m5.4xlarge",), "strict": False}},
    )

    assert verdicts(default, "ACME-SIZE-001") == {"small": Status.PASS, "large": Status.FAIL}
    assert verdicts(overridden, "ACME-SIZE-001") == {"large": Status.PASS}
    assert overridden.scan.settings == {"ACME-SIZE-001": {"allowed_types": ("ml.m5.4xlarge",), "strict": False}}
    assert default.scan.settings == {"ACME-SIZE-001": {"allowed_types": ("ml.t3.medium",), "strict": True}}, (
        "every setting in force is recorded, defaults included"
    )


def test_a_default_scan_records_every_setting_of_its_checks(aws: boto3.Session) -> None:
    report = scan(aws, ["SM-ENDPOINT-007", "SM-ENDPOINT-008", "SM-NOTEBOOK-001"])
    assert report.scan.settings == {
        "SM-ENDPOINT-007": {"idle_days": 14},
        "SM-ENDPOINT-008": {"threshold_percent": 20.0, "window_days": 14},
    }


# -- bounds: declared once with the setting, checked before any AWS call ----------------------------------------------
UNREACHABLE = "http://127.0.0.1:9"
"""Where AWS calls would go in these tests: any call would fail with a connection error, not the expected line."""


def cli(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["scan", "--region", "us-east-1", "--endpoint-url", UNREACHABLE, *args])
    return result.exit_code, result.stderr.splitlines()


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["--set", "SM-ENDPOINT-007.idle_days=-5"],
            "--set: SM-ENDPOINT-007.idle_days: -5 is below the minimum, 1 (the range is 1 to 455, within --since)",
        ),
        (
            ["--set", "SM-ENDPOINT-007.idle_days=500"],
            "--set: SM-ENDPOINT-007.idle_days: 500 is above the maximum, 455 (the range is 1 to 455, within --since)",
        ),
        (
            ["--set", "SM-ENDPOINT-007.idle_days=200"],
            "SM-ENDPOINT-007.idle_days looks back 200 days, further than --since (90 days) "
            "(look back further (--since 200d) or set SM-ENDPOINT-007.idle_days=90)",
        ),
        (
            ["--since", "7d", "--checks", "SM-ENDPOINT-008"],
            "SM-ENDPOINT-008.window_days looks back 14 days (its default), further than --since (7 days) "
            "(look back further (--since 14d) or set SM-ENDPOINT-008.window_days=7)",
        ),
        (
            ["--set", "IAM-ML-004.max_resources=0"],
            "--set: IAM-ML-004.max_resources: 0 is below the minimum, 1 (the range is at least 1)",
        ),
        (
            ["--set", "BR-GUARDRAIL-002.prompt_attack_strength=extreme"],
            "--set: BR-GUARDRAIL-002.prompt_attack_strength: 'extreme' is not one of LOW, MEDIUM, HIGH",
        ),
    ],
)
def test_a_setting_out_of_its_range_is_one_line_before_any_call(args: list[str], line: str) -> None:
    code, stderr = cli(*args)
    assert (code, stderr) == (2, [f"mlaudit: error: {line}"])


def test_a_setting_out_of_range_in_the_file_names_the_file_and_line(tmp_path: Path) -> None:
    config = tmp_path / ".mlaudit.yaml"
    config.write_text("settings:\n  endpoint-idle:\n    idle_days: 0\n")
    code, stderr = cli("--config", str(config))
    assert (code, stderr) == (
        2,
        [
            f"mlaudit: error: {config}:3: SM-ENDPOINT-007.idle_days: 0 is below the minimum, 1 "
            "(the range is 1 to 455, within --since)"
        ],
    )


def test_a_lookback_setting_fits_a_longer_since_and_is_held_to_a_snapshots_window() -> None:
    checks = load_catalog(include_entry_points=False).select(["SM-ENDPOINT-007"])
    check_lookback(checks, {"SM-ENDPOINT-007": {"idle_days": 200}}, 200, "--since")
    with pytest.raises(UserError, match=r"looks back 14 days \(its default\), further than the window of inv.json"):
        check_lookback(checks, {}, 7, "the window of inv.json")


def test_defaults_are_held_to_their_own_bounds() -> None:
    with pytest.raises(ValueError, match="the default 0 is below the minimum, 1"):
        Setting(default=0, description="d", lookback=True)
    assert Setting(default=3, description="d", lookback=True).minimum == 1


def test_a_builtin_bounded_setting_refuses_an_out_of_range_override() -> None:
    with pytest.raises(UserError, match=r"SM-STUDIO-004\.max_idle_minutes: 30 is below the minimum"):
        parse_assignments(load_catalog(include_entry_points=False), ["SM-STUDIO-004.max_idle_minutes=30"])
