"""`mlaudit.jsonl`: one finding per line, each line self-contained for log pipelines (it repeats the schema
version, scan id and tool version beside the finding's own account and region)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from mlaudit.report.findings import Finding
from mlaudit.report.model import Report


def jsonl_lines(report_header: dict[str, str], findings: Iterable[Finding]) -> Iterator[str]:
    for finding in findings:
        yield (
            json.dumps({**report_header, **finding.model_dump(mode="json")}, ensure_ascii=False, separators=(",", ":"))
            + "\n"
        )


def header(schema_version: str, tool_version: str, scan_id: str, started_at: datetime) -> dict[str, str]:
    return {
        "schema_version": schema_version,
        "tool_version": tool_version,
        "scan_id": scan_id,
        "scan_started_at": started_at.isoformat(),
    }


def render_jsonl(report: Report) -> str:
    lines = jsonl_lines(
        header(report.schema_version, report.tool.version, report.scan.id, report.scan.started_at), report.findings
    )
    return "".join(lines)
