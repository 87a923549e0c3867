"""The order of the describe pool (`collect/engine/longest_first.py`): under rate limits a scan ends with its
longest queue, so a free thread takes a describe of the largest batch still waiting, unless one has waited too
long."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from functools import partial

import pytest

from mlaudit.collect.engine.longest_first import LongestFirst


class HeldThread:
    """A describe that holds the pool's only thread until released, started before the test goes on."""

    def __init__(self, pool: LongestFirst) -> None:
        self.started, self.released = threading.Event(), threading.Event()
        self.future = pool.submit(1, self._hold)
        assert self.started.wait(5)

    def _hold(self) -> str:
        self.started.set()
        self.released.wait(5)
        return "held"


def test_a_free_thread_takes_a_describe_of_the_largest_batch_waiting() -> None:
    threads = ThreadPoolExecutor(1)
    pool = LongestFirst(threads, max_wait=60)  # none waits that long here, however slow the machine
    ran: list[str] = []
    try:
        held = HeldThread(pool)
        batches = [pool.submit(2, partial(ran.append, "2 resources")) for _ in range(2)]
        batches += [pool.submit(5, partial(ran.append, "5 resources")) for _ in range(5)]
        held.released.set()
        wait(batches)
    finally:
        threads.shutdown()

    assert ran == ["5 resources"] * 5 + ["2 resources"] * 2


def test_a_describe_that_waited_too_long_goes_before_larger_batches() -> None:
    """The roles and buckets found region by region come in small batches: ordered by size alone, they waited for
    every regional describe and ran alone at the end of the scan."""
    threads = ThreadPoolExecutor(1)
    pool = LongestFirst(threads, max_wait=0.05)
    ran: list[str] = []
    try:
        held = HeldThread(pool)
        batches = [pool.submit(1, partial(ran.append, "waited"))]
        time.sleep(0.1)
        batches += [pool.submit(5, partial(ran.append, "5 resources")) for _ in range(2)]
        held.released.set()
        wait(batches)
    finally:
        threads.shutdown()

    assert ran == ["waited", "5 resources", "5 resources"]


def test_an_interrupted_scan_starts_nothing_more() -> None:
    threads = ThreadPoolExecutor(1)
    pool = LongestFirst(threads)
    try:
        held = HeldThread(pool)
        waiting = [pool.submit(3, partial(str, "never")) for _ in range(3)]
        pool.shutdown(wait=False, cancel_futures=True)
        held.released.set()
        assert held.future.result() == "held", "what had started finishes"
        with pytest.raises(RuntimeError, match="interrupted"):
            pool.submit(3, partial(str, "after"))
    finally:
        threads.shutdown()

    assert all(future.cancelled() for future in waiting)


def test_a_failed_describe_reaches_its_future() -> None:
    threads = ThreadPoolExecutor(1)
    try:
        failing = LongestFirst(threads).submit(1, partial(int, "not a number"))
        with pytest.raises(ValueError, match="not a number"):
            failing.result(5)
    finally:
        threads.shutdown()
