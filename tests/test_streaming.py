"""JSON Lines alone is streamed: findings are muted and written as they are evaluated, never held together, and
the result is the same as the rendered report's lines (issue 6)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import boto3
from click.testing import CliRunner

from mlaudit.cli import cli
from mlaudit.report.model import SCHEMA_VERSION

ROLE = "arn:aws:iam::123456789012:role/r"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def lines(text: str) -> list[dict[str, object]]:
    """The findings, without what differs between two evaluations of the same inventory."""
    found = [json.loads(line) for line in text.splitlines()]
    for finding in found:
        assert finding.pop("scan_id") and finding.pop("scan_started_at")
    return sorted(found, key=lambda f: str(f["id"]))


def test_streamed_json_lines_equal_the_rendered_ones_with_suppressions_and_a_baseline(
    aws: boto3.Session, tmp_path: Path
) -> None:
    for name, root in (
        ("nb-root-1", "Enabled"),
        ("nb-root-2", "Enabled"),
        ("nb-accepted", "Enabled"),
        ("nb-locked", "Disabled"),
    ):
        aws.client("sagemaker").create_notebook_instance(
            NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=ROLE, RootAccess=root
        )
    snapshot = tmp_path / "inventory.json"
    assert run("collect", "--region", "us-east-1", "--checks", "SM-NOTEBOOK-*", "-o", str(snapshot))[0] == 0
    first = tmp_path / "first"
    run("evaluate", str(snapshot), "--checks", "SM-NOTEBOOK-003", "--output-dir", str(first), "--format", "json")
    first_report = json.loads((first / "mlaudit.json").read_text())
    first_report["findings"] = [f for f in first_report["findings"] if f["resource_name"] == "nb-root-1"]
    (first / "mlaudit.json").write_text(json.dumps(first_report))
    assert run("baseline", "create", str(first / "mlaudit.json"), "-o", str(tmp_path / "baseline.json"))[0] == 0
    config = tmp_path / ".mlaudit.yaml"
    config.write_text(
        f"baseline: {tmp_path / 'baseline.json'}\nsuppressions:\n"
        "  - {check: SM-NOTEBOOK-003, resources: [nb-accepted], reason: a sandbox}\n"
        "  - {check: SM-NOTEBOOK-001, resources: [gone], reason: matches nothing}\n"
    )
    common = ("evaluate", str(snapshot), "--config", str(config), "--checks", "SM-NOTEBOOK-003,SM-NOTEBOOK-001")

    streamed_code, streamed_out, streamed_err = run(
        *common, "--format", "jsonl", "--output-dir", str(tmp_path / "streamed")
    )
    rendered_code, rendered_out, rendered_err = run(
        *common, "--format", "jsonl,json", "--output-dir", str(tmp_path / "rendered")
    )

    streamed = lines((tmp_path / "streamed" / "mlaudit.jsonl").read_text())
    assert streamed == lines((tmp_path / "rendered" / "mlaudit.jsonl").read_text())
    assert {
        (f["resource_name"], f["check_id"]): f["status"] for f in streamed if f["check_id"] == "SM-NOTEBOOK-003"
    } == {
        ("nb-root-1", "SM-NOTEBOOK-003"): "MUTED",
        ("nb-accepted", "SM-NOTEBOOK-003"): "MUTED",
        ("nb-root-2", "SM-NOTEBOOK-003"): "FAIL",
        ("nb-locked", "SM-NOTEBOOK-003"): "PASS",
    }
    assert sorted(p.name for p in (tmp_path / "streamed").iterdir()) == ["mlaudit.jsonl"]
    assert streamed_code == rendered_code == 1
    assert (
        streamed_err == rendered_err
        and "suppression of SM-NOTEBOOK-001 (matches nothing) matched no finding" in streamed_err
    )
    summary = [line for line in streamed_out.splitlines() if not line.lower().startswith("wrote")]
    assert summary == [line for line in rendered_out.splitlines() if not line.lower().startswith("wrote")]
    assert "5 FAIL, 0 ERROR, 1 PASS, 2 MUTED" in streamed_out


def test_a_scan_streams_json_lines_to_stdout(aws: boto3.Session) -> None:
    aws.client("sagemaker").create_notebook_instance(
        NotebookInstanceName="nb", InstanceType="ml.t3.medium", RoleArn=ROLE, RootAccess="Enabled"
    )

    code, out, err = run(
        "scan", "--region", "us-east-1", "--checks", "SM-NOTEBOOK-003", "--format", "jsonl", "--output", "-"
    )

    assert code == 1, err
    [finding] = lines(out)
    assert (
        finding["resource_name"] == "nb" and finding["status"] == "FAIL" and finding["schema_version"] == SCHEMA_VERSION
    )


def test_the_streaming_benchmark_runs_and_streaming_holds_less() -> None:
    """A small run of bench/stream_jsonl.py (the numbers at scale are in docs/benchmark.md)."""
    bench = Path(__file__).resolve().parent.parent / "bench" / "stream_jsonl.py"
    done = subprocess.run(
        [sys.executable, str(bench), "--notebooks", "500"], capture_output=True, text=True, check=True, timeout=300
    )
    measured = {
        match["mode"]: (int(match["lines"].replace(",", "")), float(match["added"]))
        for match in re.finditer(r"(?P<mode>\w+): (?P<lines>[\d,]+) findings .* \+(?P<added>[\d.]+) MB", done.stdout)
    }
    assert set(measured) == {"streamed", "rendered"}, done.stdout
    assert measured["streamed"][0] == measured["rendered"][0] > 500
    assert measured["streamed"][1] < measured["rendered"][1]
