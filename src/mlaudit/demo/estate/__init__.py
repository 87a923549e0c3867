"""The demo account's ML estate, seeded area by area into the demo's moto server.

Each area is a module here with a `seed(estate)` function that adds what its checks need to show at least one PASS
and one FAIL, and an `AFTER` tuple naming the areas whose resources it uses (they are seeded first). Areas are
discovered; modules without `seed` are the areas' shared building blocks.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from graphlib import TopologicalSorter
from types import ModuleType
from typing import Protocol

import boto3

from mlaudit.demo.estate.base import Estate, Region


@dataclass(frozen=True)
class SeedingStep:
    """One area being seeded, as the progress display shows a collection task (`service`: the area's name)."""

    service: str
    region: str = ""


class SeedingObserver(Protocol):
    """Told about seeding progress: the collection progress display is one."""

    def planned(self, tasks: Sequence[SeedingStep]) -> None: ...

    def finished(self, task: SeedingStep, records: int, errors: int) -> None: ...


def areas() -> list[ModuleType]:
    """Every area, each after the areas it names in `AFTER` (otherwise by name)."""
    modules = {
        info.name: importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
    }
    found = {name: module for name, module in modules.items() if hasattr(module, "seed")}
    order = TopologicalSorter({name: getattr(module, "AFTER", ()) for name, module in found.items()})
    order.prepare()
    ordered: list[ModuleType] = []
    while order.is_active():
        ready = sorted(order.get_ready())
        ordered.extend(found[name] for name in ready)
        order.done(*ready)
    return ordered


def seed(session: boto3.Session, endpoint_url: str, observer: SeedingObserver | None = None) -> Estate:
    """Create the estate in the account behind `endpoint_url` (the demo's moto server); `observer` is told each
    area's number of calls as it is done."""
    calls: Counter[str] = Counter()
    session.events.register("before-call", lambda **_: calls.update(["made"]))
    estate = Estate(
        session=session,
        endpoint_url=endpoint_url,
        east=Region(session, endpoint_url, "us-east-1"),
        west=Region(session, endpoint_url, "eu-west-1"),
    )
    ordered = areas()
    steps = [SeedingStep(_name(area)) for area in ordered]
    if observer is not None:
        observer.planned(steps)
    counted = 0  # the first area's count includes the regions' keys, VPCs and security groups
    for area, step in zip(ordered, steps, strict=True):
        area.seed(estate)
        if observer is not None:
            observer.finished(step, calls["made"] - counted, 0)
        counted = calls["made"]
    return estate


def _name(area: ModuleType) -> str:
    return area.__name__.rsplit(".", 1)[-1]
