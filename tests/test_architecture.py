"""The house rules, held by tests: every fact declared once and discovered, every part collected by exactly one
collector with a minimum-call model, no import cycle, no function too complex to read, no check logic shared
through a check module."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections import Counter
from pathlib import Path

import pytest
from radon.complexity import cc_visit

from architecture import ROOT, cycles, import_graph, modules
from mlaudit.collect import services
from mlaudit.collect.registry import COLLECTORS, collector_modules
from mlaudit.demo import estate, moto_extensions
from mlaudit.inventory import RECORD_TYPES

MAX_COMPLEXITY = 15
"""radon's cyclomatic complexity: above it a function does too many things to read at once."""


def test_every_record_type_has_exactly_one_collector() -> None:
    parts = Counter(record_type.part for record_type in RECORD_TYPES)
    assert [part for part, count in parts.items() if count > 1] == [], "two record types name the same part"
    assert set(COLLECTORS) == set(RECORD_TYPES), "a record type without a collector, or a collector of none"
    declared = Counter(collector.record for module in collector_modules() for collector in module.COLLECTORS)
    assert all(count == 1 for count in declared.values())


def test_every_collector_module_and_extension_module_is_discovered() -> None:
    """A module in the collectors' or the moto extensions' folder is either discovered or a shared helper that a
    discovered module (or the extensions' `install`) imports (named with a leading `_` for collectors)."""
    service_modules = {info.name for info in pkgutil.iter_modules(services.__path__)}
    discovered = {module.__name__.rsplit(".", 1)[-1] for module in collector_modules()}
    assert service_modules - discovered == {name for name in service_modules if name.startswith("_")}
    assert all(module.COLLECTORS for module in collector_modules())

    extension_names = {info.name for info in pkgutil.iter_modules(moto_extensions.__path__)}
    found = {module.__name__.rsplit(".", 1)[-1] for module in moto_extensions.extensions()}
    helpers = extension_names - found
    users = [*moto_extensions.extensions(), moto_extensions]
    used = {
        name
        for module in users
        for name in helpers
        if re.search(rf"mlaudit\.demo\.moto_extensions(\.| import ){name}\b", Path(module.__file__ or "").read_text())
    }
    assert helpers == used, "an extension module without RESPONSE_CLASS that no extension uses"

    areas = {area.__name__.rsplit(".", 1)[-1] for area in estate.areas()}
    others = {info.name for info in pkgutil.iter_modules(estate.__path__)} - areas
    for name in others:
        assert not hasattr(importlib.import_module(f"mlaudit.demo.estate.{name}"), "seed")


def test_every_part_has_a_minimum_call_model() -> None:
    assert [collector.part for collector in COLLECTORS.values() if not collector.has_minimum] == []


def test_no_import_cycle() -> None:
    """Counting every import of an mlaudit module, wherever it is written (type-checking blocks and functions too)."""
    assert cycles(import_graph()) == []


def _functions() -> list[tuple[str, str, int]]:
    """Every function, method and class of the package, with its complexity."""
    return [
        (f"{name}:{function.name}", type(function).__name__, function.complexity)
        for name, path in modules().items()
        for block in cc_visit(path.read_text(encoding="utf-8"))
        for function in [block, *getattr(block, "methods", [])]
    ]


def test_no_function_is_too_complex() -> None:
    too_complex = [(where, complexity) for where, kind, complexity in _functions() if complexity > MAX_COMPLEXITY]
    assert too_complex == []


def test_checks_share_logic_through_the_sdk_never_through_a_check_module() -> None:
    for name, path in modules().items():
        if not name.startswith("mlaudit.checks."):
            continue
        imported = {
            node.module
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not {module for module in imported if module.startswith("mlaudit.checks")}, name


@pytest.mark.parametrize("folder", ["src/mlaudit", "checks"])
def test_no_module_is_left_out_of_the_package(folder: str) -> None:
    """Every folder of the package is a package (an `__init__.py`), so that discovery and the wheel see it."""
    for directory in (ROOT / folder).rglob("*"):
        if directory.is_dir() and directory.name != "__pycache__" and any(directory.glob("*.py")):
            assert (directory / "__init__.py").exists(), directory
