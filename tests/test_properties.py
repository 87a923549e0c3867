"""Property-based tests: random and mutated reports and inventory snapshots fed to `report`, `diff` and `evaluate`
never crash mlaudit. Each run either works or ends with one clean error line and exit code 2, never a traceback."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from mlaudit.cli import cli
from mlaudit.core.taxonomy import Status
from mlaudit.demo import moto_extensions
from mlaudit.renderers.json_report import render_json
from mlaudit.report.saved import save_inventory
from mlaudit.scan import ScanOptions, run_scan
from reports import finding, report_of
from support import select

EXAMPLES = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


def _paths(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON document."""
    paths = [prefix]
    if isinstance(document, dict):
        for key, value in document.items():
            paths += _paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document[:3]):
            paths += _paths(value, (*prefix, index))
    return paths


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> Any:
    """The document with one to three values replaced by random JSON, or deleted."""
    document = json.loads(json.dumps(document))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        if not paths:
            return draw(json_values)
        path = draw(st.sampled_from(paths))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return document


def assert_clean(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2, 3)
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("mlaudit: error: "), result.stderr


REPORT = json.loads(
    render_json(report_of([finding("a"), finding("b", Status.PASS), finding("c", Status.MUTED, "accepted")]))
)


@pytest.fixture(scope="module")
def snapshot_document() -> dict[str, Any]:
    moto_extensions.install()
    with mock_aws(), tempfile.TemporaryDirectory() as directory:
        session = boto3.Session(region_name="us-east-1")
        session.client("sagemaker").create_notebook_instance(
            NotebookInstanceName="nb", InstanceType="ml.t3.medium", RoleArn="arn:aws:iam::123456789012:role/r"
        )
        result = run_scan(ScanOptions(regions=["us-east-1"], checks=select(["SM-NOTEBOOK-*"]), session=session))
        path = Path(directory) / "inventory.json"
        save_inventory(result.inventory, path)
        return json.loads(path.read_text())


@EXAMPLES
@given(document=mutated(REPORT))
def test_mutated_reports_render_or_fail_cleanly(document: Any, tmp_path: Path) -> None:
    path = tmp_path / "mlaudit.json"
    path.write_text(json.dumps(document))
    assert_clean(["report", "--from", str(path), "--format", "html", "--output-dir", str(tmp_path / "out")])
    assert_clean(["diff", str(path), str(path)])


@EXAMPLES
@given(text=st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_random_text_is_never_a_report(text: str, tmp_path: Path) -> None:
    path = tmp_path / "mlaudit.json"
    path.write_text(text, encoding="utf-8")
    assert_clean(["report", "--from", str(path), "--format", "md", "--output", "-"])


@EXAMPLES
@given(data=st.data())
def test_mutated_snapshots_evaluate_or_fail_cleanly(
    data: st.DataObject, snapshot_document: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(data.draw(mutated(snapshot_document))))
    assert_clean(["evaluate", str(path), "--checks", "SM-NOTEBOOK-*", "--format", "json", "--output", "-"])
