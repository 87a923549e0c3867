"""One scan, from options to report: choose checks, plan parts, collect, evaluate, summarise.

The CLI and the demo both come through `run_scan`; the demo only differs by the session and endpoint it passes.
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
from mlaudit.collect.regions import discover_regions, validate_regions
from mlaudit.collect.scheduler import AccountTarget, CollectionObserver, collect
from mlaudit.collect.session import AwsClients
from mlaudit.evaluate import evaluate
from mlaudit.inventory import Inventory
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
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    session: boto3.Session | None = None
    """A ready-made session (the demo's); otherwise one is opened for `profile`."""


@dataclass
class ScanResult:
    report: Report
    inventory: Inventory
    checks: list[Check]
    stats: CallStats


def select_checks(options: ScanOptions, catalog: Catalog | None = None) -> list[Check]:
    catalog = catalog or load_catalog(options.checks_dirs)
    return catalog.select(options.checks, options.exclude_checks, options.min_severity)


def run_scan(
    options: ScanOptions,
    observer: CollectionObserver | None = None,
    stats: CallStats | None = None,
    checks: list[Check] | None = None,
) -> ScanResult:
    started = datetime.now(timezone.utc)
    checks = checks if checks is not None else select_checks(options)
    stats = stats or CallStats()
    session = options.session or open_session(options.profile)
    clients = AwsClients(
        session,
        home_region=session.region_name or "us-east-1",
        endpoint_url=options.endpoint_url,
        max_pool_connections=options.max_workers,
        stats=stats,
    )
    requested = validate_regions(clients, options.regions) if options.regions else None
    account = identify(clients, options.profile)
    regions = requested or discover_regions(clients, account.partition)
    since = started - timedelta(days=options.since_days)
    collectors = plan(record_type for c in checks for record_type in c.needs)
    inventory = collect(
        collectors,
        [AccountTarget(account, clients)],
        regions,
        since=since,
        created_at=started,
        max_workers=options.max_workers,
        observer=observer,
    )
    findings = sort_findings(evaluate(checks, inventory, options.settings))
    incomplete = bool(inventory.errors) or any(f.status is Status.ERROR for f in findings)
    report = Report(
        scan=ScanInfo(
            id=str(uuid.uuid4()),
            started_at=started,
            finished_at=datetime.now(timezone.utc),
            status=ScanStatus.PARTIAL if incomplete else ScanStatus.COMPLETE,
            profile=options.profile,
            regions=regions,
            checks_selected=[c.id for c in checks],
            since=since,
            settings={c.id: options.settings[c.id] for c in checks if options.settings.get(c.id)},
            errors=inventory.errors,
            statistics=CallStatistics(
                api_calls=stats.total,
                retries=stats.retries,
                throttles=stats.throttles,
                by_operation=dict(sorted(stats.calls.items())),
            ),
        ),
        accounts=inventory.accounts,
        summary=summarise(findings, [c.id for c in checks]),
        checks=[c.metadata for c in checks],
        findings=findings,
    )
    return ScanResult(report, inventory, checks, stats)
