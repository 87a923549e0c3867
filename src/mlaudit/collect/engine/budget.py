"""How many AWS calls a scan has in flight: the scan's budget (`--max-workers`), within it an optional cap per
(account, region, service) (`--max-calls-per-service`), and within that an adaptive limit per (account, region,
operation) scope: AWS throttles each API operation of an account and region on its own, so one throttled operation
must not slow the others (ListTrainingJobs at its limit leaves DescribeEndpoint alone).

A call takes its operation's slot, then its service's (when capped), then a global one, so a call waiting for its
operation never holds a global slot. A throttled call gives its slots back and is resent at its turn at the
operation's rate, which replaces botocore's random backoff. Until a throttle an operation is not held back (an
unthrottled scan is not slowed); a throttle sets its send rate just under the rate its calls got through at, and
successes raise it again a little at a time (`ScopeLimit`). Per-resource describes are admitted to the describe
pool within the limit of the operation they call, so that a throttled operation's backlog does not occupy every
describe thread.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from mlaudit.collect.accounts.calls import THROTTLING_CODES

STANDARD_MAX_ATTEMPTS = 3
"""botocore's attempts in its standard retry mode when the client's configuration names none."""
THROTTLE_ATTEMPTS_FACTOR = 2
"""A call throttled at its turn may be sent this many times botocore's attempts: a throttled attempt costs AWS
nothing and waits only for its operation's rate, and at a low rate a call can be throttled at several turns in a row
(one in 9,910 calls at 2 a second, five times running), which would turn its resource into ERROR findings."""

Scope = tuple[str, str, str]
"""(account id, region, operation): the calls AWS throttles together."""
DOCUMENTED_RATES: dict[str, float] = {"LookupEvents": 2.0}
"""Operations (by name) whose quota AWS documents as a fixed rate per account and region, in calls a second: they
are paced at it from the first call, never faster, instead of learning it from throttles (CloudTrail's LookupEvents:
2 a second)."""


def _error_code(response: Any) -> str | None:
    """The error code of an attempt's parsed answer (botocore's `(http, parsed)` pair), if it has one."""
    return ((response[1] or {}).get("Error") or {}).get("Code") if response else None


class ScopeLimit:
    """The calls of one operation in one account and region: how many may be in flight (and be queued for the
    describe pool), and, once AWS has throttled them, how fast they may be sent.

    Until a throttle, nothing is held back: up to `ceiling` calls go at once. A throttle sets a send rate just under
    the rate calls got through at (AWS's token bucket refills at its rate, so what got through is the rate to keep
    to), once for all the calls sent under the old rate; each success then raises the rate by `GROWTH`, so the
    limit is probed again, by the same share of the rate whatever it is. A throttle means the bucket is empty, so the
    successes between two throttles at least `MIN_SPAN` apart measure its rate exactly (while calls are sent faster
    than it refills); before a second throttle, the successes of the last `WINDOW` seconds are the measure. The
    calls in flight are then as many as that rate needs at the latency measured, so that a throttled operation's
    backlog holds only the threads it can use.
    """

    WINDOW = 1.0
    MIN_SPAN = 0.5
    """Seconds between two throttles for the successes between them to measure the rate."""
    BETA = 0.95
    """The share of the measured rate kept after a throttle."""
    GROWTH = 0.05
    """The share of its rate the rate grows by for every second of successes at it (each success adds GROWTH
    calls a second). Grown by a quarter of a call a second each second whatever the rate, a rate measured low in
    a scan's first busy second (8 a second for a bucket of 10) took the rest of a 10 s queue to grow back, while
    at 2 a second growing by twice that overshot into a throttle every few seconds."""
    MIN_RATE = 0.5

    def __init__(self, ceiling: int, documented_rate: float | None = None) -> None:
        self.ceiling = ceiling
        self.rate: float | None = documented_rate
        """Calls a second (None: never throttled, not paced)."""
        self.max_rate = documented_rate or math.inf
        """The rate AWS documents for the operation, which successes never raise the rate above."""
        self.in_flight = self.admitted = 0
        self.epoch = 0
        """Counts the decreases: a throttle of a call sent before the last decrease does not decrease again."""
        self._latency = 0.0
        """The mean seconds of a call (moving average)."""
        self._next_send = 0.0
        self._successes: deque[float] = deque()
        self._throttled_at: float | None = None
        """When the rate was last set by a throttle, and how many calls succeeded since."""
        self._since_throttle = 0
        self.backing_off = 0
        """Throttled calls waiting to be resent (they hold a describe thread, not a slot)."""
        lock = threading.Lock()
        self._slot_freed = threading.Condition(lock)
        self._admission_freed = threading.Condition(lock)
        """One waiter is woken per freed place (waking every waiter costs the scan's one core more than the calls)."""

    @property
    def slots(self) -> int:
        if self.rate is None:
            return self.ceiling
        return max(1, min(self.ceiling, math.ceil(self.rate * self._latency * 2) + 1))

    def acquire(self, resend: bool = False) -> int:
        """Wait for a slot; returns the epoch the call is sent in. `resend`: a throttled call sent again."""
        with self._slot_freed:
            if resend:
                self.backing_off -= 1
            while self.in_flight >= self.slots:
                self._slot_freed.wait()
            self.in_flight += 1
            return self.epoch

    def pace(self) -> None:
        """Wait for the call's turn at the operation's send rate (at once when it has none)."""
        with self._slot_freed:
            if self.rate is None:
                return
            now = time.monotonic()
            send_at = max(now, self._next_send)
            self._next_send = send_at + 1 / self.rate
        if send_at > now:
            time.sleep(send_at - now)

    def release(self, throttled: bool, seconds: float = 0.0, sent: bool = True) -> None:
        """A call is done: throttled (it waits to be resent), answered in `seconds`, or over without a request
        (`sent` False: a paginator's end, which measures nothing)."""
        with self._slot_freed:
            self.in_flight -= 1
            slots = self.slots
            if throttled:
                self.backing_off += 1
                self._admission_freed.notify()
            elif sent:
                now = time.monotonic()
                self._successes.append(now)
                self._since_throttle += 1
                self._latency = seconds if not self._latency else 0.9 * self._latency + 0.1 * seconds
                if self.rate is not None:
                    self.rate = min(self.max_rate, self.rate + self.GROWTH)
            grown = max(0, self.slots - slots)
            self._slot_freed.notify(1 + grown)
            if grown:
                self._admission_freed.notify(grown)

    def throttled(self, epoch: int) -> None:
        """A call sent in `epoch` was throttled: keep to the rate calls got through at, once for all the calls sent
        under the old rate."""
        with self._slot_freed:
            if epoch != self.epoch:
                return
            now = time.monotonic()
            while self._successes and self._successes[0] < now - self.WINDOW:
                self._successes.popleft()
            if self._throttled_at is not None and now - self._throttled_at >= self.MIN_SPAN:
                measured = self._since_throttle / (now - self._throttled_at)
            else:
                # Over the window, even when the first call was sent less than a window ago: dividing a burst by
                # the moment it took made the rate many times too high, and each call resent at it throttled again.
                measured = len(self._successes) / self.WINDOW
            self.rate = max(self.MIN_RATE, self.BETA * measured if measured else (self.rate or 2 * self.MIN_RATE) / 2)
            self._throttled_at, self._since_throttle = now, 0
            self._next_send = max(self._next_send, now + 1 / self.rate)
            self.epoch += 1

    def gave_up(self) -> None:
        """A throttled call that botocore did not send again (its attempts spent): it no longer waits to be resent."""
        with self._slot_freed:
            self.backing_off -= 1

    @property
    def admissions(self) -> int:
        """Describes that may be queued or running: the calls in flight (those waiting for their turn included),
        one more ready for the next free slot, and those waiting to be resent after a throttle. Each holds a thread
        of the describe pool, which every operation shares: more would leave an operation's calls queued behind
        threads that other operations' calls hold while they wait for their turn."""
        return self.slots + 1 + self.backing_off

    def admit(self) -> None:
        """Wait until the scope has fewer than `admissions` describes queued or running."""
        with self._admission_freed:
            while self.admitted >= self.admissions:
                self._admission_freed.wait()
            self.admitted += 1

    def dismiss(self) -> None:
        with self._admission_freed:
            self.admitted -= 1
            self._admission_freed.notify()


@dataclass
class _Call:
    """The call a thread is making: its scope, the epoch it was sent in, and which slots it holds. It takes its
    turn at the operation's rate, its service's cap and a global slot only when botocore sends a request (the
    last `next()` of a paginator sends none), and a throttled call gives them back until it is resent."""

    scope: ScopeLimit
    capped: Any
    epoch: int
    holds_global: bool = False
    holds_capped: bool = False
    holds_slot: bool = True
    throttled: bool = False
    sent_at: float | None = None
    """When its first request was sent (after its turn): the start of the latency measured."""


class _Unlimited:
    """A service without a cap of its own (the default)."""

    def acquire(self) -> None:
        pass

    def release(self) -> None:
        pass


_UNLIMITED = _Unlimited()


class CallBudget:
    """The scan's global budget of calls in flight and the limit of each scope within it."""

    def __init__(self, max_workers: int, per_service: int | None = None, global_slots: Any = None) -> None:
        """`global_slots`: a semaphore of `max_workers` shared with other processes (see `processes`), instead
        of this process's own."""
        self.ceiling = min(per_service or max_workers, max_workers)
        self._per_service = per_service
        self._global = global_slots if global_slots is not None else threading.BoundedSemaphore(max_workers)
        self._scopes: dict[Scope, ScopeLimit] = {}
        self._services: dict[Scope, Any] = {}
        self._watched: dict[int, Any] = {}
        """The clients whose throttles and retries are watched, by id (kept, so that an id is not reused)."""
        self._lock = threading.Lock()
        self._current = threading.local()

    def limit(self, scope: Scope) -> ScopeLimit:
        """The adaptive limit of one (account, region, operation)."""
        with self._lock:
            if scope not in self._scopes:
                self._scopes[scope] = ScopeLimit(self.ceiling, DOCUMENTED_RATES.get(scope[2]))
            return self._scopes[scope]

    def _service(self, scope: Scope) -> Any:
        """The cap of one (account, region, service), when the scan sets one."""
        if self._per_service is None:
            return _UNLIMITED
        with self._lock:
            if scope not in self._services:
                self._services[scope] = threading.BoundedSemaphore(self.ceiling)
            return self._services[scope]

    @contextmanager
    def slot(self, client: Any, account_id: str, operation: str) -> Iterator[None]:
        """Hold a slot of the operation's scope for one call (or one page) and its retries; each request it sends
        also takes its turn, its service's cap and a global slot (`_on_request`)."""
        if id(client) not in self._watched:
            self._watch(client)
        region, service = client.meta.region_name, client.meta.service_model.service_name
        scope = self.limit((account_id, region, operation))
        call = _Call(scope, self._service((account_id, region, service)), scope.acquire())
        try:
            self._current.call = call
            yield
        finally:
            self._current.call = None
            if call.holds_global:
                self._global.release()
            if call.holds_capped:
                call.capped.release()
            if call.holds_slot:
                if call.sent_at is None:
                    scope.release(call.throttled, sent=False)
                else:
                    scope.release(call.throttled, time.monotonic() - call.sent_at)
            else:
                scope.gave_up()

    def _watch(self, client: Any) -> None:
        """Register the hooks that see a client's throttles and retries (once per client)."""
        with self._lock:
            if id(client) not in self._watched:
                retries = client.meta.config.retries or {}
                if retries.get("mode") == "standard":
                    attempts = retries.get("total_max_attempts", STANDARD_MAX_ATTEMPTS)
                    client.meta.events.register_first("needs-retry.*.*", partial(self._resend_at_turn, attempts))
                client.meta.events.register("needs-retry.*.*", self._on_attempt)
                client.meta.events.register("request-created.*.*", self._on_request)
                self._watched[id(client)] = client

    def _resend_at_turn(self, max_attempts: int, response: Any = None, attempts: int = 0, **_: Any) -> float | None:
        """A throttled call is resent without botocore's random backoff: its turn at the operation's rate is its
        backoff (`_on_request`). Sleeping up to 2**attempt seconds on a describe thread, as botocore would, left
        every thread asleep after a burst of throttles while the operation's rate went unused. A call throttled at
        every turn is sent up to THROTTLE_ATTEMPTS_FACTOR times botocore's attempts; any other retry is botocore's
        to decide (the first answer of a needs-retry hook wins), within botocore's attempts."""
        throttled = getattr(self._current, "call", None) is not None and _error_code(response) in THROTTLING_CODES
        return 0.0 if throttled and attempts < max_attempts * THROTTLE_ATTEMPTS_FACTOR else None

    def _on_attempt(self, response: Any = None, **_: Any) -> None:
        """botocore judged an attempt: a throttle slows the operation down and frees its slots during the backoff."""
        call: _Call | None = getattr(self._current, "call", None)
        if call is None or not response:
            return
        code = _error_code(response)
        if code in THROTTLING_CODES and call.holds_slot:
            call.throttled = True
            call.scope.throttled(call.epoch)
            self._release_shared(call)
            call.scope.release(throttled=True)
            call.holds_slot = False
        return

    def _on_request(self, **_: Any) -> None:
        """A request is about to be sent: it waits for its turn at the operation's rate, then takes its service's
        cap and a global slot. A throttled call's retry first takes a slot of its operation again."""
        call: _Call | None = getattr(self._current, "call", None)
        if call is None:
            return
        if not call.holds_slot:
            call.epoch = call.scope.acquire(resend=True)
            call.holds_slot, call.throttled = True, False
        if not call.holds_global:
            call.scope.pace()
            call.capped.acquire()
            call.holds_capped = True
            self._global.acquire()
            call.holds_global = True
            if call.sent_at is None:
                call.sent_at = time.monotonic()

    def _release_shared(self, call: _Call) -> None:
        """A throttled call gives back its global slot and its service's cap while it waits to be resent."""
        if call.holds_global:
            self._global.release()
            call.holds_global = False
        if call.holds_capped:
            call.capped.release()
            call.holds_capped = False
