"""What a person sees in the terminal: progress while collecting, then a summary.

Rich output on a terminal; plain, colourless lines when stdout is not a TTY, `NO_COLOR` is set, or in CI.
Strings from the account are shown as literal text (never as markup) with control characters replaced, so a
tag value cannot restyle the terminal or move the cursor.
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from mlaudit.core.taxonomy import Severity, Status
from mlaudit.core.text import inert

if TYPE_CHECKING:  # pydantic models, which `mlaudit list-checks` should not pay for
    from mlaudit.inventory import CollectionError
    from mlaudit.report.model import Report
    from mlaudit.report.ranking import RankedCheck

SEVERITY_STYLE = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "blue",
    Severity.INFO: "dim",
}
STATUS_STYLE = {Status.FAIL: "bold red", Status.ERROR: "magenta", Status.PASS: "green", Status.MUTED: "dim"}


def safe(text: object) -> str:
    """Replace control characters (ANSI escapes, bidi overrides) with the replacement character."""
    return inert(str(text))


def wants_plain(stream: TextIO) -> bool:
    return (
        not stream.isatty()
        or "NO_COLOR" in os.environ
        or os.environ.get("CI", "").lower() in ("true", "1")
        or os.environ.get("TERM") == "dumb"
    )


class Terminal:
    """Human output for one command. `stream` is stderr when stdout carries a report (`--output -`)."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stdout
        self.quiet = quiet
        self.plain = wants_plain(self.stream)
        self.console = Console(
            file=self.stream,
            no_color=self.plain,
            highlight=False,
            force_terminal=False if self.plain else None,
            soft_wrap=self.plain,
        )

    def line(self, text: str) -> None:
        if not self.quiet:
            self.console.print(Text(safe(text)))

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A table of our own strings: rich on a terminal, aligned plain columns otherwise (never truncated)."""
        if self.plain:
            lines = [[safe(cell) for cell in row] for row in [headers, *rows]]
            widths = [max(len(line[i]) for line in lines) for i in range(len(headers) - 1)]
            for line in lines:
                cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
                self.stream.write("  ".join([*cells, line[-1]]).rstrip() + "\n")
            return
        table = Table(box=None, pad_edge=False)
        for header in headers:
            table.add_column(safe(header))
        for row in rows:
            table.add_row(*[Text(safe(cell)) for cell in row])
        self.console.print(table)

    # -- progress ------------------------------------------------------------------------------------------
    def collection_progress(self) -> CollectionProgress:
        return CollectionProgress(self)

    def seeding_progress(self) -> CollectionProgress:
        """Seeding the demo estate, area by area, in the same display as collection."""
        return CollectionProgress(self, verb="seeded", unit="call")

    # -- summary -------------------------------------------------------------------------------------------
    def summary(self, report: Report, written: Sequence[Path]) -> None:
        if self.quiet:
            return
        from mlaudit.report.ranking import fix_first  # here: the report model, which list-checks does not import

        top = fix_first(report)
        if self.plain:
            self._plain_summary(report, top, written)
        else:
            self._rich_summary(report, top, written)

    def _plain_summary(self, report: Report, top: Sequence[RankedCheck], written: Sequence[Path]) -> None:
        counts = report.summary.by_status
        self.line(
            f"scan {report.scan.status.value}: {counts[Status.FAIL]} FAIL, {counts[Status.ERROR]} ERROR, "
            f"{counts[Status.PASS]} PASS, {counts[Status.MUTED]} MUTED"
        )
        for severity in Severity:
            failing = report.summary.by_severity[severity][Status.FAIL]
            if failing:
                self.line(f"  {severity.value}: {failing} failing")
        for ranked in top:
            self.line(f"  fix first: {ranked.check_id} ({ranked.severity.value}, {ranked.failing} FAIL) {ranked.title}")
        for line in error_lines(report, written):
            self.line(f"  {line}" if line.startswith("...") else f"  collection error: {line}")
        for path in written:
            self.line(f"wrote {path}")

    def _rich_summary(self, report: Report, top: Sequence[RankedCheck], written: Sequence[Path]) -> None:
        table = Table(title="Findings by severity", title_justify="left")
        table.add_column("Severity")
        for status in Status:
            table.add_column(status.value, justify="right", style=STATUS_STYLE[status])
        for severity in Severity:
            row = report.summary.by_severity[severity]
            if any(row.values()):
                table.add_row(Text(severity.value, style=SEVERITY_STYLE[severity]), *[str(row[s]) for s in Status])
        totals = report.summary.by_status
        table.add_row(Text("total", style="bold"), *[Text(str(totals[s]), style="bold") for s in Status])
        self.console.print(table)
        if top:
            failing = Table(title="Fix first: severity, then resources affected", title_justify="left")
            failing.add_column("Check")
            failing.add_column("Severity")
            failing.add_column("FAIL", justify="right", style="bold red")
            failing.add_column("Title")
            for ranked in top:
                level = Text(ranked.severity.value, style=SEVERITY_STYLE[ranked.severity])
                failing.add_row(safe(ranked.check_id), level, str(ranked.failing), Text(safe(ranked.title)))
            self.console.print(failing)
        lines = error_lines(report, written)
        if lines:
            count = len(_listed_errors(report))
            self.console.print(
                Text(f"{plural(count, 'collection error')}; affected checks report ERROR:", style="magenta")
            )
            for line in lines:
                self.console.print(Text("  " + safe(line)))
        status_style = "green" if report.scan.status.value == "complete" else "yellow"
        self.console.print(Text(f"Scan {report.scan.status.value}.", style=status_style))
        for path in written:
            self.console.print(Text(f"Wrote {path}"))


SHOWN_ERRORS = 10
"""Collection errors shown on the terminal; the report's `scan.errors` holds them all."""


