"""Stopping a scan early on Ctrl-C or SIGTERM, and still writing the report of what was collected.

While `interruptible()` is active, the first SIGINT or SIGTERM raises `ScanInterrupted` in the main thread. The
collection scheduler catches it (as any `KeyboardInterrupt`), records every part it had not finished as an
`Interrupted` collection error, so that their checks report ERROR, and returns; the report is written as usual,
with status `partial`, and the command exits with 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).
A second signal is handled as if mlaudit had not caught the first: it stops at once, without a report.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class ScanInterrupted(KeyboardInterrupt):
    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def signal_of(interrupt: KeyboardInterrupt) -> signal.Signals:
    """The signal behind an interrupt: a plain KeyboardInterrupt is Ctrl-C."""
    return signal.Signals(getattr(interrupt, "signum", signal.SIGINT))


def exit_code(signum: int) -> int:
    """The shell's convention for a process stopped by a signal."""
    return 128 + signum


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise `ScanInterrupted` (once) while the block runs; the previous handlers come back after."""
    previous: dict[int, Any] = {}

    def handler(signum: int, _frame: FrameType | None) -> None:
        _restore(previous)  # a second signal acts as if mlaudit had not caught the first
        raise ScanInterrupted(signum)

    for sig in SIGNALS:
        previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        _restore(previous)


def _restore(handlers: dict[int, Any]) -> None:
    for sig, original in handlers.items():
        signal.signal(sig, original)
