"""Endpoints whose host name does not resolve (DNS): the first call to a service in a region goes alone (the others
wait for its outcome); if it fails so, it marks that service and region, and every later call there fails at once
with the same error, instead of each retrying its own way to it.

Each account where it happened is recorded once as skipped (`endpoint-not-resolved`); its calls are still
collection errors, so the checks of that scope report ERROR: mlaudit could not look there.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from botocore.exceptions import EndpointConnectionError
from urllib3.exceptions import NameResolutionError

from mlaudit.inventory import SkippedScope, SkipReason


def is_unresolved(exc: BaseException) -> bool:
    """botocore could not resolve the endpoint's host name: no answer was ever received."""
    return isinstance(exc, EndpointConnectionError) and isinstance(
        exc.kwargs.get("error"), (NameResolutionError, socket.gaierror)
    )


class UnresolvedEndpoints:
    """Shared by every task of a scan (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[tuple[str, str], BaseException] = {}
        self._skipped: dict[SkippedScope, None] = {}
        self._probes: dict[tuple[str, str], threading.Event] = {}
        """Each endpoint's first call: set once it has an outcome."""

    @contextmanager
    def first_call(self, service: str, region: str) -> Iterator[None]:
        """Around a call: the first to an endpoint goes alone; the others wait until it has an outcome (and then
        look at `failure` before they are sent)."""
        key = (service, region)
        with self._lock:
            probe = self._probes.get(key)
            first = probe is None
            if first:
                probe = self._probes[key] = threading.Event()
        assert probe is not None
        if not first:
            probe.wait()
            yield
            return
        try:
            yield
        finally:
            probe.set()

    def failure(self, service: str, region: str) -> BaseException | None:
        """The error of the call that found the endpoint unresolvable, or None."""
        with self._lock:
            return self._failures.get((service, region))

    def add(self, account_id: str, service: str, region: str, exc: BaseException) -> None:
        with self._lock:
            self._failures.setdefault((service, region), exc)
            scope = SkippedScope(
                account_id=account_id, region=region, service=service, reason=SkipReason.ENDPOINT_NOT_RESOLVED
            )
            self._skipped[scope] = None

    @property
    def skipped(self) -> list[SkippedScope]:
        with self._lock:
            return list(self._skipped)
