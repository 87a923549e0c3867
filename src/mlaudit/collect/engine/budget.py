"""How many AWS calls a scan has in flight: the scan's budget (`--max-workers`) and, within it, an adaptive limit
per (account, region, service) scope, so that one throttled API does not stall the rest.

A call takes its scope's slot before a global one, so a call waiting for its scope never holds a global slot, and
a throttled call gives its global slot back while botocore backs off (it takes one again before it is resent).
A scope's limit starts at its ceiling (the whole budget unless told otherwise: an unthrottled scan is not slowed),
halves when a call of that scope is throttled and grows back by one for every `limit` calls that succeed without a
throttle (additive increase, multiplicative decrease, as TCP does). Per-resource describes are admitted to the
describe pool within the same limit, so that a throttled scope's backlog does not occupy every describe thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from mlaudit.collect.accounts.calls import THROTTLING_CODES

Scope = tuple[str, str, str]
"""(account id, region, service): one client's calls."""


class ScopeLimit:
    """Calls in flight, and describes admitted, in one scope: at most `limit` of each, between 1 and `ceiling`."""

    def __init__(self, ceiling: int) -> None:
        self.ceiling = ceiling
        self.limit = float(ceiling)
        self.in_flight = self.admitted = 0
        self.epoch = 0
        """Counts the decreases: a throttle of a call sent before the last decrease does not decrease again."""
        lock = threading.Lock()
        self._slot_freed = threading.Condition(lock)
        self._admission_freed = threading.Condition(lock)
        """One waiter is woken per freed place (waking every waiter costs the scan's one core more than the calls)."""

    @property
    def slots(self) -> int:
        return max(1, int(self.limit))

    def acquire(self) -> int:
        """Wait for a slot; returns the epoch the call is sent in."""
        with self._slot_freed:
            while self.in_flight >= self.slots:
                self._slot_freed.wait()
            self.in_flight += 1
            return self.epoch

    def release(self, throttled: bool) -> None:
        with self._slot_freed:
            self.in_flight -= 1
            slots = self.slots
            if not throttled:
                self.limit = min(float(self.ceiling), self.limit + 1 / self.limit)
            grown = self.slots - slots
            self._slot_freed.notify(1 + grown)
            if grown:
                self._admission_freed.notify(grown)

    def throttled(self, epoch: int) -> None:
        """A call sent in `epoch` was throttled: halve the limit, once for all the calls sent under the old one."""
        with self._slot_freed:
            if epoch == self.epoch:
                self.limit = max(1.0, self.limit / 2)
                self.epoch += 1

    def admit(self) -> None:
        """Wait until the scope has fewer than `limit` describes queued or running."""
        with self._admission_freed:
            while self.admitted >= self.slots:
                self._admission_freed.wait()
            self.admitted += 1

    def dismiss(self) -> None:
        with self._admission_freed:
            self.admitted -= 1
            self._admission_freed.notify()


@dataclass
class _Call:
    """The call a thread is making: its scope, the epoch it was sent in, and whether it holds a global slot."""

    scope: ScopeLimit
    epoch: int
    holds_global: bool = False
    throttled: bool = False


class CallBudget:
    """The scan's global budget of calls in flight and the limit of each scope within it."""

    def __init__(self, max_workers: int, per_scope: int | None = None, global_slots: Any = None) -> None:
        """`global_slots`: a semaphore of `max_workers` shared with other processes (see `processes`), instead
        of this process's own."""
        self.ceiling = min(per_scope or max_workers, max_workers)
        self._global = global_slots if global_slots is not None else threading.BoundedSemaphore(max_workers)
        self._scopes: dict[Scope, ScopeLimit] = {}
        self._of_client: dict[int, tuple[Any, ScopeLimit]] = {}
        """Each client's scope, by id (the client is kept, so that its id is not reused)."""
        self._lock = threading.Lock()
        self._current = threading.local()

    def limit(self, scope: Scope) -> ScopeLimit:
        with self._lock:
            if scope not in self._scopes:
                self._scopes[scope] = ScopeLimit(self.ceiling)
            return self._scopes[scope]

    @contextmanager
    def slot(self, client: Any, account_id: str) -> Iterator[None]:
        """Hold a slot of the client's scope, then a global one, for one call (or one page) and its retries."""
        known = self._of_client.get(id(client))
        scope = known[1] if known else self._watch(client, account_id)
        call = _Call(scope, scope.acquire())
        try:
            self._global.acquire()
            call.holds_global = True
            self._current.call = call
            yield
        finally:
            self._current.call = None
            if call.holds_global:
                self._global.release()
            scope.release(call.throttled)

    def _watch(self, client: Any, account_id: str) -> ScopeLimit:
        """A client's scope, registering the hooks that see its throttles and retries (once per client)."""
        scope = self.limit((account_id, client.meta.region_name, client.meta.service_model.service_name))
        with self._lock:
            if id(client) not in self._of_client:
                client.meta.events.register("needs-retry.*.*", self._on_attempt)
                client.meta.events.register("request-created.*.*", self._on_resend)
                self._of_client[id(client)] = (client, scope)
        return scope

    def _on_attempt(self, response: Any = None, **_: Any) -> None:
        """botocore judged an attempt: a throttle shrinks the scope and frees the global slot during the backoff."""
        call: _Call | None = getattr(self._current, "call", None)
        if call is None or not response:
            return
        code = ((response[1] or {}).get("Error") or {}).get("Code")
        if code in THROTTLING_CODES:
            call.throttled = True
            call.scope.throttled(call.epoch)
            if call.holds_global:
                self._global.release()
                call.holds_global = False
        return

    def _on_resend(self, **_: Any) -> None:
        """A retry is about to be sent: it needs a global slot again."""
        call: _Call | None = getattr(self._current, "call", None)
        if call is not None and not call.holds_global:
            self._global.acquire()
            call.holds_global = True
