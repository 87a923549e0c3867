"""`mlaudit.csv` as a spreadsheet takes it: no cell runs as a formula under Excel's, Sheets' or LibreOffice's
rule, every cell shows the account's text, suppressions have their own columns, and the optional byte-order mark
is what Excel needs to read UTF-8."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlaudit.cli import cli
from mlaudit.core.taxonomy import Status
from mlaudit.renderers import FORMATS, RenderOptions
from mlaudit.renderers.csv_report import COLUMNS, render_csv
from mlaudit.renderers.json_report import render_json
from mlaudit.report.findings import Suppression
from mlaudit.report.model import Report
from reports import finding, report_of

FORMULAS = (
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    ' =HYPERLINK("https://evil.example","open")',
    "   +1",
    "\u00a0=1+1",  # no-break space
    "\u3000=1+1",  # ideographic space
    "＝1+1",  # fullwidth equals sign, which Excel takes for = (Japanese input)
    "＋1",
    "－1",
    "＠SUM(A1)",
    "﹦1+1",  # small equals sign
    "=cmd|' /C calc'!A0",
)
"""Cells a spreadsheet would evaluate, each as a resource name, a detail and a suppression's reason and owner."""
CONTROLS = ("\x1b[31mred\x1b[0m", "bell\x07", "nul\x00", "\u202eevil\u202c", "\u2066iso\u2069", "\u200eltr\u200f")
TEXT = ("a=1", "name-with-dash", "x@example.com", "名前-モデル-🚀", "'quoted")
"""Cells that are text already and must stay exactly as they are."""


def runs_as_formula(cell: str) -> bool:
    """The spreadsheets' rule (OWASP, CSV injection): a cell whose first character is a tab or carriage return,
    or whose first character after any leading whitespace is =, +, - or @ in any compatibility form, is a
    formula; a leading apostrophe makes the rest text."""
    if cell.startswith("'"):
        return False
    if cell[:1] in ("\t", "\r"):
        return True
    return unicodedata.normalize("NFKC", cell).lstrip()[:1] in ("=", "+", "-", "@")


BIDI = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def visible(text: str) -> str:
    """The text with what must not reach a reader replaced: control characters (but tab and line feed, which a
    quoted cell holds) and bidirectional marks, embeddings, overrides and isolates."""
    return "".join("\ufffd" if c in BIDI or (unicodedata.category(c) == "Cc" and c not in "\t\n") else c for c in text)


def shown(cell: str) -> str:
    """What the spreadsheet shows: the apostrophe that makes a cell text is hidden."""
    return cell.removeprefix("'")


def _report() -> Report:
    findings = []
    for i, text in enumerate(FORMULAS + CONTROLS + TEXT):
        suppression = Suppression(source="config", muted_status=Status.FAIL, reason=text, owner=text)
        findings.append(
            finding(f"{text}", Status.MUTED, detail=text).model_copy(update={"suppression": suppression})
            if i % 2
            else finding(text, detail=text)
        )
    return report_of(findings)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_no_cell_runs_as_a_formula_and_every_cell_shows_the_accounts_text() -> None:
    report = _report()
    rows = _rows(render_csv(report))

    assert [row["id"] for row in rows] == [f.id for f in report.findings]
    for row in rows:
        assert not [c for c in row.values() if runs_as_formula(c)], row
    by_id = {f.id: f for f in report.findings}
    for row in rows:
        name = by_id[row["id"]].resource_name
        text = visible(name)
        assert shown(row["resource_name"]) == text
        needs_mark = runs_as_formula(text) or text.startswith("'")
        assert row["resource_name"] == ("'" + text if needs_mark else text)
        assert row["status_detail"] == row["resource_name"]
        if by_id[row["id"]].suppression:
            assert row["suppression_reason"] == row["suppression_owner"] == row["resource_name"]
    assert sum(row["resource_name"].startswith("'=") for row in rows) >= 2


def test_suppressions_have_their_reason_owner_and_expiry_as_columns() -> None:
    muted = finding("accepted", Status.MUTED, "accepted").model_copy(
        update={
            "suppression": Suppression(
                source="config", muted_status=Status.FAIL, reason="dev only", owner="ml-team", expires=date(2027, 3, 1)
            )
        }
    )
    no_owner = finding("baselined", Status.MUTED, "in the baseline").model_copy(
        update={"suppression": Suppression(source="baseline", muted_status=Status.ERROR, reason="baseline b.json")}
    )
    rows = {r["resource_name"]: r for r in _rows(render_csv(report_of([muted, no_owner, finding("failing")])))}

    assert list(rows["accepted"])[-3:] == ["suppression_reason", "suppression_owner", "suppression_expires"]
    assert list(rows["accepted"]) == list(COLUMNS)
    assert [rows["accepted"][c] for c in list(COLUMNS)[-3:]] == ["dev only", "ml-team", "2027-03-01"]
    assert [rows["baselined"][c] for c in list(COLUMNS)[-3:]] == ["baseline b.json", "", ""]
    assert [rows["failing"][c] for c in list(COLUMNS)[-3:]] == ["", "", ""]


@pytest.mark.parametrize("bom", [False, True])
def test_the_byte_order_mark_is_written_only_when_asked(tmp_path: Path, bom: bool) -> None:
    """Excel reads a CSV file as UTF-8 only when it starts with the byte-order mark (else in the system's ANSI
    code page): with `--csv-bom`, the bytes decode as UTF-8 with the mark (as Excel does) to the same rows."""
    saved = tmp_path / "mlaudit.json"
    saved.write_text(render_json(report_of([finding("名前-モデル-🚀"), finding("plain")])), encoding="utf-8")
    args = ["report", "--from", str(saved), "--format", "csv", "--output-dir", str(tmp_path / "out")]

    result = CliRunner().invoke(cli, [*args, "--csv-bom"] if bom else args, catch_exceptions=False)

    assert result.exit_code == 0, result.output
    raw = (tmp_path / "out" / "mlaudit.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") is bom
    assert raw.count(b"\xef\xbb\xbf") == int(bom)
    rows = _rows(raw.decode("utf-8-sig"))
    assert list(rows[0]) == list(COLUMNS)
    assert sorted(r["resource_name"] for r in rows) == ["plain", "名前-モデル-🚀"]


def test_the_byte_order_mark_comes_once_before_the_header() -> None:
    text = FORMATS["csv"].render(report_of([finding("a")]), RenderOptions(csv_bom=True))
    assert text.startswith("\ufeffid,status,") and text.count("\ufeff") == 1
