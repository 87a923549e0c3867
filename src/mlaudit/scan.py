"""One scan, from options to report: collect what the selected checks need, evaluate, summarise.

The CLI and the demo both come through `run_scan`; the demo only differs by the session and endpoint it passes.
Collection (`mlaudit.collect.run.collect_inventory`) and `report_from_inventory` are the two halves, used alone by
`mlaudit collect` and `mlaudit evaluate`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from mlaudit import __version__
from mlaudit.catalog.loader import load_catalog
from mlaudit.collect.accounts.calls import CallStats
from mlaudit.collect.engine.scheduler import CollectionObserver
from mlaudit.collect.permissions import missing_permissions
from mlaudit.collect.registry import COLLECTORS
from mlaudit.collect.run import CollectionOptions, collect_inventory
from mlaudit.core.taxonomy import Status
from mlaudit.evaluate import evaluate, settings_in_force
from mlaudit.inventory import Inventory, Record, SkippedScope, SkipReason
from mlaudit.renderers.jsonl import header
from mlaudit.report.model import (
    SCHEMA_VERSION,
    CallStatistics,
    HistoryBound,
    Report,
    ScanInfo,
    ScanStatus,
    sort_findings,
    summarise,
)
from mlaudit.report.streaming import FindingStream
from mlaudit.sdk import Check


def default_checks() -> tuple[Check, ...]:
    """The checks a scan runs when none are named: every built-in check that is not opt-in."""
    return tuple(load_catalog(include_entry_points=False).select())


@dataclass
class ScanOptions(CollectionOptions):
    """A scan: where to collect from (`CollectionOptions`), the checks to run and their settings."""

    checks: Sequence[Check] = field(default_factory=default_checks)
    """The selected checks, resolved (`Catalog.select`)."""
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    extra_parts: Sequence[type[Record]] = ()
    """Parts collected beyond what the checks read: resource tags when a suppression matches on tags."""

    @property
    def parts(self) -> list[type[Record]]:
        """What the scan collects: every part its checks read, and the extra parts."""
        return [*(record_type for check in self.checks for record_type in check.needs), *self.extra_parts]


@dataclass
class ScanResult:
    report: Report
    inventory: Inventory
    checks: list[Check]
    stats: CallStats


def report_from_inventory(
    inventory: Inventory,
    checks: list[Check],
    settings: dict[str, dict[str, Any]],
    profile: str | None,
    statistics: CallStatistics,
    stream: FindingStream | None = None,
) -> Report:
    """Evaluate `checks` over an inventory (just collected, or read from a snapshot). With a `stream`, the findings
    are written (and muted) as they come and the report keeps only their summary."""
    scan_id = str(uuid.uuid4())
    check_ids = [c.id for c in checks]
    findings = evaluate(checks, inventory, settings)
    if stream is None:
        kept = sort_findings(list(findings))
        summary, evaluation_errors, warnings = (
            summarise(kept, check_ids),
            any(f.status is Status.ERROR for f in kept),
            [],
        )
    else:
        kept = []
        streamed = stream.write(header(SCHEMA_VERSION, __version__, scan_id, inventory.created_at), findings, check_ids)
        summary, evaluation_errors, warnings = streamed.summary, streamed.evaluation_errors, streamed.warnings
    return Report(
        scan=ScanInfo(
            id=scan_id,
            started_at=inventory.created_at,
            finished_at=datetime.now(UTC),
            status=ScanStatus.PARTIAL if inventory.errors or evaluation_errors else ScanStatus.COMPLETE,
            profile=profile,
            regions=inventory.regions,
            checks_selected=check_ids,
            since=inventory.since,
            settings={c.id: settings_in_force(c, settings) for c in checks if c.metadata.settings},
            errors=inventory.errors,
            warnings=[
                *interruption(inventory),
                *missing_permissions(inventory.errors),
                *skipped_warnings(inventory.skipped),
                *unexpected_answers(inventory),
                *warnings,
            ],
            skipped=inventory.skipped,
            anomalies=inventory.anomalies,
            statistics=statistics,
            history=history_bounds(inventory),
        ),
        accounts=inventory.accounts,
        summary=summary,
        checks=[c.metadata for c in checks],
        findings=kept,
    )


def history_bounds(inventory: Inventory) -> list[HistoryBound]:
    """What the report says about the history it covers, for every collected part that reads history."""
    collected = inventory.parts()
    return [
        HistoryBound(
            part=record_type.part,
            label=record_type.label,
            created_since=inventory.since if collector.history.newest is None else None,
            newest=collector.history.newest,
            per=collector.history.per,
        )
        for record_type, collector in COLLECTORS.items()
        if collector.history is not None and record_type.part in collected
    ]


def interruption(inventory: Inventory) -> list[str]:
    if inventory.interrupted is None:
        return []
    unfinished = sum(1 for error in inventory.errors if error.error_code == "Interrupted")
    return [
        f"the scan was interrupted ({inventory.interrupted.name}): {unfinished} part(s) were not collected "
        "and their checks report ERROR"
    ]


SKIPPED_WARNINGS = {
    SkipReason.REGION_NOT_ENABLED: "skipped regions not enabled in the account (nothing can exist there)",
    SkipReason.SERVICE_NOT_OFFERED: "skipped services not offered in their region (nothing can exist there)",
    SkipReason.ENDPOINT_NOT_RESOLVED: "could not reach endpoints that did not resolve (DNS); their checks report ERROR",
    SkipReason.REGIONS_UNKNOWN: (
        "skipped services botocore's endpoint data lists no region for (where AWS offers them cannot be told; "
        "a botocore that lists them, or --endpoint-url, scans them)"
    ),
}


def skipped_warnings(skipped: Sequence[SkippedScope]) -> list[str]:
    """One line per reason, naming each region (or service in a region) once, with its account(s)."""
    lines = []
    for reason, text in SKIPPED_WARNINGS.items():
        accounts_of: dict[str, set[str]] = defaultdict(set)
        for scope in skipped:
            if scope.reason is reason:
                accounts_of[f"{scope.service} in {scope.region}" if scope.service else scope.region].add(
                    scope.account_id
                )
        if accounts_of:
            places = (
                f"{where} ({f'account {next(iter(accounts))}' if len(accounts) == 1 else f'{len(accounts)} accounts'})"
                for where, accounts in sorted(accounts_of.items())
            )
            lines.append(f"{text}: {', '.join(places)}")
    return lines


def unexpected_answers(inventory: Inventory) -> list[str]:
    """One line for all the answers that did not match the service model (the details are in `scan.anomalies`)."""
    if not inventory.anomalies:
        return []
    kinds = sorted({a.kind.value.replace("_", " ") for a in inventory.anomalies})
    operations = sorted({f"{a.service}:{a.operation}" for a in inventory.anomalies})
    shown = ", ".join(operations[:5]) + (f" and {len(operations) - 5} more" if len(operations) > 5 else "")
    seen = sum(a.count for a in inventory.anomalies)
    return [
        f"{seen} deviation(s) from the service model in AWS answers ({', '.join(kinds)}) in {shown}; the resources "
        "were kept and judged on what AWS sent; scan.anomalies in the JSON report lists them"
    ]


def call_statistics(stats: CallStats) -> CallStatistics:
    return CallStatistics(
        api_calls=stats.total,
        retries=stats.retries,
        throttles=stats.throttles,
        by_operation=dict(sorted(stats.calls.items())),
    )


def run_scan(
    options: ScanOptions,
    observer: CollectionObserver | None = None,
    stats: CallStats | None = None,
    stream: Callable[[Inventory], FindingStream] | None = None,
) -> ScanResult:
    """`stream`: the JSON Lines stream to write the findings to, made once the inventory (and so the resources'
    tags, which suppressions may match) is known."""
    checks = list(options.checks)
    stats = stats or CallStats()
    inventory = collect_inventory(options, options.parts, observer, stats)
    report = report_from_inventory(
        inventory,
        checks,
        options.settings,
        options.profile,
        call_statistics(stats),
        stream(inventory) if stream else None,
    )
    return ScanResult(report, inventory, checks, stats)
