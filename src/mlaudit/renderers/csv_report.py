"""`mlaudit.csv`: one row per finding, a stable column order, RFC 4180 quoting, and no formula injection: a
cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return) is prefixed with
an apostrophe."""

from __future__ import annotations

import csv
import io

from mlaudit.report.findings import Finding
from mlaudit.report.model import Report

COLUMNS = (
    "id",
    "status",
    "severity",
    "pillar",
    "check_id",
    "check_name",
    "title",
    "service",
    "resource_type",
    "resource_arn",
    "resource_name",
    "account_id",
    "region",
    "status_detail",
    "remediation_url",
    "references",
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_PREFIXES) else cell


def _row(finding: Finding) -> list[str]:
    values = finding.model_dump(mode="json")
    values["remediation_url"] = finding.remediation.url
    values["references"] = "; ".join(r.id for r in finding.references)
    return [neutralise(str(values[column])) for column in COLUMNS]


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(_row(f) for f in report.findings)
    return buffer.getvalue()
