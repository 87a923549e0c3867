"""`mlaudit.json` and `mlaudit.jsonl` as their consumers take them: written finding by finding, the same JSON as
the report model's, valid under the committed schema (whose `$id` names its version and which admits only its own
major version), and JSON Lines with the same times as the JSON."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hostile import HOSTILE_STRINGS
from mlaudit.core.taxonomy import Status
from mlaudit.renderers import FORMATS, RenderOptions
from mlaudit.renderers.json_report import render_json
from mlaudit.renderers.jsonl import render_jsonl
from mlaudit.report.findings import Suppression
from mlaudit.report.model import SCHEMA_VERSION, Report
from reports import finding, report_of

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "schema/mlaudit-report.schema.json").read_text())


def _report() -> Report:
    muted = finding("muted", Status.MUTED, "accepted").model_copy(
        update={
            "suppression": Suppression(
                source="config", muted_status=Status.FAIL, reason="r", owner="o", expires=date(2027, 1, 31)
            )
        }
    )
    return report_of([finding(text, detail=f"owner={text}") for text in HOSTILE_STRINGS] + [muted])


class CountingStream(io.StringIO):
    """A text stream that counts the writes it was given and the largest of them."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0
        self.largest = 0

    def write(self, text: str) -> int:
        self.writes += 1
        self.largest = max(self.largest, len(text))
        return super().write(text)


@pytest.mark.parametrize("findings", [0, 1, 12])
def test_the_json_is_written_finding_by_finding_and_is_the_models_json_byte_for_byte(findings: int) -> None:
    report = _report()
    report = report.model_copy(update={"findings": report.findings[:findings]})
    out = CountingStream()

    FORMATS["json"].write(report, RenderOptions(), out)

    assert out.getvalue() == report.model_dump_json(indent=2) + "\n"
    assert Report.model_validate_json(out.getvalue()) == report
    if findings > 1:
        assert out.writes >= findings + 2, "the header, each finding, the end"
        head = len(report.model_copy(update={"findings": []}).model_dump_json(indent=2))
        items = [f.model_dump_json(indent=2) for f in report.findings]
        item = max(len(text) + 4 * text.count("\n") for text in items)  # indented as deep as in the report
        assert out.largest <= max(head, item + 8), "one write, one finding (or the header)"


def test_the_schema_names_its_version_and_admits_only_its_major_version() -> None:
    document = json.loads(render_json(_report()))
    validator = jsonschema.Draft202012Validator(SCHEMA)

    assert SCHEMA["$id"] == f"urn:mlaudit:report-schema:{SCHEMA_VERSION}"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator.validate(document)
    major = int(SCHEMA_VERSION.split(".")[0])
    for admitted in (SCHEMA_VERSION, f"{major}.0.0", f"{major}.99.7"):
        validator.validate({**document, "schema_version": admitted})
    for refused in (f"{major + 1}.0.0", f"{major - 1}.9.0", f"{major}.3", "latest", f"{major}.3.0-rc1"):
        with pytest.raises(jsonschema.ValidationError, match="does not match"):
            validator.validate({**document, "schema_version": refused})


def _times(value: Any) -> list[str]:
    """Every time in a JSON document (ISO 8601 strings with a `T`)."""
    if isinstance(value, dict):
        return [t for v in value.values() for t in _times(v)]
    if isinstance(value, list):
        return [t for v in value for t in _times(v)]
    return [value] if isinstance(value, str) and len(value) > 18 and value[10:11] == "T" and value[:4].isdigit() else []


def test_json_lines_write_times_as_the_json_does() -> None:
    started = datetime(2026, 11, 23, 11, 58, 8, 250000, tzinfo=UTC)
    report = _report()
    report = report.model_copy(update={"scan": report.scan.model_copy(update={"started_at": started})})
    document = json.loads(render_json(report))
    lines = [json.loads(line) for line in render_jsonl(report).splitlines()]

    assert document["scan"]["started_at"] == "2026-11-23T11:58:08.250000Z"
    assert {line["scan_started_at"] for line in lines} == {document["scan"]["started_at"]}
    assert all(t.endswith("Z") for t in _times(document) + _times(lines))
    assert len(lines) == len(report.findings)
    finding_fields = set(document["findings"][0])
    for line, original in zip(lines, document["findings"], strict=True):
        assert {k: v for k, v in line.items() if k in finding_fields} == original
        assert datetime.fromisoformat(line["scan_started_at"]) == started
