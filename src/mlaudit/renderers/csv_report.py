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
from collections.abc import Callable
from functools import lru_cache
from operator import attrgetter
from typing import TextIO

from mlaudit.core.text import inert
from mlaudit.renderers.options import DEFAULT_OPTIONS, RenderOptions
from mlaudit.renderers.writer import to_string
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report


def _suppression(field: str) -> Callable[[Finding], str]:
    def value(finding: Finding) -> str:
        given = getattr(finding.suppression, field, None)
        return "" if given is None else str(given)

    return value


COLUMNS: dict[str, Callable[[Finding], str]] = {
    "id": attrgetter("id"),
    "status": attrgetter("status.value"),
    "severity": attrgetter("severity.value"),
    "pillar": attrgetter("pillar.value"),
    "check_id": attrgetter("check_id"),
    "check_name": attrgetter("check_name"),
    "title": attrgetter("title"),
    "service": attrgetter("service"),
    "resource_type": attrgetter("resource_type"),
    "resource_arn": attrgetter("resource_arn"),
    "resource_name": attrgetter("resource_name"),
    "account_id": attrgetter("account_id"),
    "region": attrgetter("region"),
    "status_detail": attrgetter("status_detail"),
    "remediation_url": attrgetter("remediation.url"),
    "references": lambda finding: "; ".join(r.id for r in finding.references),
    "suppression_reason": _suppression("reason"),
    "suppression_owner": _suppression("owner"),
    "suppression_expires": _suppression("expires"),
}
"""Each column and its value: the finding's fields as in `mlaudit.json` (dates ISO 8601), in a fixed order."""
REPEATED = frozenset(
    {
        "status",
        "severity",
        "pillar",
        "check_id",
        "check_name",
        "title",
        "service",
        "resource_type",
        "account_id",
        "region",
        "remediation_url",
        "references",
    }
)
"""Columns whose values repeat from row to row (a check's, an account's): neutralised once each."""
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


_CELLS = [
    (value, lru_cache(maxsize=4096)(neutralise) if column in REPEATED else neutralise)
    for column, value in COLUMNS.items()
]


def _row(finding: Finding) -> list[str]:
    return [safe(value(finding)) for value, safe in _CELLS]


def write_csv(report: Report, options: RenderOptions, out: TextIO) -> None:
    if options.csv_bom:
        out.write(BYTE_ORDER_MARK)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for finding in report.findings:
        writer.writerow(_row(finding))


def render_csv(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return to_string(write_csv, report, options)
