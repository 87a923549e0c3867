"""`mlaudit.md`: a Markdown summary for pull requests and CI pages (and GitHub's job summary).

Counts first, then what changed since a previous report, then the failing findings, most severe first, within a
size budget (`RenderOptions.markdown_budget`): GitHub rejects job summaries over 1 MiB, so the list stops with a
note saying how many were left out.
"""

from __future__ import annotations

from mlaudit.core.taxonomy import Severity, Status
from mlaudit.renderers.options import DEFAULT_OPTIONS, RenderOptions
from mlaudit.report.diffing import ReportDiff, diff_reports
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report
from mlaudit.report.ranking import fix_first

MAX_CELL = 200


def cell(value: object) -> str:
    """A table cell's text: no line breaks, no table or HTML syntax, at most MAX_CELL characters."""
    text = " ".join(str(value).split())
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("`", "\\`")


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


def render_markdown(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
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
    failing = [f for f in report.findings if f.status is Status.FAIL]
    if failing:
        lines += [
            "",
            "### Failing findings",
            "",
            "| severity | check | resource | account, region | detail |",
            "|---|---|---|---|---|",
        ]
        size = sum(len(line.encode()) + 1 for line in lines)
        for shown, finding in enumerate(failing):
            row = _finding_row(finding)
            if size + len(row.encode()) + 200 > options.markdown_budget:
                lines += [
                    "",
                    f"_{len(failing) - shown} more failing findings are not listed here; see the full report._",
                ]
                break
            lines.append(row)
            size += len(row.encode()) + 1
    errors = [f for f in report.findings if f.status is Status.ERROR]
    if errors:
        lines += [
            "",
            f"_{len(errors)} findings are ERROR: mlaudit could not evaluate them (see `scan.errors` in mlaudit.json)._",
        ]
    return "\n".join(lines) + "\n"


def render_diff(change: ReportDiff) -> str:
    """A diff of two reports: the counts, then a table of each change (findings still failing are counted, not
    listed)."""
    new, *rest = change.counts.split(", ")
    lines = [f"**{new}**, " + ", ".join(rest), ""]
    for name, found in change.sections(unchanged=False).items():
        if found:
            lines += [f"### {name.capitalize()}", "", "| severity | check | resource | region |", "|---|---|---|---|"]
            lines += [
                f"| {f.severity.value} | {f.check_id} | {cell(f.resource_name)} | {cell(f.region)} |" for f in found
            ]
            lines.append("")
    return "\n".join(lines)
