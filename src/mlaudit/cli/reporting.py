"""One run of a command that produces a report (`scan`, `evaluate`): from the merged options to the exit code.

`Run.start` merges the options, loads the catalog, settings, suppressions and baseline, and checks the output
directory before anything slow happens; `Run.finish` mutes what is accepted, writes the reports, prints the
summary and exits with the code for the thresholds. When JSON Lines is the only format, the findings are muted
and written while the checks run instead (`Run.stream`, `mlaudit.report.streaming`), and `finish` only summarises.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import click

from mlaudit.catalog.loader import load_catalog
from mlaudit.cli.common import choose_formats, require_checks
from mlaudit.cli.console import Terminal
from mlaudit.cli.options import DEFAULTS
from mlaudit.cli.request import Request, effective_settings, resolve_request, suppression_rules, validate_file_checks
from mlaudit.collect.accounts.sharding import Shard
from mlaudit.config.settings import check_lookback
from mlaudit.core.interrupts import exit_code as interrupted_exit_code
from mlaudit.gating.baseline import Baseline, BaselineMuter
from mlaudit.gating.exit_code import exit_code, exit_reason
from mlaudit.gating.suppression import LabelledRule, Suppressor, tags_lookup
from mlaudit.inventory import Inventory
from mlaudit.inventory.tags import ResourceTags
from mlaudit.renderers import Format, RenderOptions
from mlaudit.report.model import Muter, Report, mute
from mlaudit.report.output import append_github_summary, prepare_directory, write_reports
from mlaudit.report.saved import load_baseline, load_report
from mlaudit.report.streaming import FindingStream
from mlaudit.scan import ScanOptions
from mlaudit.sdk import Check


@dataclass(frozen=True)
class Selection:
    """What a command that scans or evaluates was asked for: the merged options, the per-check settings, the scan
    options built from them, and the checks they select (checked against the catalog)."""

    request: Request
    settings: dict[str, dict[str, Any]]
    options: ScanOptions
    checks: list[Check]

    @classmethod
    def of(cls, ctx: click.Context, params: dict[str, Any]) -> Selection:
        request = resolve_request(ctx, params)
        catalog = load_catalog(request["checks_dirs"])
        validate_file_checks(request, catalog)
        settings = effective_settings(request, catalog)
        checks = require_checks(
            catalog.select(request["checks"] or (), request["exclude_checks"] or (), request.severity)
        )
        return cls(request, settings, _scan_options(request, checks, settings), checks)


def _scan_options(request: Request, checks: list[Check], settings: dict[str, dict[str, Any]]) -> ScanOptions:
    return ScanOptions(
        profile=request["profile"],
        regions=request["regions"] or (),
        endpoint_url=request["endpoint_url"],
        checks=checks,
        since_days=request.since_days,
        max_workers=request["max_workers"] or DEFAULTS["max_workers"],
        max_calls_per_service=request["max_calls_per_service"],
        processes=request["processes"] or 1,
        settings=settings,
        accounts=request.account_selection,
        shard=Shard.parse(request["shard"]) if request["shard"] else None,
    )


@dataclass
class Run:
    request: Request
    terminal: Terminal
    checks: list[Check]
    settings: dict[str, dict[str, Any]]
    options: ScanOptions
    """What `scan` collects (with resource tags when a suppression matches on tags)."""
    rules: list[LabelledRule]
    baseline: Baseline | None
    formats: list[Format]
    directory: Path | None
    render_options: RenderOptions

    @classmethod
    def start(cls, ctx: click.Context, params: dict[str, Any]) -> Run:
        selection = Selection.of(ctx, params)
        request = selection.request
        if "since" in params:  # a scan; `evaluate` checks against its snapshot's window once it has read it
            check_lookback(selection.checks, selection.settings, request.since_days, "--since")
        formats = choose_formats(request["formats"], request["output"])
        terminal = Terminal(stream=sys.stderr if request["output"] == "-" else None, quiet=bool(request["quiet"]))
        previous = load_report(request["previous"]) if request["previous"] else None
        render_options = RenderOptions(
            sarif_anchor=request["sarif_anchor"],
            sarif_category=request["sarif_category"],
            previous=previous,
            csv_bom=bool(request["csv_bom"]),
        )
        rules = suppression_rules(request)
        if any(labelled.rule.tags for labelled in rules):
            selection.options.extra_parts = (ResourceTags,)
        return cls(
            request=request,
            terminal=terminal,
            checks=selection.checks,
            settings=selection.settings,
            options=selection.options,
            rules=rules,
            baseline=load_baseline(request["baseline"]) if request["baseline"] else None,
            formats=formats,
            directory=prepare_directory(request["output_dir"]) if request["output"] is None else None,
            render_options=render_options,
        )

    @property
    def streams(self) -> bool:
        return [f.name for f in self.formats] == ["jsonl"]

    def stream(self, inventory: Inventory) -> FindingStream | None:
        """The JSON Lines stream the findings go to as they are evaluated, when that is the only format."""
        if not self.streams:
            return None
        return FindingStream(self._jsonl_path(), self._muters(inventory))

    def _jsonl_path(self) -> Path | None:
        return self.directory / self.formats[0].filename if self.directory is not None else None

    def _muters(self, inventory: Inventory | None) -> list[Muter]:
        """`inventory` (when the run has one) gives tag-based suppressions the resources' tags."""
        muters: list[Muter] = [Suppressor(self.rules, date.today(), tags_lookup(inventory))]
        if self.baseline is not None:
            muters.append(BaselineMuter(self.baseline, str(self.request["baseline"])))
        return muters

    def finish(self, ctx: click.Context, report: Report, inventory: Inventory | None = None) -> None:
        if self.streams:
            path = self._jsonl_path()
            written = [path] if path is not None else []
        else:
            for muter in self._muters(inventory):
                report = mute(report, muter)
            written = write_reports(report, self.formats, self.directory, self.render_options)
        if any(f.name == "md" for f in self.formats) and append_github_summary(report, self.render_options):
            self.terminal.line("Appended the Markdown summary to GITHUB_STEP_SUMMARY")
        for warning in report.scan.warnings:
            click.echo(f"mlaudit: warning: {warning}", err=True)
        self.terminal.summary(report, written)
        if inventory is not None and inventory.interrupted is not None:
            ctx.exit(interrupted_exit_code(inventory.interrupted))
        gate = (report, self.request["fail_on"], bool(self.request["fail_on_error"]), bool(self.request["exit_zero"]))
        reason = exit_reason(*gate)
        if reason:
            self.terminal.line(reason)
        ctx.exit(exit_code(*gate))
