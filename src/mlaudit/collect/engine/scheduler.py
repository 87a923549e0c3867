"""Running the collectors a scan needs, concurrently, in dependency order, across accounts and regions.

A task is one part in one account and region (or `global`). A task starts once the tasks it depends on have
finished; its records and errors are merged into the inventory by the coordinating thread only. Describe calls
fan out on a second pool so that a task waiting on its describes never starves another of a worker. Threads are
not the budget: `max_workers` AWS calls at most are in flight at once, across both pools, every account and region.
With worker processes (`processes`), tasks are sent to them in units instead, and their results finish the same
tasks here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from mlaudit.collect.accounts.assume import AssumedRole
from mlaudit.collect.accounts.regions import not_offered
from mlaudit.collect.accounts.session import AwsClients
from mlaudit.collect.engine.budget import CallBudget
from mlaudit.collect.engine.context import CollectContext, internal_error
from mlaudit.collect.engine.failures import CallFailed
from mlaudit.collect.engine.once import Once
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.collect.engine.unresolved import UnresolvedEndpoints
from mlaudit.core.interrupts import signal_of
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
    from mlaudit.collect.engine.processes import PlannedUnit, WorkerProcesses

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


ScopeKey = tuple[str, str, str]
"""(part, account id, region or `global`): one task's scope."""


@dataclass(frozen=True)
class CollectedPart:
    """A part already collected in one scope, handed to a collection as an input (a worker process's unit reads
    the parts the main process collected)."""

    part: str
    account_id: str
    region: str
    records: list[Record]
    errors: list[CollectionError]

    @property
    def key(self) -> ScopeKey:
        return (self.part, self.account_id, self.region)


def dependency_scopes(task: Task, regions: Sequence[str]) -> list[tuple[type[Record], ScopeKey]]:
    """Every scope of every part the task reads: its own region's, or every region's for an account-wide task."""
    scopes = []
    for record_type in task.collector.dependencies:
        if record_type.scope is PartScope.GLOBAL:
            dep_regions: Iterable[str] = [GLOBAL_REGION]
        elif task.region == GLOBAL_REGION:
            dep_regions = regions
        else:
            dep_regions = [task.region]
        scopes.extend((record_type, (record_type.part, task.account.account_id, region)) for region in dep_regions)
    return scopes


