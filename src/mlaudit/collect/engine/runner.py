"""How collection work is run: the runner interface, and the runner that collects on this process's threads.

A runner groups tasks into work (`group`), starts a work item whose inputs are collected (`submit`, a future of
each task's result) and stops starting work when the scan is interrupted (`cancel`). `ThreadRunner` collects each
task on a thread; `processes.ProcessRunner` sends units of tasks to worker processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from mlaudit.collect.accounts.failures import CallFailed
from mlaudit.collect.accounts.targets import AccountTarget
from mlaudit.collect.engine.budget import CallBudget
from mlaudit.collect.engine.collection import Collection
from mlaudit.collect.engine.context import CollectContext, internal_error
from mlaudit.collect.engine.longest_first import LongestFirst
from mlaudit.collect.engine.once import Once
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.collect.engine.tasks import PartResult, Task, Work
from mlaudit.collect.engine.unresolved import UnresolvedEndpoints
from mlaudit.inventory import CollectionError, Record, SkippedScope

THREADS_PER_CALL = 4
"""Part and describe threads for each call the budget lets in flight: a call of a throttled operation waits for its
turn at the operation's rate on its thread, which must not keep other operations' calls from the budget's slots."""


class Runner(Protocol):
    def group(self, tasks: Sequence[Task], targets: Sequence[AccountTarget]) -> list[Work]: ...

    def submit(self, work: Work, collection: Collection) -> Future[list[PartResult]]: ...

    def cancel(self) -> None: ...

    def skipped(self) -> list[SkippedScope]:
        """Scopes found not to be reachable while collecting (endpoints that do not resolve)."""
        ...


class CollectionWorkers:
    """The threads and shared state that run collection tasks: a pool for parts, a pool for their per-resource
    describes (so that a part waiting on its describes never starves another of a worker), the budget of calls in
    flight, the answers several parts share, and the endpoints found not to resolve. One per collection, or one
    for a worker process's whole life (see `processes`)."""

    def __init__(self, max_workers: int, max_calls_per_service: int | None = None, global_slots: Any = None) -> None:
        threads = max_workers * THREADS_PER_CALL
        self.parts = ThreadPoolExecutor(threads, thread_name_prefix="mlaudit-part")
        self.describes = LongestFirst(ThreadPoolExecutor(threads, thread_name_prefix="mlaudit-describe"))
        self.streams = ThreadPoolExecutor(max_workers, thread_name_prefix="mlaudit-stream")
        """Streaming parts wait for their inputs on threads of their own: never on those the inputs need."""
        self.budget = CallBudget(max_workers, max_calls_per_service, global_slots)
        self.shared: Once[tuple[str, str, str, str], Any] = Once()
        self.unresolved = UnresolvedEndpoints()

    def cancel(self) -> None:
        """An interrupted scan: nothing more starts; parts already running finish their current call."""
        for pool in (self.streams, self.parts, self.describes):
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        for pool in (self.streams, self.parts, self.describes):
            pool.shutdown(wait=True)


class ThreadRunner:
    """Each task on a thread of `workers`, its describes on their describe pool."""

    def __init__(self, workers: CollectionWorkers) -> None:
        self.workers = workers

    def group(self, tasks: Sequence[Task], targets: Sequence[AccountTarget]) -> list[Work]:
        return [(task,) for task in tasks]

    def submit(self, work: Work, collection: Collection) -> Future[list[PartResult]]:
        contexts = [(task.collector, self.context(task, collection)) for task in work]
        pool = self.workers.streams if all(task.collector.streams for task in work) else self.workers.parts
        return pool.submit(lambda: [run_task(collector, ctx) for collector, ctx in contexts])

    def context(self, task: Task, collection: Collection) -> CollectContext:
        """A task's context; a streaming task's reads wait on the collection, and its inputs' errors are known at
        its end."""
        streams = task.collector.streams
        return CollectContext(
            task.collector,
            task.account,
            task.region,
            collection.clients_of[task.account.account_id],
            collection.inventory,
            self.workers.describes,
            collection.since,
            budget=self.workers.budget,
            shared=self.workers.shared,
            input_errors=(lambda: collection.incompleteness(task)) if streams else collection.incompleteness(task),
            unresolved=self.workers.unresolved,
            feed=collection if streams else None,
        )

    def cancel(self) -> None:
        self.workers.cancel()

    def skipped(self) -> list[SkippedScope]:
        return self.workers.unresolved.skipped

    def __enter__(self) -> ThreadRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.workers.close()


def run_task(collector: PartCollector, ctx: CollectContext) -> PartResult:
    """One task: whatever was collected before a failure is kept, and the failure is recorded."""
    records: list[Record] = []
    failure: CollectionError | None = None
    try:
        records.extend(collector.collect(ctx))
    except CallFailed as failed:
        failure = failed.error
    except Exception as exc:  # noqa: BLE001 - an unexpected response shape must not abort the scan
        failure = internal_error(ctx, exc)
    errors = ctx.input_errors + ctx.errors + ([failure] if failure else [])
    return records, errors, ctx.anomalies
