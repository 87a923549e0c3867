"""The terminal shows strings from the account as inert text: no escape sequence or bidi override in a resource
name, detail or error message can restyle the terminal, move the cursor or reorder what a person reads."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from hostile import HOSTILE_STRINGS
from mlaudit.cli import cli
from mlaudit.cli.console import Terminal
from mlaudit.inventory import CollectionError
from mlaudit.renderers.json_report import render_json
from mlaudit.report.model import Report
from reports import finding, report_of

ACTIVE = ("\x1b[2J", "\x1b[31mred", "\u202e")
"""What the hostile corpus would do to a terminal if it got through: clear the screen, colour, reverse the text."""


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def hostile_report() -> Report:
    report = report_of([finding(text, detail=f"owner={text}") for text in HOSTILE_STRINGS])
    errors = [
        CollectionError(
            part="sagemaker.endpoints",
            service="sagemaker",
            operation="ListEndpoints",
            account_id="123456789012",
            region="us-east-1",
            error_code="AccessDenied",
            message=text,
        )
        for text in HOSTILE_STRINGS[:9]
    ]
    return report.model_copy(update={"scan": report.scan.model_copy(update={"errors": errors})})


@pytest.mark.parametrize("tty", [True, False], ids=["rich", "plain"])
def test_summary_and_tables_neutralise_control_characters(tty: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = FakeTty() if tty else io.StringIO()
    terminal = Terminal(stream=stream)
    assert terminal.plain is not tty
    report = hostile_report()
    terminal.summary(report, [Path("out/mlaudit.json")])
    terminal.table(["resource", "detail"], [[f.resource_name, f.status_detail] for f in report.findings])
    output = stream.getvalue()
    assert "owner=" in output and "\ufffd" in output
    assert [sequence for sequence in ACTIVE if sequence in output] == []


def test_diff_of_hostile_reports_prints_inert_text(tmp_path: Path) -> None:
    (tmp_path / "old.json").write_text(render_json(report_of([])))
    (tmp_path / "new.json").write_text(render_json(hostile_report()))
    result = CliRunner().invoke(cli, ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json")])
    assert result.exit_code == 1
    assert "new" in result.stdout and "\ufffd" in result.stdout
    assert [sequence for sequence in ACTIVE if sequence in result.stdout] == []
