"""Counting the AWS calls a scan makes, through botocore's event hooks.

The counts feed the scan statistics, the read-only guard in the tests and the benchmark. A hook sees every
call, including retries, whatever code path made it.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

THROTTLING_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    }
)


@dataclass
class CallStats:
    """How many API calls of each operation were made, retried and throttled."""

    calls: Counter[str] = field(default_factory=Counter)
    """Keyed by `service:Operation`, e.g. `sagemaker:ListEndpoints`; one per API call, not per attempt."""
    retries: int = 0
    throttles: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def attach(self, client: Any) -> None:
        """Register the hooks on a boto3 client."""
        service = client.meta.service_model.service_name
        events = client.meta.events
        events.register("before-call.*.*", lambda model, **_: self._on_call(service, model.name))
        events.register("request-created.*.*", self._on_request)
        events.register("needs-retry.*.*", self._on_attempt)

    def _on_call(self, service: str, operation: str) -> None:
        with self._lock:
            self.calls[f"{service}:{operation}"] += 1

    def _on_request(self, request: Any = None, **_: Any) -> None:
        """Every attempt after a call's first is a retry, whether the call succeeds in the end or not."""
        attempt = ((getattr(request, "context", None) or {}).get("retries") or {}).get("attempt") or 1
        if attempt > 1:
            with self._lock:
                self.retries += 1

    def _on_attempt(self, response: Any = None, **_: Any) -> None:
        if not response:
            return
        code = ((response[1] or {}).get("Error") or {}).get("Code")
        if code in THROTTLING_CODES:
            with self._lock:
                self.throttles += 1
        return

    def snapshot(self) -> tuple[dict[str, int], int, int]:
        """The counts so far (calls by operation, retries, throttles), to send to another process."""
        with self._lock:
            return dict(self.calls), self.retries, self.throttles

    def merge(self, calls: Counter[str], retries: int, throttles: int) -> None:
        """Add another process's counts."""
        with self._lock:
            self.calls.update(calls)
            self.retries += retries
            self.throttles += throttles

    @property
    def total(self) -> int:
        return sum(self.calls.values())
