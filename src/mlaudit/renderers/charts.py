"""Bar charts for the HTML report's overview, as data the template draws in inline SVG (no script, no library)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from mlaudit.core.taxonomy import Pillar, Severity, Status
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report
from mlaudit.report.ranking import fix_first


@dataclass(frozen=True)
class Segment:
    value: int
    css: str
    """The CSS class that colours the segment."""


@dataclass(frozen=True)
class BarRow:
    label: str
    segments: tuple[Segment, ...]
    tooltip: str = ""
    """Shown on hover (a check's title)."""

    @property
    def total(self) -> int:
        return sum(s.value for s in self.segments)


@dataclass(frozen=True)
class BarChart:
    title: str
    rows: tuple[BarRow, ...]
    empty_text: str = "Nothing to show."
    facet: str = ""
    """The explorer filter a click on a row applies (its label as the value); empty for none."""

    @property
    def scale(self) -> int:
        return max([row.total for row in self.rows] + [1])


def severity_chart(findings: Iterable[Finding]) -> BarChart:
    failing = Counter(f.severity for f in findings if f.status is Status.FAIL)
    return BarChart(
        "Failing findings by severity",
        tuple(BarRow(s.value, (Segment(failing[s], f"sev-bg-{s.value}"),)) for s in Severity),
        facet="severity",
    )


def pillar_chart(findings: list[Finding], grades: dict[Pillar, str]) -> BarChart:
    rows = []
    by_pillar = Counter((f.pillar, f.status) for f in findings)
    for pillar in Pillar:
        counts = {status: by_pillar[(pillar, status)] for status in (Status.PASS, Status.FAIL)}
        if counts[Status.PASS] or counts[Status.FAIL]:
            rows.append(
                BarRow(
                    f"{pillar.value.replace('-', ' ')} · {grades[pillar]}",
                    (Segment(counts[Status.FAIL], "bar-fail"), Segment(counts[Status.PASS], "bar-pass")),
                    tooltip=f"grade {grades[pillar]}: {counts[Status.FAIL]} failing, {counts[Status.PASS]} passing",
                )
            )
    return BarChart("Pass and fail by pillar", tuple(rows), "No verdicts yet.")


def fix_first_chart(report: Report) -> BarChart:
    """The checks to fix first (`mlaudit.report.ranking`), each bar its failing resources in its severity's colour."""
    return BarChart(
        "Fix first: severity, then resources affected",
        tuple(
            BarRow(
                r.check_id,
                (Segment(r.failing, f"sev-bg-{r.severity.value}"),),
                tooltip=f"{r.title} · {r.severity.value}, {r.failing} failing",
            )
            for r in fix_first(report)
        ),
        "Nothing fails.",
        facet="check",
    )


def failing_by(findings: Iterable[Finding], attribute: str, title: str, limit: int = 12) -> BarChart:
    """Failing findings counted by a finding attribute that is also an explorer facet (region, service)."""
    counts = Counter(getattr(f, attribute) for f in findings if f.status is Status.FAIL)
    rows = tuple(BarRow(str(k), (Segment(n, "bar-fail"),)) for k, n in counts.most_common(limit))
    return BarChart(title, rows, "Nothing fails.", facet=attribute)
