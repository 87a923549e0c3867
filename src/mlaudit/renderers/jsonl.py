"""`mlaudit.jsonl`: one finding per line, each line self-contained for log pipelines (it repeats the schema
version, scan id and tool version beside the finding's own account and region). Times are written as in
`mlaudit.json` (`2026-11-23T11:58:08Z`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TextIO

from pydantic import TypeAdapter

from mlaudit.renderers.json_report import model_json
from mlaudit.renderers.options import DEFAULT_OPTIONS, RenderOptions
from mlaudit.renderers.writer import to_string
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report

TIME = TypeAdapter(datetime)
"""pydantic's serialisation of a time, the one `mlaudit.json` uses."""


def jsonl_lines(report_header: dict[str, str], findings: Iterable[Finding]) -> Iterator[str]:
    """Each finding's JSON after the header's fields, on one line."""
    prefix = json.dumps(report_header, ensure_ascii=False, separators=(",", ":"))[:-1] + ","
    for finding in findings:
        yield prefix + model_json(finding)[1:] + "\n"


def header(schema_version: str, tool_version: str, scan_id: str, started_at: datetime) -> dict[str, str]:
    return {
        "schema_version": schema_version,
        "tool_version": tool_version,
        "scan_id": scan_id,
        "scan_started_at": TIME.dump_python(started_at, mode="json"),
    }


def write_jsonl(report: Report, options: RenderOptions, out: TextIO) -> None:
    lines = jsonl_lines(
        header(report.schema_version, report.tool.version, report.scan.id, report.scan.started_at), report.findings
    )
    out.writelines(lines)


def render_jsonl(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return to_string(write_jsonl, report, options)
