"""A check's verdict on one resource. Returning None instead means "not applicable": no finding at all."""

from __future__ import annotations

from dataclasses import dataclass

from mlaudit.taxonomy import Status


@dataclass(frozen=True)
class Outcome:
    status: Status
    detail: str


def passed(detail: str) -> Outcome:
    return Outcome(Status.PASS, detail)


def failed(detail: str) -> Outcome:
    return Outcome(Status.FAIL, detail)
