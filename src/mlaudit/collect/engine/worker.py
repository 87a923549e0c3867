"""The worker side of `processes`: what a spawned worker process runs, and what it is sent.

A worker opens the scan's base session again from its recipe, takes units from the queue while it has room,
collects each one with the same scheduler and thread runner as the main process (the parts the unit reads from
outside arrive with it), and sends back each part's records, errors and anomalies with its call counts.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3

from mlaudit.collect.accounts.assume import AssumedRole, assumed_session
from mlaudit.collect.accounts.calls import CallStats
from mlaudit.collect.accounts.session import AwsClients
from mlaudit.collect.accounts.targets import AccountTarget
from mlaudit.collect.engine.runner import CollectionWorkers, ThreadRunner
from mlaudit.collect.engine.scheduler import collect
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.collect.engine.tasks import CollectedPart, PartResult, Task
from mlaudit.inventory import AccountInfo, SkippedScope

UNITS_PER_PROCESS = 4
"""Units a worker collects at once: enough to keep its calls in flight while one unit lists, few enough that one
worker does not take every large unit while the others start."""


@dataclass(frozen=True)
class SessionRecipe:
    """How a worker process opens the scan's base session again: from the same profile (its credentials then
    refresh in the worker as they would here), or from the credentials of a session handed to the scan (the
    demo's), as they are now."""

    profile: str | None
    region: str | None
    credentials: tuple[str, str, str | None] | None
    home_region: str
    endpoint_url: str | None
    read_timeout: float
    max_pool_connections: int

    @classmethod
    def of(cls, clients: AwsClients, profile: str | None, given: bool) -> SessionRecipe:
        """`given`: the session was handed to the scan rather than opened for `profile`."""
        credentials = None
        source = clients.session.get_credentials() if given else None
        if source is not None:
            frozen = source.get_frozen_credentials()
            credentials = (frozen.access_key, frozen.secret_key, frozen.token)
        return cls(
            profile=None if given else profile,
            region=clients.session.region_name,
            credentials=credentials,
            home_region=clients.home_region,
            endpoint_url=clients.endpoint_url,
            read_timeout=clients.read_timeout,
            max_pool_connections=clients.max_pool_connections,
        )

    def clients(self, stats: CallStats) -> AwsClients:
        if self.credentials:
            key, secret, token = self.credentials
            session = boto3.Session(key, secret, token, region_name=self.region)
        else:
            session = boto3.Session(profile_name=self.profile, region_name=self.region)
        return AwsClients(
            session,
            home_region=self.home_region,
            endpoint_url=self.endpoint_url,
            max_pool_connections=self.max_pool_connections,
            stats=stats,
            read_timeout=self.read_timeout,
        )


@dataclass(frozen=True)
class Unit:
    """A cluster of one account's parts in one region (or its account-wide parts): what a worker collects at once."""

    index: int
    account: AccountInfo
    role: AssumedRole | None
    region: str
    """A region, or `global`."""
    regions: tuple[str, ...]
    """The regions the parts read: `region`, or every region of the account for account-wide parts."""
    parts: tuple[str, ...]
    """In dependency order."""


@dataclass(frozen=True)
class WorkerSettings:
    """What every worker needs, sent once when it starts."""

    recipe: SessionRecipe
    since: datetime
    created_at: datetime
    max_workers: int
    max_calls_per_service: int | None
    collector_of: Callable[[str], PartCollector]
    """A part's collector by its name (a module-level function: it is sent by reference)."""


def failed_results(tasks: Sequence[Task], code: str, message: str) -> list[PartResult]:
    """The results of a unit that could not be collected: every part of it is ERROR, saying why."""
    return [([], [task.error("(worker process)", code, message)], []) for task in tasks]


class SharedSlots:
    """A worker's view of the scan's budget of calls in flight, shared by every process: it also counts the slots
    this worker holds, so that the main process can give back those of a worker that dies holding some."""

    def __init__(self, semaphore: Any, held: Any, worker: int) -> None:
        self._semaphore = semaphore
        self._held = held
        self._worker = worker

    def acquire(self) -> None:
        self._semaphore.acquire()
        with self._held.get_lock():
            self._held[self._worker] += 1

    def release(self) -> None:
        with self._held.get_lock():
            self._held[self._worker] -= 1
        self._semaphore.release()


def serve(worker: int, settings: WorkerSettings, units: Any, results: Any, slots: SharedSlots) -> None:
    """A worker's life: take units while it has room, collect each, send back its results."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the main process decides
    stats = CallStats()
    base = settings.recipe.clients(stats)
    workers = CollectionWorkers(settings.max_workers, settings.max_calls_per_service, slots)
    room = threading.BoundedSemaphore(UNITS_PER_PROCESS)
    accounts: dict[str, AwsClients] = {}
    accounts_lock = threading.Lock()

    def clients_of(unit: Unit) -> AwsClients:
        if unit.role is None:
            return base
        with accounts_lock:  # one role session per account, whichever of its units comes first
            if unit.account.account_id not in accounts:
                accounts[unit.account.account_id] = base.for_session(
                    assumed_session(base, unit.role.arn, unit.role.spec)
                )
            return accounts[unit.account.account_id]

    def run(unit: Unit, inputs: list[CollectedPart]) -> None:
        try:
            outcome = _collect_unit(unit, inputs, clients_of(unit), workers, settings)
        except Exception as exc:  # noqa: BLE001 - a unit must report, whatever went wrong
            outcome = failed_results(_tasks(unit, settings), type(exc).__name__, str(exc) or type(exc).__name__), []
        finally:
            room.release()
        results.put(("done", worker, unit.index, (*outcome, stats.snapshot())))

    with ThreadPoolExecutor(UNITS_PER_PROCESS, thread_name_prefix="mlaudit-unit") as pool:
        while True:
            room.acquire()
            item = units.get()
            if item is None:
                break
            results.put(("taken", worker, item[0].index, None))
            pool.submit(run, *item)
    workers.close()


def _tasks(unit: Unit, settings: WorkerSettings) -> list[Task]:
    return [Task(settings.collector_of(part), unit.account, unit.region) for part in unit.parts]


def _collect_unit(
    unit: Unit, inputs: list[CollectedPart], clients: AwsClients, workers: CollectionWorkers, settings: WorkerSettings
) -> tuple[list[PartResult], list[SkippedScope]]:
    collectors = [task.collector for task in _tasks(unit, settings)]
    target = AccountTarget(unit.account, clients, unit.regions)
    runner = ThreadRunner(workers)  # the worker's threads, for its whole life: not closed with the unit
    inventory = collect(
        collectors, [target], runner, since=settings.since, created_at=settings.created_at, given=inputs
    )
    results: list[PartResult] = [
        (
            inventory.records(c.record, unit.account.account_id, unit.region),
            inventory.errors_for(c.record, unit.account.account_id, unit.region),
            [],
        )
        for c in collectors
    ]
    results[0][2].extend(inventory.anomalies)
    return results, inventory.skipped
