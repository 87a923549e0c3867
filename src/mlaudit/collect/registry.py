"""Every part collector, discovered, and the plan of which ones a set of checks needs.

Each module of `mlaudit.collect.services` (but those whose name starts with `_`, shared helpers) declares its
parts' collectors in a `COLLECTORS` tuple; nothing is listed by hand anywhere else.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from types import ModuleType

from mlaudit.collect import services
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import RECORD_TYPES, Record


def collector_modules() -> list[ModuleType]:
    """The service modules, by name."""
    names = sorted(info.name for info in pkgutil.iter_modules(services.__path__) if not info.name.startswith("_"))
    return [importlib.import_module(f"{services.__name__}.{name}") for name in names]


def _discover() -> dict[type[Record], PartCollector]:
    found: dict[type[Record], PartCollector] = {}
    for module in collector_modules():
        for collector in module.COLLECTORS:
            if collector.record in found:
                raise AssertionError(f"{collector.part} has two collectors (one in {module.__name__})")
            found[collector.record] = collector
    return dict(sorted(found.items(), key=lambda item: RECORD_TYPES.index(item[0])))


COLLECTORS: dict[type[Record], PartCollector] = _discover()
"""Each record type's one collector, in the order of `RECORD_TYPES`."""


def plan(needed: Iterable[type[Record]]) -> list[PartCollector]:
    """The collectors for `needed` and everything they depend on, dependencies first."""
    ordered: list[PartCollector] = []
    seen: set[type[Record]] = set()

    def visit(record_type: type[Record]) -> None:
        if record_type in seen:
            return
        seen.add(record_type)
        collector = COLLECTORS[record_type]
        for dependency in collector.dependencies:
            visit(dependency)
        ordered.append(collector)

    for record_type in sorted(set(needed), key=RECORD_TYPES.index):
        visit(record_type)
    return ordered


_BY_PART = {collector.part: collector for collector in COLLECTORS.values()}


def collector_of(part: str) -> PartCollector:
    """A part's collector by its name (what a worker process is sent instead of the collector itself)."""
    return _BY_PART[part]


def collection_plan(needed: Iterable[type[Record]]) -> list[tuple[str, tuple[str, ...]]]:
    """What collecting `needed` takes, dependencies included: each part with the operations its collector may
    call (a reference followed or a dependency widens it; `mlaudit explain` and docs/checks.md show it)."""
    return [(collector.part, tuple(str(op) for op in collector.operations)) for collector in plan(needed)]


def describe_plan(needed: Iterable[type[Record]]) -> list[str]:
    """The collection plan, one line a part: `sagemaker.endpoint: sagemaker:ListEndpoints, ...`."""
    return [f"{part}: {', '.join(ops) or '(derived, no call)'}" for part, ops in collection_plan(needed)]
