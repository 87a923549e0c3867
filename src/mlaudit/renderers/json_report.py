"""`mlaudit.json`: the native report, the contract that dashboards and the other formats read."""

from __future__ import annotations

from mlaudit.report.model import Report


def render_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"
