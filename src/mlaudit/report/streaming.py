"""JSON Lines written while the checks run: findings are muted and written one at a time, never held together.

An organisation's scan can produce millions of findings. The JSON, HTML and SARIF reports need all of them at
once (sorted, summarised, linked); JSON Lines does not. When `jsonl` is the only format, the CLI streams: memory
is what the inventory needs, and only the summary is kept (the report it returns has no findings). Lines come in
evaluation order, check by check, rather than sorted as in the other formats.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from mlaudit.core.taxonomy import Status
from mlaudit.renderers.jsonl import jsonl_lines
from mlaudit.report.findings import Finding
from mlaudit.report.model import Muter, Summary, SummaryCounter
from mlaudit.report.output import atomic_file, text_stream


@dataclass(frozen=True)
class Streamed:
    summary: Summary
    evaluation_errors: bool
    """Whether any finding was ERROR before muting: the scan was incomplete, whatever was accepted."""
    warnings: list[str]


@dataclass(frozen=True)
class FindingStream:
    destination: Path | None
    """The JSON Lines file (written atomically, so a reader never sees half of it), or None for stdout."""
    muters: Sequence[Muter] = field(default_factory=tuple)

    def write(self, header: dict[str, str], findings: Iterable[Finding], check_ids: Iterable[str]) -> Streamed:
        counter = SummaryCounter(check_ids)
        errors = False

        def muted() -> Iterable[Finding]:
            nonlocal errors
            for finding in findings:
                errors = errors or finding.status is Status.ERROR
                for muter in self.muters:
                    finding = muter(finding)
                counter.add(finding)
                yield finding

        with self._open() as handle:
            out = text_stream(handle)
            out.writelines(jsonl_lines(header, muted()))
            out.flush()
            out.detach()
        return Streamed(counter.summary(), errors, [w for muter in self.muters for w in muter.warnings()])

    def _open(self) -> AbstractContextManager[BinaryIO]:
        return nullcontext(sys.stdout.buffer) if self.destination is None else atomic_file(self.destination)
