"""The demo account's ML estate, seeded area by area into the demo's moto server.

Each area is a module here with a `seed(estate)` function that adds what its checks need to show at least one PASS
and one FAIL, and an `AFTER` tuple naming the areas whose resources it uses (they are seeded first). Areas are
discovered; modules without `seed` are the areas' shared building blocks.
"""

from __future__ import annotations

import importlib
import pkgutil
from graphlib import TopologicalSorter
from types import ModuleType

import boto3

from mlaudit.demo.estate.base import Estate, Region


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


def seed(session: boto3.Session, endpoint_url: str) -> Estate:
    """Create the estate in the account behind `endpoint_url` (the demo's moto server)."""
    estate = Estate(
        session=session,
        endpoint_url=endpoint_url,
        east=Region(session, endpoint_url, "us-east-1"),
        west=Region(session, endpoint_url, "eu-west-1"),
    )
    for area in areas():
        area.seed(estate)
    return estate
