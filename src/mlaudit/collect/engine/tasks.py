"""The units of collection: a task is one part in one account and region (or `global`), and what it yields.

A task reads the parts its collector depends on in the same account: in its own region, or in every region of
the account for an account-wide task (IAM roles follow references from every region's records).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mlaudit.collect.accounts.targets import AccountTarget
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import GLOBAL_REGION, AccountInfo, ApiAnomaly, CollectionError, PartScope, Record

ScopeKey = tuple[str, str, str]
"""(part, account id, region or `global`): one task's scope."""

PartResult = tuple[list[Record], list[CollectionError], list[ApiAnomaly]]
"""What one task collected, why it is incomplete, and the answers that did not match the service model."""


@dataclass(frozen=True)
class Task:
    collector: PartCollector
    account: AccountInfo
    region: str

    @property
    def key(self) -> ScopeKey:
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


Work = tuple[Task, ...]
"""Tasks collected together, in dependency order: one task on a thread, or a worker process's unit."""


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


def plan_tasks(collectors: Sequence[PartCollector], targets: Sequence[AccountTarget]) -> list[Task]:
    """Every part in every scope it is collected in: once per account for account-wide parts, else per region."""
    tasks: list[Task] = []
    for target in targets:
        for collector in collectors:
            scopes = [GLOBAL_REGION] if collector.record.scope is PartScope.GLOBAL else list(target.regions)
            tasks.extend(Task(collector, target.account, region) for region in scopes)
    return tasks


def dependency_scopes(task: Task, regions: Sequence[str]) -> list[tuple[type[Record], ScopeKey]]:
    """Every scope of every part the task reads: its own region's, or every region's for an account-wide task."""
    scopes: list[tuple[type[Record], ScopeKey]] = []
    for record_type in task.collector.dependencies:
        if record_type.scope is PartScope.GLOBAL:
            dep_regions: Iterable[str] = [GLOBAL_REGION]
        elif task.region == GLOBAL_REGION:
            dep_regions = regions
        else:
            dep_regions = [task.region]
        scopes.extend((record_type, (record_type.part, task.account.account_id, region)) for region in dep_regions)
    return scopes
