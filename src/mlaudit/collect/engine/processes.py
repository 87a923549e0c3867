"""Collection in worker processes (`--processes N`): past the one core a Python process computes on.

A scan of a large estate is bound by botocore's CPU per call (3 to 4 ms), not by AWS: one process makes about
300 calls a second. Every regional part depends only on regional parts of the same account and region, so the
regional work splits into independent units: one account, one region and one cluster of parts
(parts linked by a dependency or by an answer they share). The main process plans the units and puts them on a
queue; each worker process (spawned: it inherits none of the main process's threads or sockets) takes a unit when
it has room, collects it with its own clients and threads, and sends back each part's records, errors and
anomalies. An account's account-wide parts (IAM roles, S3 buckets) read its regional parts of every region: their
units are queued once those are collected, with their records. Parts derived from others without a call stay in
the main process. One semaphore, shared by every process, is the scan's budget of calls in flight
(`--max-workers`); each process keeps its own adaptive limit per service within it.

A worker that dies (killed, out of memory) loses only the units it was collecting: their parts report ERROR, and
the slots of the budget it held are given back.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import queue
import signal
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3

from mlaudit.collect.accounts.assume import AssumedRole, assumed_session
from mlaudit.collect.accounts.session import AwsClients
from mlaudit.collect.engine.calls import CallStats
from mlaudit.collect.engine.scheduler import (
    AccountTarget,
    CollectedPart,
    CollectionWorkers,
    PartResult,
    Task,
    collect,
    dependency_scopes,
)
from mlaudit.collect.registry import COLLECTORS
from mlaudit.inventory import GLOBAL_REGION, AccountInfo, SkippedScope

UNITS_PER_PROCESS = 4
"""Units a worker collects at once: enough to keep its calls in flight while one unit lists, few enough that one
worker does not take every large unit while the others start."""
WORKER_EXIT = "WorkerProcessExited"
_BY_PART = {collector.part: collector for collector in COLLECTORS.values()}
LIVENESS_SECONDS = 0.2
"""How often the main process looks for workers that died."""


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

    def tasks(self) -> list[Task]:
        return [Task(_BY_PART[part], self.account, self.region) for part in self.parts]


def _failed(tasks: Sequence[Task], code: str, message: str) -> list[PartResult]:
    """The results of a unit that could not be collected: every part of it is ERROR, saying why."""
    return [([], [task.error("(worker process)", code, message)], []) for task in tasks]


@dataclass(frozen=True)
class WorkerSettings:
    """What every worker needs, sent once when it starts."""

    recipe: SessionRecipe
    since: datetime
    created_at: datetime
    max_workers: int
    max_calls_per_service: int | None


@dataclass(frozen=True)
class PlannedUnit:
    unit: Unit
    tasks: tuple[Task, ...]
    """The main process's tasks, in the order of `unit.parts`."""
    waits_for: tuple[Task, ...]
    """The tasks outside the unit whose parts it reads: it is sent once they are collected, with their records."""


def clusters(tasks: Sequence[Task]) -> list[list[Task]]:
    """The tasks of one account's region, grouped so that no dependency or shared answer links two groups, each
    group in the order given."""
    parent = {task.collector.part: task.collector.part for task in tasks}

    def root(part: str) -> str:
        while parent[part] != part:
            part = parent[part]
        return part

    first_sharer: dict[str, str] = {}
    for task in tasks:
        part = task.collector.part
        linked = [d.part for d in task.collector.dependencies if d.part in parent]
        linked += [first_sharer.setdefault(name, part) for name in task.collector.shares]
        for other in linked:
            parent[root(other)] = root(part)
    groups: dict[str, list[Task]] = {}
    for task in tasks:
        groups.setdefault(root(task.collector.part), []).append(task)
    return list(groups.values())


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


