"""Which collection work can start: each work item waits for the tasks outside it whose parts its tasks read.

A finished task counts its dependents down, so readiness costs nothing per finished task beyond its own
dependents (an organization scan has many thousand tasks).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from mlaudit.collect.engine.tasks import ScopeKey, Task, Work, dependency_scopes


class TaskGraph:
    def __init__(
        self, works: Sequence[Work], regions_of: Mapping[str, Sequence[str]], finished: Iterable[ScopeKey] = ()
    ) -> None:
        """`finished`: scopes already collected (parts given as inputs, tasks that need no collection)."""
        done = set(finished)
        self._unfinished: dict[ScopeKey, Task] = {task.key: task for work in works for task in work}
        self._dependents: dict[ScopeKey, list[Work]] = defaultdict(list)
        self._waiting: dict[Work, int] = {}
        for work in works:
            if all(task.collector.streams for task in work):
                self._waiting[work] = 0  # it reads its inputs as they are collected
                continue
            inside = {task.key for task in work}
            outside = {
                key
                for task in work
                for record_type, key in dependency_scopes(task, regions_of[task.account.account_id])
                if key not in inside and key not in done
            }
            for key in outside:
                if key not in self._unfinished:
                    raise AssertionError(f"{work[0].collector.part} depends on {key[0]}, which is not planned")
                self._dependents[key].append(work)
            self._waiting[work] = len(outside)
        self._ready = [work for work, count in self._waiting.items() if count == 0]

    @property
    def pending(self) -> bool:
        """Whether any task is still to be finished."""
        return bool(self._unfinished)

    def ready(self) -> list[Work]:
        """The work that became ready since the last call (each item once), the queues likely longest first: the
        parts whose history is bounded (jobs: every run adds one, so they outnumber the rest of an ML estate), then
        the work of most operations (a part that describes, and tags, each resource it lists makes calls that
        multiply with the resources). At a scan's start some 60 lists go out at once; the training jobs' was among
        the last, and a region's training jobs are the queue a rate-limited scan waits for."""
        ready, self._ready = self._ready, []
        return sorted(ready, key=_likely_longest_first)

    def finish(self, task: Task) -> None:
        del self._unfinished[task.key]
        for work in self._dependents.pop(task.key, ()):
            self._waiting[work] -= 1
            if self._waiting[work] == 0:
                self._ready.append(work)

    def unfinished(self) -> list[Task]:
        return list(self._unfinished.values())


def _likely_longest_first(work: Work) -> tuple[bool, int]:
    return not any(task.collector.history for task in work), -sum(len(task.collector.operations) for task in work)
