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
    """Runs callables on `pool`'s threads, those submitted with the largest batch size first (in the order they
    came among equals); shut down as the executor it wraps."""

    def __init__(self, pool: Executor) -> None:
        self._pool = pool
        self._waiting: list[tuple[int, int, Callable[[], Any], Future[Any]]] = []
        self._order = itertools.count()
        self._lock = threading.Lock()
        self._cancelled = False

    def submit(self, batch_size: int, fn: Callable[[], Any]) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            if self._cancelled:
                raise RuntimeError("cannot schedule new describes after the scan was interrupted")
            heapq.heappush(self._waiting, (-batch_size, next(self._order), fn, future))
        self._pool.submit(self._run_next)
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        """With `cancel_futures` (an interrupted scan), what has not started never will: its futures are
        cancelled, and nothing more is accepted."""
        if cancel_futures:
            with self._lock:
                self._cancelled, waiting, self._waiting = True, self._waiting, []
            for *_, future in waiting:
                future.cancel()
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)

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
