"""Running the collectors a scan needs, concurrently, in dependency order, across accounts and regions.

A task is one part in one account and region (or `global`). A task starts once the tasks it depends on have
finished; its records and errors are merged into the inventory by the coordinating thread only. Describe calls
fan out on a second pool so that a task waiting on its describes never starves another of a worker. Threads are
not the budget: `max_workers` AWS calls at most are in flight at once, across both pools, every account and region.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterable, Protocol, Sequence

from mlaudit.collect.assume import AssumedRole
from mlaudit.collect.budget import CallBudget
from mlaudit.collect.context import CollectContext, internal_error
from mlaudit.collect.failures import CallFailed
from mlaudit.collect.once import Once
from mlaudit.collect.regions import not_offered
from mlaudit.collect.session import AwsClients
from mlaudit.collect.spec import PartCollector
from mlaudit.collect.unresolved import UnresolvedEndpoints
from mlaudit.interrupts import signal_of
from mlaudit.inventory import (
    GLOBAL_REGION,
    AccountInfo,
    ApiAnomaly,
    CollectionError,
    Inventory,
    PartScope,
    Record,
    SkippedScope,
    SkipReason,
)

if TYPE_CHECKING:
    from mlaudit.collect.processes import RegionalProcesses

PartResult = tuple[list[Record], list[CollectionError], list[ApiAnomaly]]
"""What one task collected, why it is incomplete, and the answers that did not match the service model."""


@dataclass(frozen=True)
class Task:
    collector: PartCollector
    account: AccountInfo
    region: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.collector.part, self.account.account_id, self.region)

    @property
    def service(self) -> str:
        return self.collector.record.service

    def error(self, operation: str, code: str, message: str) -> CollectionError:
        """Why the whole part is missing or incomplete in this task's scope (no AWS call said so)."""
        return CollectionError(
            part=self.collector.part,
            service=self.service,
            operation=operation,
            account_id=self.account.account_id,
            region=self.region,
            error_code=code,
            message=message,
        )


@dataclass(frozen=True)
class AccountTarget:
    """One account to collect, with the clients that reach it, its regions, and the requested regions skipped."""

    account: AccountInfo
    clients: AwsClients
    regions: tuple[str, ...]
    skipped: tuple[SkippedScope, ...] = ()
    role: AssumedRole | None = None
    """The role assumed to reach the account (None: the base credentials' own account)."""


@dataclass(frozen=True)
class UnreachableAccount:
    """An account that could not be reached (its role could not be assumed): reported, never collected."""

    account: AccountInfo
    error: CollectionError


class CollectionObserver(Protocol):
    """Told about progress, for the terminal display."""

    def planned(self, tasks: Sequence[Task]) -> None: ...

    def finished(self, task: Task, records: int, errors: int) -> None: ...


class _Silent:
    def planned(self, tasks: Sequence[Task]) -> None:
        pass

    def finished(self, task: Task, records: int, errors: int) -> None:
        pass


def plan_tasks(collectors: Sequence[PartCollector], targets: Sequence[AccountTarget]) -> list[Task]:
    tasks = []
    for target in targets:
        for collector in collectors:
            scopes = [GLOBAL_REGION] if collector.record.scope is PartScope.GLOBAL else list(target.regions)
            tasks.extend(Task(collector, target.account, region) for region in scopes)
    return tasks


def _dependencies(task: Task, by_key: dict[tuple[str, str, str], Task], regions: Sequence[str]) -> set[Task]:
    deps = set()
    for record_type in task.collector.dependencies:
        if record_type.scope is PartScope.GLOBAL:
            dep_regions: Iterable[str] = [GLOBAL_REGION]
        elif task.region == GLOBAL_REGION:
            dep_regions = regions
        else:
            dep_regions = [task.region]
        for region in dep_regions:
            dep = by_key.get((record_type.part, task.account.account_id, region))
            if dep is None:
                raise AssertionError(f"{task.collector.part} depends on {record_type.part}, which is not planned")
            deps.add(dep)
    return deps


