"""`mlaudit.jsonl`: one finding per line, each line self-contained for log pipelines (it repeats the schema
version, scan id and tool version beside the finding's own account and region)."""

from __future__ import annotations

import json
from typing import Iterable, Iterator

from mlaudit.findings import Finding
from mlaudit.report import Report


def jsonl_lines(report_header: dict[str, str], findings: Iterable[Finding]) -> Iterator[str]:
    for finding in findings:
        yield json.dumps({**report_header, **finding.model_dump(mode="json")}, ensure_ascii=False, separators=(",", ":")) + "\n"


def header(report: Report) -> dict[str, str]:
    return {
        "schema_version": report.schema_version,
        "tool_version": report.tool.version,
        "scan_id": report.scan.id,
        "scan_started_at": report.scan.started_at.isoformat(),
    }


def render_jsonl(report: Report) -> str:
    return "".join(jsonl_lines(header(report), report.findings))
