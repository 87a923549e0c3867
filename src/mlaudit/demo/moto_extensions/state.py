"""State the extensions keep beside moto's own: on the region's backend object, so that moto's reset clears it."""

from __future__ import annotations

from typing import Any


def backend_state(backend: object, name: str) -> dict[str, Any]:
    """The dict named `name` on a moto backend, created empty on first use."""
    return backend.__dict__.setdefault(f"_mlaudit_{name}", {})
