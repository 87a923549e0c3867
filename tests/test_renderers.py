"""Every report format, produced from the demo scan and validated by its schema or a real consumer."""

from __future__ import annotations

import csv
import io
import json

import pytest
from py_ocsf_models.events.findings.detection_finding import DetectionFinding

from hostile import HOSTILE_STRINGS
from mlaudit.catalog.loader import load_catalog
from mlaudit.core.taxonomy import Status
from mlaudit.renderers import FORMATS, RenderOptions
from mlaudit.renderers.asff import render_asff
from mlaudit.renderers.csv_report import COLUMNS, render_csv
from mlaudit.renderers.jsonl import render_jsonl
from mlaudit.renderers.markdown import render_markdown
from mlaudit.report.model import Report
from reports import finding, report_of

CHECK_IDS = frozenset(c.id for c in load_catalog(include_entry_points=False).checks)
"""ASFF's GeneratorId is the check's id."""


@pytest.fixture(scope="module")
def demo(demo_scan: tuple) -> Report:  # type: ignore[type-arg]
    return demo_scan[0].report


@pytest.fixture(scope="module")
def hostile() -> Report:
    return report_of(
        [finding(text, detail=f"owner={text}") for text in HOSTILE_STRINGS]
        + [finding("muted-one", Status.MUTED, "accepted")]
    )


def test_every_format_renders_the_demo(demo: Report) -> None:
    for fmt in FORMATS.values():
        if fmt.write is not None:  # a directory format (ocsf-parquet) is written by tests/test_ocsf.py
            assert fmt.render(demo, RenderOptions()), fmt.name


def test_jsonl_lines_are_self_contained(demo: Report) -> None:
    lines = render_jsonl(demo).splitlines()
    assert len(lines) == len(demo.findings)
    for line, original in zip(lines, demo.findings, strict=True):
        record = json.loads(line)
        assert record["schema_version"] == demo.schema_version and record["scan_id"] == demo.scan.id
        assert (
            record["id"] == original.id
            and record["account_id"] == original.account_id
            and record["region"] == original.region
        )


def test_csv_round_trips_and_neutralises_formulas(demo: Report, hostile: Report) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(demo), newline="")))
    assert [r["id"] for r in rows] == [f.id for f in demo.findings]
    assert list(rows[0]) == list(COLUMNS)
    text = render_csv(hostile)
    assert "\r\n" in text
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert "'=cmd|' /C calc'!A0" in cells


def test_markdown_escapes_and_stays_within_budget(hostile: Report) -> None:
    text = render_markdown(hostile)
    assert "<script>" not in text and "<img" not in text
    table_rows = [line for line in text.splitlines() if line.startswith(("| high", "| medium"))]
    assert all(line.count(" | ") + line.replace("\\|", "").count("|") for line in table_rows)
    small = render_markdown(hostile, RenderOptions(markdown_budget=2_000))
    assert len(small.encode()) < 2_500
    assert "more failing findings are not listed here" in small


def test_markdown_shows_what_changed(demo: Report) -> None:
    previous = demo.model_copy(update={"findings": [f for f in demo.findings if f.check_id != "SM-NOTEBOOK-001"]})
    text = render_markdown(demo, RenderOptions(previous=previous))
    new = sum(f.status is Status.FAIL for f in demo.findings if f.check_id == "SM-NOTEBOOK-001")
    assert f"**{new} new**" in text


def test_ocsf_events_validate(demo: Report) -> None:
    events = json.loads(FORMATS["ocsf"].render(demo, RenderOptions()))
    assert len(events) == len(demo.findings)
    for event in events:
        model = DetectionFinding.model_validate(event)
        assert model.class_uid == 2004 and model.type_uid == 200401
        assert event["time"] > 10**12, "milliseconds"
        assert event["cloud"]["account"]["uid"] == "123456789012"


def test_asff_findings_fit_security_hub_limits(demo: Report, hostile: Report) -> None:
    for report in (demo, hostile):
        for item in json.loads(render_asff(report)):
            assert item["SchemaVersion"] == "2018-10-08"
            assert item["ProductArn"].endswith(":product/123456789012/default")
            assert item["GeneratorId"] in CHECK_IDS
            assert len(item["Title"]) <= 256 and len(item["Description"]) <= 1024
            assert item["Resources"][0]["Id"] and item["Severity"]["Label"]
            assert item["Region"] != "global"
