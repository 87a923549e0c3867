"""Running the collectors a scan needs, concurrently, in dependency order, across accounts and regions.

The loop is the same whatever runs the work: the task graph says what can start, the runner starts it, and each
finished task is merged into the inventory by this thread only. Tasks that call a service not offered in their region
(botocore's endpoint data, or AWS's documented regions where botocore lists none) are finished at once, empty
(nothing can exist there). Threads are not the budget: `max_workers` AWS
calls at most are in flight at once, across every account, region and process (see `budget`).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from datetime import datetime
from typing import Protocol

from mlaudit.collect.accounts.regions import not_offered, regions_unknown
from mlaudit.collect.accounts.session import AwsClients
from mlaudit.collect.accounts.targets import AccountTarget, UnreachableAccount
from mlaudit.collect.engine.collection import Collection
from mlaudit.collect.engine.graph import TaskGraph
from mlaudit.collect.engine.runner import Runner
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.collect.engine.tasks import CollectedPart, PartResult, Task, Work, plan_tasks
from mlaudit.core.interrupts import signal_of
from mlaudit.inventory import GLOBAL_REGION, Inventory, SkippedScope, SkipReason


class CollectionObserver(Protocol):
    """Told about progress, for the terminal display."""

    def planned(self, tasks: Sequence[Task]) -> None: ...

    def finished(self, task: Task, records: int, errors: int) -> None: ...


class _Silent:
    def planned(self, tasks: Sequence[Task]) -> None:
        pass

    def finished(self, task: Task, records: int, errors: int) -> None:
        pass


def collect(
    collectors: Sequence[PartCollector],
    targets: Sequence[AccountTarget],
    runner: Runner,
    *,
    since: datetime,
    created_at: datetime,
    unreachable: Sequence[UnreachableAccount] = (),
    observer: CollectionObserver | None = None,
    given: Sequence[CollectedPart] = (),
) -> Inventory:
    """Collect every part in `collectors` (already closed under dependencies) into a new inventory, on `runner`.
    `given`: parts already collected, which `collectors` read."""
    observer = observer or _Silent()
    collection = Collection(targets, unreachable, since, created_at, given)
    tasks = plan_tasks(collectors, targets)
    observer.planned(tasks)
    unoffered = _not_offered(tasks, collection)
    for task in unoffered:
        _finish(collection, observer, task, ([], [], []))
    offered = [task for task in tasks if task not in unoffered]
    graph = TaskGraph(runner.group(offered, targets), collection.regions_of, collection.finished_scopes)
    running: dict[Future[list[PartResult]], Work] = {}
    try:
        while graph.pending:
            running.update((runner.submit(work, collection), work) for work in graph.ready())
            if not running:
                raise AssertionError("collection tasks wait for each other")
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                for task, result in zip(running.pop(future), future.result(), strict=True):
                    _finish(collection, observer, task, result)
                    graph.finish(task)
    except KeyboardInterrupt as interrupt:  # Ctrl-C, or SIGTERM under `interruptible()`
        collection.close()
        runner.cancel()
        _interrupted(collection, graph.unfinished(), interrupt)
    for scope in [*unoffered.values(), *runner.skipped()]:
        collection.inventory.add_skipped(scope)
    return collection.inventory


def _finish(collection: Collection, observer: CollectionObserver, task: Task, result: PartResult) -> None:
    collection.finish(task, result)
    observer.finished(task, len(result[0]), len(result[1]))


def _interrupted(collection: Collection, unfinished: Sequence[Task], interrupt: KeyboardInterrupt) -> None:
    """Every part not collected reports ERROR, saying the scan was interrupted."""
    inventory = collection.inventory
    inventory.interrupted = signal_of(interrupt)
    for task in unfinished:
        if not collection.is_finished(task):
            message = f"the scan was interrupted ({inventory.interrupted.name}) before {task.collector.record.label} were collected"
            inventory.add(*task.key, [], [task.error("(interrupted)", "Interrupted", message)])


def _not_offered(tasks: Sequence[Task], collection: Collection) -> dict[Task, SkippedScope]:
    """The regional tasks that call a service botocore says is not offered in their region, or lists no region for
    at all (unless an endpoint URL sends every call to one place), each with its skip record. Each operation's own
    service decides: Bedrock agents are `bedrock-agent`, offered in fewer regions than `bedrock`."""
    verdicts: dict[tuple[str, str, str, str], SkipReason | None] = {}
    skipped = {}
    for task in tasks:
        if task.region == GLOBAL_REGION:
            continue
        account_id = task.account.account_id
        for service in sorted({operation.service for operation in task.collector.operations}):
            key = (account_id, service, task.region, task.account.partition)
            if key not in verdicts:
                verdicts[key] = _skip_reason(collection.clients_of[account_id], *key[1:])
            reason = verdicts[key]
            if reason is not None:
                skipped[task] = SkippedScope(account_id=account_id, region=task.region, service=service, reason=reason)
                break
    return skipped


def _skip_reason(clients: AwsClients, service: str, region: str, partition: str) -> SkipReason | None:
    if not_offered(clients.session, service, region, partition):
        return SkipReason.SERVICE_NOT_OFFERED
    if clients.endpoint_url is None and regions_unknown(clients.session, service):
        return SkipReason.REGIONS_UNKNOWN
    return None
