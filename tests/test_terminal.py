"""The terminal shows strings from the account as inert text: no escape sequence or bidi override in a resource
name, detail or error message can restyle the terminal, move the cursor or reorder what a person reads."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from click.testing import CliRunner

from hostile import HOSTILE_STRINGS
from mlaudit.cli import cli
from mlaudit.cli.console import CollectionProgress, Terminal
from mlaudit.inventory import CollectionError
from mlaudit.renderers.json_report import render_json
from mlaudit.report.model import Report
from reports import finding, report_of
from support import scan

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


# -- collection errors: short, grouped across regions, the first ten ---------------------------------------------------
PROXY_PAGE = b"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>503 Service Unavailable</title>
<style>body { font-family: sans-serif; }</style>
</head>
<body>
<h1>Service Unavailable</h1>
<p>The server is temporarily unable to service your request.</p>
</body>
</html>
"""
"""What a proxy or an emulator answers in front of AWS: botocore keeps the whole page as the error's message."""
REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1")


class _Body:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def stream(self, **_: object) -> Iterator[bytes]:
        yield self.body


def test_an_html_error_page_is_one_short_line_for_every_region(
    aws: boto3.Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")

    def proxy(request: AWSPreparedRequest, **_: object) -> AWSResponse | None:
        if "ListNotebookInstances" in str(request.headers.get("X-Amz-Target", b"")):
            return AWSResponse(request.url, 503, {"Content-Type": "text/html"}, _Body(PROXY_PAGE))
        return None

    aws.events.register_first("before-send", proxy)

    report = scan(aws, ["SM-NOTEBOOK-001"], regions=REGIONS)

    assert {(e.error_code, e.message) for e in report.scan.errors} == {("503", "503 Service Unavailable")}
    assert len(report.scan.errors) == len(REGIONS)
    stream = io.StringIO()
    Terminal(stream=stream).summary(report, [])
    errors = [line for line in stream.getvalue().splitlines() if "collection error" in line]
    assert errors == [
        "  collection error: sagemaker:ListNotebookInstances failed in 4 regions (503): 503 Service Unavailable"
    ]


def test_after_ten_errors_the_summary_says_how_many_more_and_where() -> None:
    report = hostile_report()
    errors = [
        error.model_copy(update={"operation": f"ListThing{i}", "message": "denied"})
        for i, error in enumerate([report.scan.errors[0]] * 13)
    ]
    interrupted = errors[0].model_copy(update={"operation": "(interrupted)", "error_code": "Interrupted"})
    report = report.model_copy(update={"scan": report.scan.model_copy(update={"errors": [*errors, interrupted]})})
    stream = io.StringIO()
    Terminal(stream=stream).summary(report, [Path("out/mlaudit.json"), Path("out/mlaudit.html")])
    lines = [line for line in stream.getvalue().splitlines() if "collection error: " in line]
    assert len(lines) == 10 and "ListThing9 failed in us-east-1" in lines[9]
    assert (
        stream.getvalue().splitlines()[-3]
        == "  ... and 3 more collection errors, all in scan.errors of out/mlaudit.json"
    )
    assert "Interrupted" not in stream.getvalue(), "one warning says the scan was interrupted"


# -- the progress display -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    service: str
    region: str


def test_progress_lines_count_right_and_name_few_regions() -> None:
    regions = [f"xx-region-{i}" for i in range(17)]
    stream = io.StringIO()
    progress = CollectionProgress(Terminal(stream=stream))
    steps = [Step("account", "global"), *(Step("sagemaker", r) for r in regions), Step("s3", "global")]
    steps += [Step("ec2", r) for r in regions[:2]]
    progress.planned(steps)
    for step in steps:
        progress.finished(step, 1, 0)
    assert stream.getvalue().splitlines() == [
        "collected account: 1 record (account-wide)",
        "collected sagemaker: 17 records in 17 regions",
        "collected s3: 1 record (account-wide)",
        "collected ec2: 2 records in xx-region-0, xx-region-1",
    ]


def test_the_progress_region_column_keeps_its_width() -> None:
    steps = [Step("sagemaker", f"xx-region-{i}") for i in range(12) for _ in range(3)]
    with CollectionProgress(Terminal(stream=FakeTty())) as progress:
        progress.planned(steps)
        shown = [progress._regions_done("sagemaker")]
        for step in steps:
            progress.finished(step, 1, 0)
            shown.append(progress._regions_done("sagemaker"))
    assert {len(text) for text in shown} == {len("12/12 regions")}
    assert (shown[0], shown[3], shown[-1]) == (" 0/12 regions", " 1/12 regions", "12/12 regions")