class CollectionWorkers:
    """The threads and shared state that run collection tasks: a pool for parts, a pool for their per-resource
    describes (so that a part waiting on its describes never starves another of a worker), the budget of calls in
    flight, the answers several parts share, and the endpoints found not to resolve. One per collection, or one
    for a worker process's whole life (see `processes`)."""

    def __init__(self, max_workers: int, max_calls_per_service: int | None = None, global_slots: Any = None) -> None:
        self.parts = ThreadPoolExecutor(max_workers, thread_name_prefix="mlaudit-part")
        self.describes = ThreadPoolExecutor(max_workers, thread_name_prefix="mlaudit-describe")
        self.budget = CallBudget(max_workers, max_calls_per_service, global_slots)
        self.shared: Once[tuple[str, str, str], Any] = Once()
        self.unresolved = UnresolvedEndpoints()

    def cancel(self) -> None:
        """An interrupted scan: nothing more starts; parts already running finish their current call."""
        for pool in (self.parts, self.describes):
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        for pool in (self.parts, self.describes):
            pool.shutdown(wait=True)


def collect(
    collectors: Sequence[PartCollector],
    targets: Sequence[AccountTarget],
    *,
    since: datetime,
    created_at: datetime,
    unreachable: Sequence[UnreachableAccount] = (),
    max_workers: int = 16,
    max_calls_per_service: int | None = None,
    observer: CollectionObserver | None = None,
    workers: CollectionWorkers | None = None,
    processes: RegionalProcesses | None = None,
) -> Inventory:
    """Collect every part in `collectors` (already closed under dependencies) into a new inventory.

    All accounts share one pool of `max_workers`, so a scan of many accounts stays within the same budget; within
    it, each (account, region, service) has at most `max_calls_per_service` calls in flight (see `budget`).
    `workers`: threads to run on instead of the collection's own. `processes`: worker processes that collect the
    regional parts, unit by unit (see `processes`); the account-wide parts are collected here.
    """
    observer = observer or _Silent()
    regions = list(dict.fromkeys(region for target in targets for region in target.regions))
    account_regions = {t.account.account_id: list(t.regions) for t in targets if list(t.regions) != regions}
    accounts = sorted([*(t.account for t in targets), *(u.account for u in unreachable)], key=lambda a: a.account_id)
    inventory = Inventory(accounts, regions, since, created_at, account_regions)
    for account in unreachable:
        inventory.add_unreachable(account.error)
    clients_of = {t.account.account_id: t.clients for t in targets}
    regions_of = {t.account.account_id: t.regions for t in targets}
    for target in targets:
        for scope in target.skipped:
            inventory.add_skipped(scope)
    tasks = plan_tasks(collectors, targets)
    units = processes.units(tasks, targets) if processes else []
    remote = {task for unit in units for task in unit.tasks}
    unoffered = _not_offered([t for t in tasks if t not in remote], clients_of)
    by_key = {t.key: t for t in tasks}
    dependencies_of = {t: _dependencies(t, by_key, regions_of[t.account.account_id]) for t in tasks}
    dependents: dict[Task, list[Task]] = defaultdict(list)
    for task, dependencies in dependencies_of.items():
        for dependency in dependencies:
            dependents[dependency].append(task)
    # How many dependencies each task still waits for: a finished task counts its dependents down, so readiness
    # costs nothing per finished task beyond its own dependents (an organisation scan has many thousand tasks).
    # A task of a unit sent to a worker process is never started here: its unit collects it.
    unfinished = {t: len(deps) for t, deps in dependencies_of.items()}
    ready = [t for t, count in unfinished.items() if count == 0 and t not in remote]
    observer.planned(tasks)

    errors_of: dict[Task, list[CollectionError]] = {}
    own_workers = workers is None
    workers = workers or CollectionWorkers(max_workers, max_calls_per_service, processes.slots if processes else None)

    def finish(task: Task, records: list[Record], errors: list[CollectionError], anomalies: list[ApiAnomaly]) -> None:
        inventory.add(task.collector.part, task.account.account_id, task.region, records, errors)
        inventory.add_anomalies(anomalies)
        errors_of[task] = errors
        observer.finished(task, len(records), len(errors))
        for dependent in dependents[task]:
            unfinished[dependent] -= 1
            if unfinished[dependent] == 0 and dependent not in remote:
                ready.append(dependent)

    def start(task: Task, dependencies: set[Task]) -> Future[list[PartResult]]:
        ctx = CollectContext(
            task.collector,
            task.account,
            task.region,
            clients_of[task.account.account_id],
            inventory,
            workers.describes,
            since,
            input_errors=_incompleteness(task, dependencies, errors_of),
            budget=workers.budget,
            unresolved=workers.unresolved,
            shared=workers.shared,
        )
        return workers.parts.submit(lambda: [_run(ctx)])

    running: dict[Future[list[PartResult]], Sequence[Task]] = {}
    if processes:
        running.update((processes.submit(unit), unit.tasks) for unit in units)
    try:
        while ready or running:
            starting, ready[:] = list(ready), []
            for task in starting:
                if task in unoffered:
                    finish(task, [], [], [])  # nothing can exist there: collected, and empty
                else:
                    running[start(task, dependencies_of[task])] = [task]
            if not running:
                continue
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                for task, result in zip(running.pop(future), future.result()):
                    finish(task, *result)
    except KeyboardInterrupt as interrupt:  # Ctrl-C, or SIGTERM under `interruptible()`
        inventory.interrupted = signal_of(interrupt)
        if processes:
            processes.stop()
        if own_workers:
            workers.cancel()
        for task in tasks:
            if task not in errors_of:
                label = task.collector.record.label
                message = f"the scan was interrupted ({inventory.interrupted.name}) before {label} were collected"
                inventory.add(*task.key, [], [task.error("(interrupted)", "Interrupted", message)])
    finally:
        if own_workers:
            workers.close()
    skipped = [*unoffered.values(), *workers.unresolved.skipped, *(processes.skipped if processes else ())]
    for scope in skipped:
        inventory.add_skipped(scope)
    return inventory


