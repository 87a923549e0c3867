"""The describe pool's order: the next free thread takes a describe of the longest fan-out still waiting.

Under rate limits a scan ends when its longest (region, operation) queue does, so that queue must start first
(longest processing time first). Which queue is the longest is known only once the lists have answered, when
every part sends its describes at once; in the order they were sent, a region's 100 training jobs waited behind
the other parts' first describes.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any


class LongestFirst:
    """Runs callables on `pool`'s threads, those of the largest batch first (a batch's size is its `rank`)."""

    def __init__(self, pool: Executor) -> None:
        self._pool = pool
        self._waiting: list[tuple[int, int, Callable[[], Any], Future[Any]]] = []
        self._order = itertools.count()
        self._lock = threading.Lock()

    def submit(self, batch_size: int, fn: Callable[[], Any]) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            heapq.heappush(self._waiting, (-batch_size, next(self._order), fn, future))
        self._pool.submit(self._run_next)
        return future

    def cancel(self) -> None:
        """An interrupted scan: what has not started never will (its futures are cancelled)."""
        with self._lock:
            waiting, self._waiting = self._waiting, []
        for *_, future in waiting:
            future.cancel()

    def _run_next(self) -> None:
        with self._lock:
            if not self._waiting:
                return
            *_, fn, future = heapq.heappop(self._waiting)
        if not future.set_running_or_notify_cancel():
            return
        try:
            result = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the future, as an executor does
            future.set_exception(exc)
        else:
            future.set_result(result)