def _listed_errors(report: Report) -> list[CollectionError]:
    """The errors to list: not the parts an interrupt left uncollected (one warning says the scan was interrupted)."""
    return [error for error in report.scan.errors if error.error_code != "Interrupted"]


def error_lines(report: Report, written: Sequence[Path] = ()) -> list[str]:
    """The collection errors, one line for each error that is the same in several regions, the first ten, then
    how many more and where they are."""
    groups: dict[tuple[str, str, str, str, str], set[str]] = defaultdict(set)
    for error in _listed_errors(report):
        groups[(error.service, error.operation, error.resource or "", error.error_code, error.message)].add(
            error.region
        )
    lines = [
        f"{service}:{operation}{f' for {resource}' if resource else ''} failed{where(regions)} ({code}): {message}"
        for (service, operation, resource, code, message), regions in groups.items()
    ]
    if len(lines) > SHOWN_ERRORS:
        reports = [path for path in written if path.name == "mlaudit.json"]
        place = f" of {reports[0]}" if reports else " of the JSON report"
        more = len(lines) - SHOWN_ERRORS
        lines = [*lines[:SHOWN_ERRORS], f"... and {plural(more, 'more collection error')}, all in scan.errors{place}"]
    return lines


class Step(Protocol):
    """What the progress display is told about: a collection task, or an area of the demo estate being seeded."""

    @property
    def service(self) -> str: ...

    @property
    def region(self) -> str: ...


class CollectionProgress:
    """A progress observer: a bar per service on a terminal (the regions done, at a constant width), a line per
    finished service otherwise. Seeding the demo estate shows its areas the same way."""

    def __init__(self, terminal: Terminal, verb: str = "collected", unit: str = "record") -> None:
        self.terminal = terminal
        self.verb = verb
        self.unit = unit
        self._progress: Progress | None = None
        self._bars: dict[str, TaskID] = {}
        self._remaining: Counter[str] = Counter()
        self._pending: Counter[tuple[str, str]] = Counter()
        """Tasks left per (service, region): a region is done for a service when none is left."""
        self._regions: dict[str, set[str]] = defaultdict(set)
        self._records: Counter[str] = Counter()
        self._errors: Counter[str] = Counter()

    def __enter__(self) -> CollectionProgress:
        if not self.terminal.quiet and not self.terminal.plain:
            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[regions]}", style="dim"),
                TimeElapsedColumn(),
                console=self.terminal.console,
                transient=True,
            )
            self._progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        if self._progress:
            self._progress.stop()

    def planned(self, tasks: Sequence[Step]) -> None:
        for task in tasks:
            self._remaining[task.service] += 1
            self._pending[(task.service, task.region)] += 1
            self._regions[task.service].add(task.region)
        if self._progress:
            for service, total in sorted(self._remaining.items()):
                self._bars[service] = self._progress.add_task(
                    f"{service:<24}", total=total, regions=self._regions_done(service)
                )

    def finished(self, task: Step, records: int, errors: int) -> None:
        service = task.service
        self._remaining[service] -= 1
        self._pending[(service, task.region)] -= 1
        self._records[service] += records
        self._errors[service] += errors
        if self._progress:
            self._progress.update(self._bars[service], advance=1, regions=self._regions_done(service))
        elif self._remaining[service] == 0:
            count = self._records[service]
            errors_text = f", {plural(self._errors[service], 'error')}" if self._errors[service] else ""
            self.terminal.line(
                f"{self.verb} {service}: {plural(count, self.unit)}{where(self._regions[service])}{errors_text}"
            )

    def _regions_done(self, service: str) -> str:
        """`2/17 regions`, as wide at the start as at the end (nothing for a service of one region or none)."""
        from mlaudit.inventory import GLOBAL_REGION  # here: `list-checks` uses this module, without pydantic

        regions = [r for r in self._regions[service] if r and r != GLOBAL_REGION]
        if len(regions) < 2:
            return ""
        done = sum(1 for region in regions if self._pending[(service, region)] == 0)
        return f"{done:>{len(str(len(regions)))}}/{len(regions)} regions"


LISTED_REGIONS = 3
"""Up to this many regions are named; more are counted."""


def plural(count: int, unit: str) -> str:
    return f"{count} {unit}" + ("" if count == 1 else "s")


def where(regions: set[str] | Sequence[str]) -> str:
    """` in eu-west-1, us-east-1`, ` in 17 regions`, ` (account-wide)`, or nothing."""
    from mlaudit.inventory import GLOBAL_REGION

    regional = sorted({r for r in regions if r and r != GLOBAL_REGION})
    text = ""
    if regional:
        text = " in " + (", ".join(regional) if len(regional) <= LISTED_REGIONS else f"{len(regional)} regions")
    if GLOBAL_REGION in regions:
        text += ", account-wide" if text else " (account-wide)"
    return text