def _not_offered(tasks: Sequence[Task], clients_of: dict[str, AwsClients]) -> dict[Task, SkippedScope]:
    """The regional tasks whose service botocore says is not offered in their region, each with its skip record."""
    verdicts: dict[tuple[str, str, str], bool] = {}
    skipped = {}
    for task in tasks:
        if task.region == GLOBAL_REGION:
            continue
        key = (task.service, task.region, task.account.partition)
        if key not in verdicts:
            verdicts[key] = not_offered(clients_of[task.account.account_id].session, *key)
        if verdicts[key]:
            skipped[task] = SkippedScope(
                account_id=task.account.account_id, region=task.region, service=task.service, reason=SkipReason.SERVICE_NOT_OFFERED
            )
    return skipped


def _incompleteness(task: Task, dependencies: set[Task], errors_of: dict[Task, list[CollectionError]]) -> list[CollectionError]:
    """A part collected from incomplete inputs is itself incomplete: one error saying which input and why."""
    for dependency in sorted(dependencies, key=lambda t: t.key):
        if dependency.collector.record is task.collector.aspect_of or not errors_of[dependency]:
            continue
        cause = errors_of[dependency][0]
        message = (
            f"{task.collector.record.label} may be incomplete because {dependency.collector.record.label} "
            f"could not all be collected ({cause.describe()})"
        )
        return [task.error("(dependency)", "DependencyIncomplete", message)]
    return []


def _run(ctx: CollectContext) -> PartResult:
    """One task: whatever was collected before a failure is kept, and the failure is recorded."""
    records: list[Record] = []
    failure: CollectionError | None = None
    try:
        for record in ctx.collector.collect(ctx):
            records.append(record)
    except CallFailed as failed:
        failure = failed.error
    except Exception as exc:  # noqa: BLE001 - an unexpected response shape must not abort the scan
        failure = internal_error(ctx, exc)
    errors = ctx.input_errors + ctx.errors + ([failure] if failure else [])
    return records, errors, ctx.anomalies
