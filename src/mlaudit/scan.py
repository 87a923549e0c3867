"""One scan, from options to report: choose checks, plan parts, collect, evaluate, summarise.

The CLI and the demo both come through `run_scan`; the demo only differs by the session and endpoint it passes.
`collect_inventory` and `report_from_inventory` are the two halves, used alone by `mlaudit collect` and
`mlaudit evaluate`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Sequence

import boto3

from mlaudit.catalog import Catalog, load_catalog
from mlaudit.collect.calls import CallStats
from mlaudit.collect.credentials import identify, open_session
from mlaudit.collect.registry import plan
from mlaudit.collect.regions import validate_regions
from mlaudit.collect.scheduler import CollectionObserver, collect
from mlaudit.collect.session import READ_TIMEOUT_SECONDS, AwsClients
from mlaudit.collect.sharding import Shard
from mlaudit.collect.targets import AccountSelection, resolve_targets
from mlaudit.evaluate import evaluate
from mlaudit.inventory import Inventory, Record
from mlaudit.permissions import missing_permissions
from mlaudit.report import CallStatistics, Report, ScanInfo, ScanStatus, sort_findings, summarise
from mlaudit.sdk import Check
from mlaudit.taxonomy import Severity, Status

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
    started = datetime.now(timezone.utc)
    session = options.session or open_session(options.profile)
    clients = AwsClients(
        session,
        home_region=session.region_name or "us-east-1",
        endpoint_url=options.endpoint_url,
        max_pool_connections=options.max_workers,
        stats=stats,
        read_timeout=options.read_timeout,
    )
    requested = validate_regions(clients, options.regions) if options.regions else None
    caller = identify(clients, options.profile)
    targets = resolve_targets(clients, caller, options.accounts, requested, options.shard, options.max_workers)
    return collect(
        plan([*(record_type for check in checks for record_type in check.needs), *options.extra_parts]),
        targets.reachable,
        unreachable=targets.unreachable,
        since=started - timedelta(days=options.since_days),
        created_at=started,
        max_workers=options.max_workers,
        max_calls_per_service=options.max_calls_per_service,
        observer=observer,
    )


def report_from_inventory(
    inventory: Inventory,
    checks: list[Check],
    settings: dict[str, dict[str, Any]],
    profile: str | None,
    statistics: CallStatistics,
) -> Report:
    """Evaluate `checks` over an inventory (just collected, or read from a snapshot)."""
    findings = sort_findings(evaluate(checks, inventory, settings))
    incomplete = bool(inventory.errors) or any(f.status is Status.ERROR for f in findings)
    return Report(
        scan=ScanInfo(
            id=str(uuid.uuid4()),
            started_at=inventory.created_at,
            finished_at=datetime.now(timezone.utc),
            status=ScanStatus.PARTIAL if incomplete else ScanStatus.COMPLETE,
            profile=profile,
            regions=inventory.regions,
            checks_selected=[c.id for c in checks],
            since=inventory.since,
            settings={c.id: settings[c.id] for c in checks if settings.get(c.id)},
            errors=inventory.errors,
            warnings=[*interruption(inventory), *missing_permissions(inventory.errors)],
            statistics=statistics,
        ),
        accounts=inventory.accounts,
        summary=summarise(findings, [c.id for c in checks]),
        checks=[c.metadata for c in checks],
        findings=findings,
    )


def interruption(inventory: Inventory) -> list[str]:
    if inventory.interrupted is None:
        return []
    unfinished = sum(1 for error in inventory.errors if error.error_code == "Interrupted")
    return [
        f"the scan was interrupted ({inventory.interrupted.name}): {unfinished} part(s) were not collected "
        "and their checks report ERROR"
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
) -> ScanResult:
    checks = checks if checks is not None else select_checks(options)
    stats = stats or CallStats()
    inventory = collect_inventory(options, checks, observer, stats)
    report = report_from_inventory(inventory, checks, options.settings, options.profile, call_statistics(stats))
    return ScanResult(report, inventory, checks, stats)
