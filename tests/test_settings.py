"""Check settings: typed overrides from the command line, validated against the declared defaults."""

from __future__ import annotations

import textwrap
from pathlib import Path

import boto3
import pytest

from mlaudit.catalog.loader import load_catalog
from mlaudit.config.settings import coerce, parse_assignments
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
    assert default.scan.settings == {}


@pytest.mark.parametrize("raw", ["0", "721", "-5"])
def test_values_outside_a_settings_bounds_are_errors(raw: str) -> None:
    bounded = Setting(default=24, description="hours", minimum=1, maximum=720)
    with pytest.raises(UserError, match=r"expected a value from 1 to 720, got '-?\d+'"):
        coerce("--set X.idle_hours", bounded, raw)
    assert coerce("--set X.idle_hours", bounded, "720") == 720


def test_a_builtin_bounded_setting_refuses_an_out_of_range_override() -> None:
    with pytest.raises(UserError, match=r"SM-STUDIO-004\.max_idle_minutes: expected a value from 60 to 525600"):
        parse_assignments(load_catalog(include_entry_points=False), ["SM-STUDIO-004.max_idle_minutes=30"])
