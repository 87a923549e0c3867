"""Verdicts many checks reach the same way: a setting that must have a value, a workload that must run in a VPC."""

from __future__ import annotations

from collections.abc import Iterable

from mlaudit.sdk.outcome import Outcome, failed, passed
from mlaudit.sdk.wording import names


def expect_value(label: str, actual: str | None, wanted: str, aws_default: str | None = None) -> Outcome:
    """PASS when a setting has the wanted value; otherwise FAIL naming what it is (or the AWS default it falls
    back to when unset)."""
    if actual == wanted:
        return passed(f"{label} is {wanted}")
    if actual is None:
        fallback = f", so it has the AWS default: {aws_default}" if aws_default else ""
        return failed(f"{label} is not set{fallback}")
    return failed(f"{label} is {actual}")


def in_vpc(subnets: Iterable[str], outside: str) -> Outcome:
    """PASS naming the subnets a model or job runs in; FAIL with `outside` (why that matters for it) when none."""
    subnets = list(subnets)
    return passed("runs in subnets " + names(subnets)) if subnets else failed(outside)
