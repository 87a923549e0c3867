"""`mlaudit.md`: a Markdown summary for pull requests and CI pages (and GitHub's job summary).

Counts first, then what changed since a previous report, then the failing findings, most severe first, within a
size budget (`RenderOptions.markdown_budget`): GitHub rejects job summaries over 1 MiB, so the list stops with a
note saying how many were left out. Written as it goes, row by row.

Every account string is shown as its characters and nothing else (`cell`): a resource name cannot become a link,
an image, emphasis, HTML, a mention of a team or a reference to an issue, nor reorder the text around it.
"""

from __future__ import annotations

import string
from typing import TextIO

from mlaudit.core.taxonomy import Severity, Status
from mlaudit.core.text import inert
from mlaudit.renderers.options import DEFAULT_OPTIONS, RenderOptions
from mlaudit.renderers.writer import to_string
from mlaudit.report.diffing import ReportDiff, diff_reports
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report
from mlaudit.report.ranking import fix_first

MAX_CELL = 200
WORD_BREAK = "\u200b"
"""A zero-width space, after `@` and `#`: GitHub finds mentions and issue references in the rendered text, where
backslash escapes are gone (Dependabot writes mentions in its pull requests the same way)."""
LITERAL = str.maketrans(
    {
        **{c: "\\" + c for c in string.punctuation},  # CommonMark: any escaped ASCII punctuation is itself
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
        "@": "@" + WORD_BREAK,
        "#": "#" + WORD_BREAK,
    }
)
"""Markdown that GitHub shows as the given characters: no emphasis, link, image, autolink (`www.`, `https:` and
e-mail addresses need their `.`, `:` and `@`), HTML, code span, table or mention syntax survives."""


def cell(value: object) -> str:
    """An account string (or a table cell's text) as literal Markdown on one line: whitespace collapsed, unsafe
    characters replaced (U+FFFD), at most MAX_CELL characters, every syntax character escaped."""
    text = inert(" ".join(str(value).split()))
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return text.translate(LITERAL)


def utf8_size(text: str) -> int:
    """Bytes `text` takes in the file (a lone surrogate becomes U+FFFD, three bytes like itself)."""
    return len(text.encode("utf-8", "surrogatepass"))


def _finding_row(finding: Finding) -> str:
    return (
        f"| {finding.severity.value} | {cell(finding.check_id)} | {cell(finding.resource_name)} | "
        f"{cell(finding.account_id)} {cell(finding.region)} | {cell(finding.status_detail)} |"
    )


def _history_note(report: Report) -> list[str]:
    bounds = "; ".join(bound.describe() for bound in report.scan.history)
    return ["", f"History read: {bounds}."] if bounds else []


def _anomaly_note(report: Report) -> list[str]:
    anomalies = report.scan.anomalies
    if not anomalies:
        return []
    seen = sum(a.count for a in anomalies)
    return [
        "",
        f"_AWS answers deviated from the service model {seen} time(s), {len(anomalies)} distinct: the resources "
        "were kept and judged on what AWS sent (see `scan.anomalies` in mlaudit.json)._",
    ]


def _fix_first(report: Report) -> list[str]:
    """The checks to fix first, in the order of `mlaudit.report.ranking` (the terminal's and the HTML's)."""
    ranked = fix_first(report)
    if not ranked:
        return []
    lines = ["", "### Fix first", "", "| check | severity | FAIL | title |", "|---|---|---:|---|"]
    return lines + [f"| {cell(r.check_id)} | {r.severity.value} | {r.failing} | {cell(r.title)} |" for r in ranked]


def _header(report: Report, options: RenderOptions) -> list[str]:
    counts = report.summary.by_status
    accounts = ", ".join(cell(a.account_id) for a in report.accounts)
    lines = [
        "## mlaudit report",
        "",
        f"Scan of {accounts or 'no account'} in {cell(', '.join(report.scan.regions))} on "
        f"{report.scan.finished_at:%Y-%m-%d %H:%M} UTC: **{report.scan.status.value}**, "
        f"**{counts[Status.FAIL]} failing**, {counts[Status.ERROR]} errors, {counts[Status.PASS]} passing, "
        f"{counts[Status.MUTED]} muted.",
        *_history_note(report),
        *_anomaly_note(report),
        "",
        "| severity | FAIL | ERROR | MUTED | PASS |",
        "|---|---:|---:|---:|---:|",
    ]
    for severity in Severity:
        tally = report.summary.by_severity[severity]
        lines.append(
            f"| {severity.value} | {tally[Status.FAIL]} | {tally[Status.ERROR]} | {tally[Status.MUTED]} "
            f"| {tally[Status.PASS]} |"
        )
    if options.previous is not None:
        change = diff_reports(options.previous, report)
        lines += [
            "",
            f"Since the previous report: **{len(change.new)} new**, {len(change.fixed)} fixed, "
            f"{len(change.still_failing)} still failing, {len(change.changed_severity)} with a changed severity.",
        ]
    lines += _fix_first(report)
    return lines


FAILING_TABLE = [
    "",
    "### Failing findings",
    "",
    "| severity | check | resource | account, region | detail |",
    "|---|---|---|---|---|",
]
NOTE_ROOM = 200
"""Bytes kept free for the closing note."""


def _write_lines(lines: list[str], out: TextIO) -> int:
    text = "".join(line + "\n" for line in lines)
    out.write(text)
    return utf8_size(text)


def _write_failing(report: Report, budget: int, out: TextIO) -> None:
    """The failing findings' table, row by row, while the report stays within `budget` bytes."""
    size = budget
    shown = 0
    for finding in report.findings:
        if finding.status is not Status.FAIL:
            continue
        row = _finding_row(finding) + "\n"
        if utf8_size(row) + NOTE_ROOM > size:
            left_out = report.summary.by_status[Status.FAIL] - shown
            _write_lines(["", f"_{left_out} more failing findings are not listed here; see the full report._"], out)
            return
        out.write(row)
        size -= utf8_size(row)
        shown += 1


def write_markdown(report: Report, options: RenderOptions, out: TextIO) -> None:
    written = _write_lines(_header(report, options), out)
    if report.summary.by_status[Status.FAIL]:
        written += _write_lines(FAILING_TABLE, out)
        _write_failing(report, options.markdown_budget - written, out)
    errors = report.summary.by_status[Status.ERROR]
    if errors:
        _write_lines(
            [
                "",
                f"_{errors} findings are ERROR: mlaudit could not evaluate them (see `scan.errors` in mlaudit.json)._",
            ],
            out,
        )


def render_markdown(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return to_string(write_markdown, report, options)


def render_diff(change: ReportDiff) -> str:
    """A diff of two reports: the counts, then a table of each change (findings still failing are counted, not
    listed)."""
    new, *rest = change.counts.split(", ")
    lines = [f"**{new}**, " + ", ".join(rest), ""]
    for name, found in change.sections(unchanged=False).items():
        if found:
            lines += [f"### {name.capitalize()}", "", "| severity | check | resource | region |", "|---|---|---|---|"]
            lines += [
                f"| {f.severity.value} | {cell(f.check_id)} | {cell(f.resource_name)} | {cell(f.region)} |"
                for f in found
            ]
            lines.append("")
    return "\n".join(lines)
