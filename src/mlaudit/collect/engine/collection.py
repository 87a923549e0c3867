"""One collection in progress: the inventory being filled, and what each finished scope reported.

Results are merged here by the coordinating thread only; runners read it to give a task its inputs (the records
of the parts it reads, and why they are incomplete).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime

from mlaudit.collect.accounts.session import AwsClients
from mlaudit.collect.accounts.targets import AccountTarget, UnreachableAccount
from mlaudit.collect.engine.tasks import CollectedPart, PartResult, ScopeKey, Task, dependency_scopes
from mlaudit.inventory import CollectionError, Inventory, Record


class Collection:
    def __init__(
        self,
        targets: Sequence[AccountTarget],
        unreachable: Sequence[UnreachableAccount],
        since: datetime,
        created_at: datetime,
        given: Sequence[CollectedPart] = (),
    ) -> None:
        regions = list(dict.fromkeys(region for target in targets for region in target.regions))
        account_regions = {t.account.account_id: list(t.regions) for t in targets if list(t.regions) != regions}
        accounts = sorted(
            [*(t.account for t in targets), *(u.account for u in unreachable)], key=lambda a: a.account_id
        )
        self.inventory = Inventory(accounts, regions, since, created_at, account_regions)
        self.since = since
        self.clients_of: dict[str, AwsClients] = {t.account.account_id: t.clients for t in targets}
        self.regions_of: dict[str, tuple[str, ...]] = {t.account.account_id: t.regions for t in targets}
        self._errors_of: dict[ScopeKey, list[CollectionError]] = {}
        """Each finished (or given) scope's errors."""
        self._changed = threading.Condition()
        """Notified when a scope is finished, for the tasks that read their inputs as they are collected."""
        self._closed = False
        for account in unreachable:
            self.inventory.add_unreachable(account.error)
        for target in targets:
            for scope in target.skipped:
                self.inventory.add_skipped(scope)
        for part in given:
            self.inventory.add(*part.key, part.records, part.errors)
            self._errors_of[part.key] = part.errors

    @property
    def finished_scopes(self) -> set[ScopeKey]:
        return set(self._errors_of)

    def finish(self, task: Task, result: PartResult) -> None:
        records, errors, anomalies = result
        with self._changed:
            self.inventory.add(*task.key, records, errors)
            self.inventory.add_anomalies(anomalies)
            self._errors_of[task.key] = errors
            self._changed.notify_all()

    def wait_for(self, keys: set[ScopeKey], seen: set[ScopeKey]) -> list[ScopeKey]:
        """The scopes of `keys` finished since `seen`, waiting for at least one while any is left (empty: all seen)."""
        with self._changed:
            while True:
                fresh = sorted(key for key in keys - seen if key in self._errors_of)
                if fresh or not keys - seen or self._closed:
                    return fresh
                self._changed.wait()

    def close(self) -> None:
        """No scope will be finished any more (an interrupted scan): a task waiting for its inputs stops waiting."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def is_finished(self, task: Task) -> bool:
        return task.key in self._errors_of

    def reads(self, task: Task) -> list[tuple[type[Record], ScopeKey]]:
        """The scopes of the parts a task reads."""
        return dependency_scopes(task, self.regions_of[task.account.account_id])

    def collected(self, scopes: Sequence[tuple[type[Record], ScopeKey]]) -> list[CollectedPart]:
        """Finished scopes as they were collected, to hand to a collection elsewhere (a worker process)."""
        return [
            CollectedPart(*key, self.inventory.records(record_type, key[1], key[2]), self._errors_of[key])
            for record_type, key in scopes
        ]

    def incompleteness(self, task: Task) -> list[CollectionError]:
        """A part collected from incomplete inputs is itself incomplete: one error saying which input and why."""
        regions = self.regions_of[task.account.account_id]
        for record_type, key in sorted(dependency_scopes(task, regions), key=lambda scope: scope[1]):
            if record_type is task.collector.aspect_of or not self._errors_of.get(key):
                continue
            message = (
                f"{task.collector.record.label} may be incomplete because {record_type.label} "
                f"could not all be collected ({self._errors_of[key][0].describe()})"
            )
            return [task.error("(dependency)", "DependencyIncomplete", message)]
        return []
