"""One scan, from options to report: choose checks, plan parts, collect, evaluate, summarise.

The CLI and the demo both come through `run_scan`; the demo only differs by the session and endpoint it passes.
`collect_inventory` and `report_from_inventory` are the two halves, used alone by `mlaudit collect` and
`mlaudit evaluate`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3

from mlaudit import __version__
from mlaudit.catalog.loader import Catalog, load_catalog
from mlaudit.collect.accounts.credentials import identify, open_session
from mlaudit.collect.accounts.regions import validate_regions
from mlaudit.collect.accounts.session import READ_TIMEOUT_SECONDS, AwsClients
from mlaudit.collect.accounts.sharding import Shard
from mlaudit.collect.accounts.targets import AccountSelection, resolve_targets
from mlaudit.collect.engine.calls import CallStats
from mlaudit.collect.engine.processes import SessionRecipe, WorkerProcesses, WorkerSettings
from mlaudit.collect.engine.scheduler import CollectionObserver, collect
from mlaudit.collect.permissions import missing_permissions
from mlaudit.collect.registry import COLLECTORS, plan
from mlaudit.core.taxonomy import Severity, Status
from mlaudit.evaluate import evaluate
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

DEFAULT_LOOKBACK_DAYS = 90
DEFAULT_MAX_WORKERS = 16


@dataclass
class ScanOptions:
    profile: str | None = None
    regions: Sequence[str] = ()
    endpoint_url: str | None = None
    checks: Sequence[str] = ()
    exclude_checks: Sequence[str] = ()
    min_severity: Severity | None = None
    checks_dirs: Sequence[Path] = ()
    since_days: int = DEFAULT_LOOKBACK_DAYS
    max_workers: int = DEFAULT_MAX_WORKERS
    max_calls_per_service: int | None = None
    """Calls in flight to one service in one account and region, within `max_workers` (None: up to all of them;
    the limit also halves whenever that service throttles, and grows back)."""
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    session: boto3.Session | None = None
    """A ready-made session (the demo's); otherwise one is opened for `profile`."""
    extra_parts: Sequence[type[Record]] = ()
    """Parts collected beyond what the checks read: resource tags when a suppression matches on tags."""
    read_timeout: float = READ_TIMEOUT_SECONDS
    """Seconds to wait for an AWS answer before botocore retries the call."""
    accounts: AccountSelection = field(default_factory=AccountSelection)
    """Other accounts to scan through a role (`--role-arn`, `--org`); default: the credentials' own account."""
    shard: Shard | None = None
    processes: int = 1
    """Worker processes collecting the parts (see `collect.processes`); 1: all in this one."""


@dataclass
class ScanResult:
    report: Report
    inventory: Inventory
    checks: list[Check]
    stats: CallStats


def select_checks(options: ScanOptions, catalog: Catalog | None = None) -> list[Check]:
    catalog = catalog or load_catalog(options.checks_dirs)
    return catalog.select(options.checks, options.exclude_checks, options.min_severity)


def collect_inventory(
    options: ScanOptions,
    checks: list[Check],
    observer: CollectionObserver | None = None,
    stats: CallStats | None = None,
) -> Inventory:
    """Everything `checks` need, from the accounts the options select (default: the credentials' own)."""
    started = datetime.now(UTC)
    session = options.session or open_session(options.profile)
    clients = AwsClients(
        session,
        home_region=session.region_name or "us-east-1",
        endpoint_url=options.endpoint_url,
        max_pool_connections=options.max_workers,
        stats=stats,
        read_timeout=options.read_timeout,
    )
    since = started - timedelta(days=options.since_days)
    with worker_processes(options, clients, since, started) as processes:  # started first: they take a second
        requested = validate_regions(clients, options.regions) if options.regions else None
        caller = identify(clients, options.profile)
        targets = resolve_targets(clients, caller, options.accounts, requested, options.shard, options.max_workers)
        return collect(
            plan([*(record_type for check in checks for record_type in check.needs), *options.extra_parts]),
            targets.reachable,
            unreachable=targets.unreachable,
            since=since,
            created_at=started,
            max_workers=options.max_workers,
            max_calls_per_service=options.max_calls_per_service,
            observer=observer,
            processes=processes,
        )


def worker_processes(
    options: ScanOptions, clients: AwsClients, since: datetime, started: datetime
) -> AbstractContextManager[WorkerProcesses | None]:
    """The worker processes that collect the parts, or none (`processes` 1: all in this process)."""
    if options.processes <= 1:
        return nullcontext()
    settings = WorkerSettings(
        SessionRecipe.of(clients, options.profile, given=options.session is not None),
        since,
        started,
        options.max_workers,
        options.max_calls_per_service,
    )
    return WorkerProcesses(options.processes, settings, clients.stats)


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
            settings={c.id: settings[c.id] for c in checks if settings.get(c.id)},
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
    checks: list[Check] | None = None,
    stream: Callable[[Inventory], FindingStream] | None = None,
) -> ScanResult:
    """`stream`: the JSON Lines stream to write the findings to, made once the inventory (and so the resources'
    tags, which suppressions may match) is known."""
    checks = checks if checks is not None else select_checks(options)
    stats = stats or CallStats()
    inventory = collect_inventory(options, checks, observer, stats)
    report = report_from_inventory(
        inventory,
        checks,
        options.settings,
        options.profile,
        call_statistics(stats),
        stream(inventory) if stream else None,
    )
    return ScanResult(report, inventory, checks, stats)
