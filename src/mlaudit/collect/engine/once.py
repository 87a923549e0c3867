"""Answers fetched once and shared: whoever asks for a key while it is being fetched waits for that outcome.

A failure is an outcome too: it is kept and raised again to every asker, so that a refused call is not sent again
for each resource (or part) that needs its answer.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class Once(Generic[K, T]):
    """One outcome per key, `fetch(key)` by the first asker."""

    def __init__(self) -> None:
        self._outcomes: dict[K, T | Exception] = {}
        self._fetching: dict[K, threading.Lock] = defaultdict(threading.Lock)
        self._guard = threading.Lock()

    def get(self, key: K, fetch: Callable[[K], T]) -> T:
        with self._guard:
            lock = self._fetching[key]
        with lock:
            if key not in self._outcomes:
                try:
                    self._outcomes[key] = fetch(key)
                except Exception as failure:  # noqa: BLE001 - kept, and raised again for each asker
                    self._outcomes[key] = failure
        outcome = self._outcomes[key]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome
