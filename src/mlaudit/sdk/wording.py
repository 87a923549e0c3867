"""How a finding's detail names things: short lists, counts, the resource part of an ARN, who uses a shared
resource."""

from __future__ import annotations

from collections.abc import Iterable


def names(items: list[str], limit: int = 5) -> str:
    """A short, readable list for a finding's detail: `a, b, c and 4 more`."""
    shown = ", ".join(items[:limit])
    return f"{shown} and {len(items) - limit} more" if len(items) > limit else shown


def counted(count: int, noun: str) -> str:
    """`1 endpoint`, `3 endpoints`: a count with its noun, for a finding's detail."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def short_arn(arn: str) -> str:
    """The resource part of an ARN (`model/churn-2019`), which is what people recognise in a sentence."""
    parts = arn.split(":", 5)
    return parts[5] if len(parts) == 6 and parts[5] else arn


def arn_resource_id(arn: str) -> str:
    """What follows an ARN's last `/` or `:`: the resource's id (`d-abc123` of `...:domain/d-abc123`)."""
    return arn[max(arn.rfind("/"), arn.rfind(":")) + 1 :]


def first_users(arns: Iterable[str]) -> str:
    """The first few ML resources that use a shared resource, short and readable (`endpoint/fraud, model/v3...`)."""
    return names([short_arn(arn) for arn in arns], limit=3)


def used_by(count: int) -> str:
    """`used by 3 ML resources`: how much depends on a shared resource (bucket, role, key, network)."""
    return f"used by {counted(count, 'ML resource')}"
