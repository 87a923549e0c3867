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
import threading
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from mlaudit.collect.accounts.calls import CallStats
from mlaudit.collect.accounts.targets import AccountTarget
from mlaudit.collect.engine.collection import Collection
from mlaudit.collect.engine.runner import CollectionWorkers, ThreadRunner
from mlaudit.collect.engine.tasks import PartResult, Task, Work
from mlaudit.collect.engine.worker import SharedSlots, Unit, WorkerSettings, failed_results, serve
from mlaudit.inventory import GLOBAL_REGION, SkippedScope

WORKER_EXIT = "WorkerProcessExited"
LIVENESS_SECONDS = 0.2
"""How often the main process looks for workers that died."""


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


Scope = tuple[str, str]
"""(account id, region or `global`)."""


def _in_units(task: Task) -> bool:
    """Whether a task is sent to a worker process: it makes calls, and does not stream its inputs (a streaming part
    reads them as this process collects them)."""
    return bool(task.collector.operations) and not task.collector.streams


def unit_order(tasks: Sequence[Task]) -> list[tuple[Scope, list[Task]]]:
    """The tasks of each scope in clusters, in the order they are sent: first the regional ones (every account's
    regions of each cluster in turn, so that the regions of a large part go to different workers), then the
    account-wide ones, which wait for the regional parts they read."""
    by_scope: dict[Scope, list[Task]] = {}
    for task in tasks:
        by_scope.setdefault((task.account.account_id, task.region), []).append(task)
    regional = [(scope, clusters(group)) for scope, group in by_scope.items() if scope[1] != GLOBAL_REGION]
    ordered = [
        (scope, groups[rank])
        for rank in range(max((len(groups) for _, groups in regional), default=0))
        for scope, groups in regional
        if rank < len(groups)
    ]
    account_wide = [(scope, clusters(group)) for scope, group in by_scope.items() if scope[1] == GLOBAL_REGION]
    return ordered + [(scope, cluster) for scope, groups in account_wide for cluster in groups]


class ProcessRunner:
    """Worker processes collecting the units of one scan, and the futures of their results; the parts that make
    no call are collected on this process's threads (`local`), within the same shared budget."""

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
        self._planned: dict[int, Work] = {}
        """Each unit's tasks, by unit index."""
        self._units_of: dict[Work, Unit] = {}
        self._futures: dict[int, Future[list[PartResult]]] = {}
        self._taken: dict[int, int] = {}
        """Unit index -> the worker collecting it."""
        self._worker_stats: dict[int, tuple[dict[str, int], int, int]] = {}
        self._skipped: dict[SkippedScope, None] = {}
        self._lock = threading.Lock()
        self._workers = [
            context.Process(
                target=serve,
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
        self.local = ThreadRunner(CollectionWorkers(settings.max_workers, settings.max_calls_per_service, self.slots))

    # -- planning ------------------------------------------------------------------------------------------
    def group(self, tasks: Sequence[Task], targets: Sequence[AccountTarget]) -> list[Work]:
        """The tasks that make calls, as units (see `unit_order`); parts derived from others with no call stay
        here, one task each."""
        target_of = {target.account.account_id: target for target in targets}
        works: list[Work] = []
        for (account_id, region), group in unit_order([task for task in tasks if _in_units(task)]):
            target = target_of[account_id]
            regions = tuple(target.regions) if region == GLOBAL_REGION else (region,)
            parts = tuple(t.collector.part for t in group)
            unit = Unit(len(self._planned), target.account, target.role, region, regions, parts)
            work = tuple(group)
            self._planned[unit.index] = work
            self._units_of[work] = unit
            works.append(work)
        return works + [(task,) for task in tasks if not _in_units(task)]

    def submit(self, work: Work, collection: Collection) -> Future[list[PartResult]]:
        """A unit is queued with the parts it reads from outside, as collected; other work runs here."""
        unit = self._units_of.get(work)
        if unit is None:
            return self.local.submit(work, collection)
        inside = {task.key for task in work}
        reads = {key: scope for task in work for scope in collection.reads(task) if (key := scope[1]) not in inside}
        inputs = collection.collected([reads[key] for key in sorted(reads)])
        future: Future[list[PartResult]] = Future()
        with self._lock:
            self._futures[unit.index] = future
        self._units.put((unit, inputs))
        return future

    def cancel(self) -> None:
        """An interrupted scan: the workers are stopped at once; their unfinished units are never reported."""
        self.local.cancel()
        self.stop()

    def held_slots(self) -> dict[int, int]:
        """The slots of the budget each live worker holds now, by process id."""
        with self._held.get_lock():
            return {
                w.pid: self._held[i] for i, w in enumerate(self._workers) if w.pid is not None and w.exitcode is None
            }

    def skipped(self) -> list[SkippedScope]:
        with self._lock:
            return [*self._skipped, *self.local.skipped()]

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
        if self._closed.is_set():
            return  # stopped already (an interrupted scan), then closed
        self._closed.set()
        self._reader.join()
        with self._lock:
            for calls, retries, throttles in self._worker_stats.values():
                self._stats.merge(Counter(calls), retries, throttles)
            self._worker_stats.clear()

    def __enter__(self) -> ProcessRunner:
        return self

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is None:
            self.close()
        else:
            self.stop()
        self.local.workers.close()

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
            future.set_result(failed_results(self._planned[index], WORKER_EXIT, message))

    def _give_back_slots(self, dead: set[int]) -> None:
        """The budget's slots a dead worker held, released for the others (once per worker)."""
        for worker in dead - self._given_back:
            self._given_back.add(worker)
            with self._held.get_lock():
                held, self._held[worker] = self._held[worker], 0
            for _ in range(held):
                self.slots.release()
