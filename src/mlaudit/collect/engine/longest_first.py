"""The describe pool's order: the next free thread takes a describe of the longest fan-out still waiting, unless a
describe has waited longer than `MAX_WAIT`.

Under rate limits a scan ends when its longest (region, operation) queue does, so that queue must start first
(longest processing time first). Which queue is the longest is known only once the lists have answered, when
every part sends its describes at once; in the order they were sent, a region's 100 training jobs waited behind
the other parts' first describes. Order by size alone would starve the small batches, though: the roles and
buckets found region by region (a few hundred, each a chain of calls) waited for every regional describe and ran
alone at the end of the scan, an idle tail. So a describe that has waited `MAX_WAIT` goes first, in the order the
describes came.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import Any

MAX_WAIT = 0.5
"""Seconds a describe may wait behind larger batches before it goes first (at 1 s, the roles and buckets of a
10,000-resource scan still ended 0.8 s after its regional parts; at 0.5 s, with them)."""


@dataclass(order=True, slots=True)
class _Waiting:
    rank: tuple[int, int]
    """(-batch size, order of submission): the heap's order."""
    since: float = field(compare=False)
    work: tuple[Callable[[], Any], Future[Any]] | None = field(compare=False)
    """None once taken: the copy left in the other queue until it is skipped holds nothing."""


class LongestFirst:
    """Runs callables on `pool`'s threads, those submitted with the largest batch size first (in the order they
    came among equals, and first of all those that waited `MAX_WAIT`); shut down as the executor it wraps."""

    def __init__(self, pool: Executor, max_wait: float = MAX_WAIT) -> None:
        self._pool = pool
        self._max_wait = max_wait
        self._by_size: list[_Waiting] = []
        self._by_arrival: deque[_Waiting] = deque()
        self._order = itertools.count()
        self._lock = threading.Lock()
        self._cancelled = False

    def submit(self, batch_size: int, fn: Callable[[], Any]) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            if self._cancelled:
                raise RuntimeError("cannot schedule new describes after the scan was interrupted")
            waiting = _Waiting((-batch_size, next(self._order)), time.monotonic(), (fn, future))
            heapq.heappush(self._by_size, waiting)
            self._by_arrival.append(waiting)
        self._pool.submit(self._run_next)
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        """With `cancel_futures` (an interrupted scan), what has not started never will: its futures are
        cancelled, and nothing more is accepted."""
        if cancel_futures:
            with self._lock:
                self._cancelled, waiting = True, list(self._by_arrival)
                self._by_size.clear()
                self._by_arrival.clear()
            for item in waiting:
                if item.work is not None:
                    item.work[1].cancel()
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def _take(self) -> tuple[Callable[[], Any], Future[Any]] | None:
        """The describe that waited too long, else the first of the largest batch (each is in both queues: the
        one taken from either is skipped in the other)."""
        while self._by_arrival and self._by_arrival[0].work is None:
            self._by_arrival.popleft()
        if self._by_arrival and time.monotonic() - self._by_arrival[0].since >= self._max_wait:
            item = self._by_arrival.popleft()
        else:
            while self._by_size and self._by_size[0].work is None:
                heapq.heappop(self._by_size)
            if not self._by_size:
                return None
            item = heapq.heappop(self._by_size)
        taken, item.work = item.work, None
        return taken

    def _run_next(self) -> None:
        with self._lock:
            taken = self._take()
        if taken is None:
            return
        fn, future = taken
        if not future.set_running_or_notify_cancel():
            return
        try:
            result = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the future, as an executor does
            future.set_exception(exc)
        else:
            future.set_result(result)
