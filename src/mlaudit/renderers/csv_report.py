"""`mlaudit.csv`: one row per finding, a stable column order, RFC 4180 quoting, written row by row.

No cell becomes a formula (OWASP's CSV injection rule): a spreadsheet runs a cell starting with `=`, `+`, `-` or
`@` (also after leading spaces, and in their fullwidth forms, which Excel reads as the ASCII ones), or with a tab
or carriage return; such a cell is prefixed with an apostrophe, which makes it text (and so is a cell starting
with an apostrophe, which the spreadsheet would hide). Control and bidirectional characters are replaced with
U+FFFD. A UTF-8 byte-order mark (`RenderOptions.csv_bom`) is optional: Excel needs it
to read non-ASCII names, most other readers take it as part of the first column's name.
"""

from __future__ import annotations

import csv
import unicodedata
from typing import TextIO

from mlaudit.core.text import inert
from mlaudit.renderers.options import DEFAULT_OPTIONS, RenderOptions
from mlaudit.renderers.writer import to_string
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
    "suppression_reason",
    "suppression_owner",
    "suppression_expires",
)
FORMULA_STARTS = ("=", "+", "-", "@")
"""After leading whitespace and in compatibility forms (NFKC folds the fullwidth `＝` into `=`)."""
TEXT_MARK = "'"
"""What makes a spreadsheet take a cell as text, and hides: a cell that starts with one gets another, so that it
shows whole."""
BYTE_ORDER_MARK = "\ufeff"


def neutralise(cell: str) -> str:
    """The cell as a spreadsheet shows it as text: unsafe characters replaced, a would-be formula prefixed with
    an apostrophe."""
    text = inert(cell)  # a carriage return too, which would start a formula
    if text.startswith(("\t", TEXT_MARK)) or unicodedata.normalize("NFKC", text.lstrip()[:1]) in FORMULA_STARTS:
        return TEXT_MARK + text
    return text


def _row(finding: Finding) -> list[str]:
    values = finding.model_dump(mode="json")
    values["remediation_url"] = finding.remediation.url
    values["references"] = "; ".join(r.id for r in finding.references)
    suppression = values["suppression"] or {}
    for field in ("reason", "owner", "expires"):
        values[f"suppression_{field}"] = suppression.get(field) or ""
    return [neutralise(str(values[column])) for column in COLUMNS]


def write_csv(report: Report, options: RenderOptions, out: TextIO) -> None:
    if options.csv_bom:
        out.write(BYTE_ORDER_MARK)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for finding in report.findings:
        writer.writerow(_row(finding))


def render_csv(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return to_string(write_csv, report, options)