def _dependencies(task: Task, by_key: dict[ScopeKey, Task], given: set[ScopeKey], regions: Sequence[str]) -> set[Task]:
    deps = set()
    for record_type, key in dependency_scopes(task, regions):
        if key in given:
            continue
        dep = by_key.get(key)
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
    processes: WorkerProcesses | None = None,
    given: Sequence[CollectedPart] = (),
) -> Inventory:
    """Collect every part in `collectors` (already closed under dependencies) into a new inventory.

    All accounts share one pool of `max_workers`, so a scan of many accounts stays within the same budget; within
    it, each (account, region, service) has at most `max_calls_per_service` calls in flight (see `budget`).
    `workers`: threads to run on instead of the collection's own. `processes`: worker processes that collect the
    parts, unit by unit (see `processes`). `given`: parts already collected, which `collectors` read.
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
    errors_of: dict[ScopeKey, list[CollectionError]] = {}
    """Each finished (or given) scope's errors."""
    for part in given:
        inventory.add(*part.key, part.records, part.errors)
        errors_of[part.key] = part.errors
    tasks = plan_tasks(collectors, targets)
    units = processes.units(tasks, targets) if processes else []
    remote = {task for unit in units for task in unit.tasks}
    unoffered = _not_offered([t for t in tasks if t not in remote], clients_of)
    by_key = {t.key: t for t in tasks}
    dependencies_of = {t: _dependencies(t, by_key, set(errors_of), regions_of[t.account.account_id]) for t in tasks}
    dependents: dict[Task, list[Task]] = defaultdict(list)
    for task, dependencies in dependencies_of.items():
        for dependency in dependencies:
            dependents[dependency].append(task)
    # How many dependencies each task (and each unit, of the parts outside it) still waits for: a finished task
    # counts its dependents down, so readiness costs nothing per finished task beyond its own dependents (an
    # organisation scan has many thousand tasks). A task of a unit is never started here: a worker collects it.
    unfinished = {t: len(deps) for t, deps in dependencies_of.items()}
    ready = [t for t, count in unfinished.items() if count == 0 and t not in remote]
    units_waiting_for: dict[Task, list[PlannedUnit]] = defaultdict(list)
    for unit in units:
        for dependency in unit.waits_for:
            units_waiting_for[dependency].append(unit)
    unit_inputs_missing = {unit.unit.index: len(unit.waits_for) for unit in units}
    ready_units = [unit for unit in units if not unit.waits_for]
    observer.planned(tasks)

    own_workers = workers is None
    workers = workers or CollectionWorkers(max_workers, max_calls_per_service, processes.slots if processes else None)

    def finish(task: Task, records: list[Record], errors: list[CollectionError], anomalies: list[ApiAnomaly]) -> None:
        inventory.add(task.collector.part, task.account.account_id, task.region, records, errors)
        inventory.add_anomalies(anomalies)
        errors_of[task.key] = errors
        observer.finished(task, len(records), len(errors))
        for dependent in dependents[task]:
            unfinished[dependent] -= 1
            if unfinished[dependent] == 0 and dependent not in remote:
                ready.append(dependent)
        for unit in units_waiting_for[task]:
            unit_inputs_missing[unit.unit.index] -= 1
            if unit_inputs_missing[unit.unit.index] == 0:
                ready_units.append(unit)

    def inputs(unit: PlannedUnit) -> list[CollectedPart]:
        """The parts outside a unit that its parts read, as collected here."""
        return [
            CollectedPart(
                *d.key, inventory.records(d.collector.record, d.account.account_id, d.region), errors_of[d.key]
            )
            for d in unit.waits_for
        ]

    def start(task: Task) -> Future[list[PartResult]]:
        ctx = CollectContext(
            task.collector,
            task.account,
            task.region,
            clients_of[task.account.account_id],
            inventory,
            workers.describes,
            since,
            input_errors=_incompleteness(task, regions_of[task.account.account_id], errors_of),
            budget=workers.budget,
            unresolved=workers.unresolved,
            shared=workers.shared,
        )
        return workers.parts.submit(lambda: [_run(ctx)])

    running: dict[Future[list[PartResult]], Sequence[Task]] = {}
    try:
        while ready or ready_units or running:
            if processes:
                sending, ready_units[:] = list(ready_units), []
                running.update((processes.submit(unit, inputs(unit)), unit.tasks) for unit in sending)
            starting, ready[:] = list(ready), []
            for task in starting:
                if task in unoffered:
                    finish(task, [], [], [])  # nothing can exist there: collected, and empty
                else:
                    running[start(task)] = [task]
            if not running:
                continue
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                for task, result in zip(running.pop(future), future.result(), strict=True):
                    finish(task, *result)
    except KeyboardInterrupt as interrupt:  # Ctrl-C, or SIGTERM under `interruptible()`
        inventory.interrupted = signal_of(interrupt)
        if processes:
            processes.stop()
        if own_workers:
            workers.cancel()
        for task in tasks:
            if task.key not in errors_of:
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
                account_id=task.account.account_id,
                region=task.region,
                service=task.service,
                reason=SkipReason.SERVICE_NOT_OFFERED,
            )
    return skipped


def _incompleteness(
    task: Task, regions: Sequence[str], errors_of: dict[ScopeKey, list[CollectionError]]
) -> list[CollectionError]:
    """A part collected from incomplete inputs is itself incomplete: one error saying which input and why."""
    for record_type, key in sorted(dependency_scopes(task, regions), key=lambda scope: scope[1]):
        if record_type is task.collector.aspect_of or not errors_of.get(key):
            continue
        message = (
            f"{task.collector.record.label} may be incomplete because {record_type.label} "
            f"could not all be collected ({errors_of[key][0].describe()})"
        )
        return [task.error("(dependency)", "DependencyIncomplete", message)]
    return []


def _run(ctx: CollectContext) -> PartResult:
    """One task: whatever was collected before a failure is kept, and the failure is recorded."""
    records: list[Record] = []
    failure: CollectionError | None = None
    try:
        records.extend(ctx.collector.collect(ctx))
    except CallFailed as failed:
        failure = failed.error
    except Exception as exc:  # noqa: BLE001 - an unexpected response shape must not abort the scan
        failure = internal_error(ctx, exc)
    errors = ctx.input_errors + ctx.errors + ([failure] if failure else [])
    return records, errors, ctx.anomalies
