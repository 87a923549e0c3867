"""Collection's one entry point: from what to collect, and from where, an inventory.

`collect_inventory` opens the session and clients, starts the worker processes (when asked for), checks the
requested regions, learns whose account the credentials are, resolves the accounts to scan, plans the collectors
the parts need and runs them. The scan, `mlaudit collect` and the benchmark all come through here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import boto3

from mlaudit.collect.accounts.calls import CallStats
from mlaudit.collect.accounts.credentials import identify, open_session
from mlaudit.collect.accounts.regions import validate_regions
from mlaudit.collect.accounts.session import READ_TIMEOUT_SECONDS, AwsClients
from mlaudit.collect.accounts.sharding import Shard
from mlaudit.collect.accounts.targets import AccountSelection, resolve_targets
from mlaudit.collect.engine.processes import ProcessRunner
from mlaudit.collect.engine.runner import CollectionWorkers, ThreadRunner
from mlaudit.collect.engine.scheduler import CollectionObserver, collect
from mlaudit.collect.engine.worker import SessionRecipe, WorkerSettings
from mlaudit.collect.registry import collector_of, plan
from mlaudit.inventory import Inventory, Record

DEFAULT_LOOKBACK_DAYS = 90
DEFAULT_MAX_WORKERS = 16


@dataclass
class CollectionOptions:
    """Where to collect from and how: the credentials, accounts and regions, the history window, the budget."""

    profile: str | None = None
    session: boto3.Session | None = None
    """A ready-made session (the demo's); otherwise one is opened for `profile`."""
    regions: Sequence[str] = ()
    endpoint_url: str | None = None
    since_days: int = DEFAULT_LOOKBACK_DAYS
    max_workers: int = DEFAULT_MAX_WORKERS
    max_calls_per_service: int | None = None
    """Calls in flight to one service in one account and region, within `max_workers` (None: up to all of them;
    the limit also halves whenever that service throttles, and grows back)."""
    read_timeout: float = READ_TIMEOUT_SECONDS
    """Seconds to wait for an AWS answer before botocore retries the call."""
    accounts: AccountSelection = field(default_factory=AccountSelection)
    """Other accounts to scan through a role (`--role-arn`, `--org`); default: the credentials' own account."""
    shard: Shard | None = None
    processes: int = 1
    """Worker processes collecting the parts (see `engine.processes`); 1: all in this one."""


def collect_inventory(
    options: CollectionOptions,
    parts: Iterable[type[Record]],
    observer: CollectionObserver | None = None,
    stats: CallStats | None = None,
) -> Inventory:
    """Every part in `parts` (and what they are collected from), from the accounts the options select."""
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
    with _runner(options, clients, since, started) as runner:  # started first: worker processes take a second
        requested = validate_regions(clients, options.regions) if options.regions else None
        caller = identify(clients, options.profile)
        targets = resolve_targets(clients, caller, options.accounts, requested, options.shard, options.max_workers)
        return collect(
            plan(parts),
            targets.reachable,
            runner,
            unreachable=targets.unreachable,
            since=since,
            created_at=started,
            observer=observer,
        )


def _runner(
    options: CollectionOptions, clients: AwsClients, since: datetime, started: datetime
) -> ThreadRunner | ProcessRunner:
    """Worker processes that collect the parts, or this process's threads (`processes` 1)."""
    if options.processes <= 1:
        return ThreadRunner(CollectionWorkers(options.max_workers, options.max_calls_per_service))
    settings = WorkerSettings(
        SessionRecipe.of(clients, options.profile, given=options.session is not None),
        since,
        started,
        options.max_workers,
        options.max_calls_per_service,
        collector_of,
    )
    return ProcessRunner(options.processes, settings, clients.stats)
