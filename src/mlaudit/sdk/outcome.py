"""A check's verdict on one resource. Returning None instead means "not applicable": no finding at all."""

from __future__ import annotations

from dataclasses import dataclass

from mlaudit.core.taxonomy import Severity, Status


@dataclass(frozen=True)
class Outcome:
    status: Status
    detail: str
    severity: Severity | None = None
    """Overrides the check's severity for this finding (a rule that is worse for some resources)."""


def passed(detail: str) -> Outcome:
    return Outcome(Status.PASS, detail)


def failed(detail: str, severity: Severity | None = None) -> Outcome:
    return Outcome(Status.FAIL, detail, severity)
