"""Reading AWS's answers: a field deep in a structure that may be missing at any level, the first value given.

Collectors read every field with a default (an unexpected shape must not lose the resource), and a path written as
`dig(d, "ResourceConfig", "InstanceType")` says where a field lives in the answer in one place.
"""

from __future__ import annotations

from typing import Any


def dig(data: Any, *path: str) -> Any:
    """The value at `path` in nested structures, or None where any level is missing (or not a structure)."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def first(*values: Any) -> Any:
    """The first value that is set (not None, empty or zero), else None."""
    return next((value for value in values if value), None)
