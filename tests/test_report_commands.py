"""Rendering saved reports offline (`mlaudit report`) and the GitHub job summary (the Security Hub export:
test_security_hub_export.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mlaudit.cli import cli
from mlaudit.core.taxonomy import Status
from mlaudit.renderers.json_report import render_json
from mlaudit.report.output import GITHUB_SUMMARY_LIMIT
from reports import finding, report_of


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "mlaudit.json"
    path.write_text(
        render_json(report_of([finding("e1"), finding("e2", Status.PASS), finding("e3", Status.MUTED, "accepted")]))
    )
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_report_renders_every_format_offline(saved: Path, tmp_path: Path) -> None:
    code, out, _ = run(
        "report",
        "--from",
        str(saved),
        "--format",
        "html,sarif,junit,md,csv,jsonl,ocsf,asff",
        "--output-dir",
        str(tmp_path / "r"),
    )
    assert code == 0
    names = sorted(p.name for p in (tmp_path / "r").iterdir())
    assert names == sorted(
        [
            "mlaudit.html",
            "mlaudit.sarif",
            "mlaudit.xml",
            "mlaudit.md",
            "mlaudit.csv",
            "mlaudit.jsonl",
            "mlaudit.ocsf.json",
            "mlaudit.asff.json",
        ]
    )
    assert out.count("wrote") == 8


def test_report_to_stdout_and_previous(saved: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text(render_json(report_of([finding("e2"), finding("e9")])))
    code, out, _ = run("report", "--from", str(saved), "--format", "md", "--output", "-", "--previous", str(old))
    assert code == 0
    assert "**1 new**, 2 fixed, 0 still failing" in out


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "is not valid JSON"),
        ('{"hello": 1}', "is not an mlaudit report"),
        ('{"schema_version": "2.0.0", "findings": []}', "newer than this mlaudit reads"),
        ('{"schema_version": "1.0.0", "findings": [{"id": 1}]}', "is not a valid mlaudit report"),
    ],
)
def test_bad_saved_reports_are_one_line_errors(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    code, _, err = run("report", "--from", str(path))
    assert code == 2 and fragment in err and len(err.strip().splitlines()) == 1


def test_missing_saved_report(tmp_path: Path) -> None:
    code, _, err = run("report", "--from", str(tmp_path / "nope.json"))
    assert code == 2 and "cannot read" in err


def test_github_step_summary_is_appended_within_the_limit(
    saved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n" + "x" * (GITHUB_SUMMARY_LIMIT - 20_000))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    big = tmp_path / "big.json"
    big.write_text(render_json(report_of([finding(f"endpoint-{i:05d}-" + "y" * 150) for i in range(2000)])))

    from mlaudit.renderers import RenderOptions
    from mlaudit.report.output import append_github_summary
    from mlaudit.report.saved import load_report

    assert append_github_summary(load_report(big), RenderOptions()) == summary
    text = summary.read_text()
    assert text.startswith("# earlier step") and "## mlaudit report" in text
    assert len(text.encode()) < GITHUB_SUMMARY_LIMIT
    assert "more failing findings are not listed here" in text