class WorkerProcesses:
    """Worker processes collecting the units of one scan, and the futures of their results."""

    def __init__(self, count: int, settings: WorkerSettings, stats: CallStats) -> None:
        context = multiprocessing.get_context("spawn")
        self.slots = context.BoundedSemaphore(settings.max_workers)
        """The scan's budget of calls in flight, shared by every process."""
        self._held = context.Array("i", count)
        """The slots each worker holds (see `SharedSlots`)."""
        self._given_back: set[int] = set()
        self._units: Any = context.Queue()
        self._results: Any = context.Queue()
        self._stats = stats
        self._planned: dict[int, PlannedUnit] = {}
        self._futures: dict[int, Future[list[PartResult]]] = {}
        self._taken: dict[int, int] = {}
        """Unit index -> the worker collecting it."""
        self._worker_stats: dict[int, tuple[dict[str, int], int, int]] = {}
        self._skipped: dict[SkippedScope, None] = {}
        self._lock = threading.Lock()
        self._workers = [
            context.Process(
                target=_serve,
                args=(index, settings, self._units, self._results, SharedSlots(self.slots, self._held, index)),
                name=f"mlaudit-worker-{index}",
                daemon=True,
            )
            for index in range(count)
        ]
        for worker in self._workers:
            worker.start()
        self._closed = threading.Event()
        self._reader = threading.Thread(target=self._read, name="mlaudit-worker-results", daemon=True)
        self._reader.start()

    # -- planning ------------------------------------------------------------------------------------------
    def units(self, tasks: Sequence[Task], targets: Sequence[AccountTarget]) -> list[PlannedUnit]:
        """The tasks that make calls, as units: first the regional ones (every account's regions of each cluster in
        turn, so that the regions of a large part go to different workers), then the account-wide ones, sent once
        the regional parts they read are collected. Parts derived from others with no call stay here."""
        target_of = {target.account.account_id: target for target in targets}
        by_key = {task.key: task for task in tasks}
        by_scope: dict[tuple[str, str], list[Task]] = {}
        for task in tasks:
            if task.collector.operations:
                by_scope.setdefault((task.account.account_id, task.region), []).append(task)
        regional = [(scope, clusters(group)) for scope, group in by_scope.items() if scope[1] != GLOBAL_REGION]
        ordered = [
            (scope, groups[rank])
            for rank in range(max((len(groups) for _, groups in regional), default=0))
            for scope, groups in regional
            if rank < len(groups)
        ]
        account_wide = [(scope, clusters(group)) for scope, group in by_scope.items() if scope[1] == GLOBAL_REGION]
        ordered += [(scope, cluster) for scope, groups in account_wide for cluster in groups]
        planned = []
        for (account_id, region), group in ordered:
            target = target_of[account_id]
            regions = tuple(target.regions) if region == GLOBAL_REGION else (region,)
            parts = tuple(t.collector.part for t in group)
            inside = {t.key for t in group}
            waits_for = {
                by_key[key] for task in group for _, key in dependency_scopes(task, target.regions) if key not in inside
            }
            unit = Unit(len(self._planned), target.account, target.role, region, regions, parts)
            self._planned[unit.index] = PlannedUnit(unit, tuple(group), tuple(sorted(waits_for, key=lambda t: t.key)))
            planned.append(self._planned[unit.index])
        return planned

    def submit(self, planned: PlannedUnit, inputs: list[CollectedPart]) -> Future[list[PartResult]]:
        """Queue a unit with the parts it reads from outside (`waits_for`, as collected)."""
        future: Future[list[PartResult]] = Future()
        with self._lock:
            self._futures[planned.unit.index] = future
        self._units.put((planned.unit, inputs))
        return future

    def held_slots(self) -> dict[int, int]:
        """The slots of the budget each live worker holds now, by process id."""
        with self._held.get_lock():
            return {
                w.pid: self._held[i] for i, w in enumerate(self._workers) if w.pid is not None and w.exitcode is None
            }

    @property
    def skipped(self) -> list[SkippedScope]:
        with self._lock:
            return list(self._skipped)

    # -- the end -------------------------------------------------------------------------------------------
    def close(self) -> None:
        """Let the workers finish and exit, and count their calls in the scan's statistics."""
        for _ in self._workers:
            self._units.put(None)
        for worker in self._workers:
            worker.join()
        self._end()

    def stop(self) -> None:
        """An interrupted scan: the workers are stopped at once; their unfinished units are never reported."""
        for worker in self._workers:
            worker.terminate()
        for worker in self._workers:
            worker.join()
        self._end()

    def _end(self) -> None:
        self._closed.set()
        self._reader.join()
        with self._lock:
            for calls, retries, throttles in self._worker_stats.values():
                self._stats.merge(Counter(calls), retries, throttles)
            self._worker_stats.clear()

    def __enter__(self) -> WorkerProcesses:
        return self

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is None:
            self.close()
        else:
            self.stop()

    # -- results -------------------------------------------------------------------------------------------
    def _read(self) -> None:
        """Resolve each unit's future as its results arrive; fail the units of a worker that died."""
        checked = time.monotonic()
        while not self._closed.is_set():
            with contextlib.suppress(queue.Empty):
                self._handle(self._results.get(timeout=LIVENESS_SECONDS))
            if time.monotonic() - checked >= LIVENESS_SECONDS:
                self._fail_lost()
                checked = time.monotonic()
        self._drain()

    def _drain(self) -> None:
        while True:
            try:
                self._handle(self._results.get_nowait())
            except queue.Empty:
                return

    def _handle(self, message: tuple[str, int, int, Any]) -> None:
        kind, worker, index, payload = message
        with self._lock:
            if kind == "taken":
                self._taken[index] = worker
                return
            results, skipped, stats = payload
            if sum(stats[0].values()) >= sum(self._worker_stats.get(worker, ({}, 0, 0))[0].values()):
                self._worker_stats[worker] = stats  # cumulative: units finish out of order
            self._skipped.update(dict.fromkeys(skipped))
            future = self._futures.pop(index, None)
        if future is not None:
            future.set_result(results)

    def _fail_lost(self) -> None:
        """Units taken by a worker that has exited, or never taken while no worker is left, report ERROR."""
        dead = {i for i, worker in enumerate(self._workers) if worker.exitcode is not None}
        if not dead:
            return
        self._give_back_slots(dead)
        self._drain()  # what a worker sent before it exited
        with self._lock:
            lost = [
                index for index in self._futures if self._taken.get(index) in dead or len(dead) == len(self._workers)
            ]
            futures = [(index, self._futures.pop(index)) for index in lost]
        for index, future in futures:
            worker = self._taken.get(index)
            message = (
                f"the worker process collecting it exited (code {self._workers[worker].exitcode}) before it finished"
                if worker is not None
                else "no worker process was left to collect it"
            )
            future.set_result(_failed(self._planned[index].tasks, WORKER_EXIT, message))

    def _give_back_slots(self, dead: set[int]) -> None:
        """The budget's slots a dead worker held, released for the others (once per worker)."""
        for worker in dead - self._given_back:
            self._given_back.add(worker)
            with self._held.get_lock():
                held, self._held[worker] = self._held[worker], 0
            for _ in range(held):
                self.slots.release()


# -- in the worker process ---------------------------------------------------------------------------------
def _serve(worker: int, settings: WorkerSettings, units: Any, results: Any, slots: SharedSlots) -> None:
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
            outcome = _failed(unit.tasks(), type(exc).__name__, str(exc) or type(exc).__name__), []
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


def _collect_unit(
    unit: Unit, inputs: list[CollectedPart], clients: AwsClients, workers: CollectionWorkers, settings: WorkerSettings
) -> tuple[list[PartResult], list[SkippedScope]]:
    collectors = [task.collector for task in unit.tasks()]
    target = AccountTarget(unit.account, clients, unit.regions)
    inventory = collect(
        collectors, [target], since=settings.since, created_at=settings.created_at, workers=workers, given=inputs
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
