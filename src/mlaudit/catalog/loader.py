"""Finding checks and choosing among them.

Built-in checks (the `mlaudit.checks` package, i.e. the repository's `checks/` folder), third-party checks from
the `mlaudit.checks` entry-point group and files in `--checks-dir` all load the same way: a module is imported
and every `Check` object at its top level is taken. Nothing registers itself on import.
"""

from __future__ import annotations

import difflib
import fnmatch
import hashlib
import importlib
import importlib.util
import pkgutil
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

from mlaudit.catalog import ENTRY_POINT_GROUP
from mlaudit.core.errors import UserError
from mlaudit.core.taxonomy import Severity
from mlaudit.sdk import Check

BUILTIN_PACKAGE = "mlaudit.checks"


def checks_in(module: ModuleType, source: str) -> list[Check]:
    return [value.with_source(source) for value in vars(module).values() if isinstance(value, Check)]


def _builtin_checks() -> list[Check]:
    package = importlib.import_module(BUILTIN_PACKAGE)
    found: list[Check] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            found.extend(checks_in(importlib.import_module(f"{BUILTIN_PACKAGE}.{info.name}"), "builtin"))
    return found


def _entry_point_checks() -> list[Check]:
    found: list[Check] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        source = f"entry point {ep.name} ({ep.value})"
        try:
            loaded = ep.load()
        except Exception as exc:
            raise UserError(f"could not load checks from {source}: {type(exc).__name__}: {exc}") from exc
        if isinstance(loaded, ModuleType):
            found.extend(checks_in(loaded, source))
        elif isinstance(loaded, Check):
            found.append(loaded.with_source(source))
        else:
            found.extend(c.with_source(source) for c in loaded if isinstance(c, Check))
    return found


def _directory_checks(directory: Path) -> list[Check]:
    if not directory.is_dir():
        raise UserError(f"--checks-dir {directory}: not a directory")
    found: list[Check] = []
    prefix = "mlaudit_plugin_" + hashlib.sha1(str(directory.resolve()).encode(), usedforsecurity=False).hexdigest()[:8]
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module_name = f"{prefix}_{path.stem}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise UserError(f"could not load checks from {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            del sys.modules[module_name]
            raise UserError(f"could not load checks from {path}: {type(exc).__name__}: {exc}") from exc
        found.extend(checks_in(module, str(path)))
    return found


@dataclass(frozen=True)
class Catalog:
    checks: tuple[Check, ...]

    def __post_init__(self) -> None:
        seen: dict[str, Check] = {}
        for check in self.checks:
            for key in (check.id, check.name):
                if key in seen:
                    other = seen[key]
                    raise UserError(
                        f"two checks share {key!r}: one from {other.metadata.source}, one from {check.metadata.source}"
                    )
                seen[key] = check

    def find(self, key: str) -> Check | None:
        for check in self.checks:
            if key.upper() == check.id or key.lower() == check.name:
                return check
        return None

    def resolve(self, keys: Iterable[str], option: str = "--checks") -> list[Check]:
        """Checks by id, name or glob (`SM-ENDPOINT-*`); an unknown key is an error suggesting the closest."""
        chosen: dict[str, Check] = {}
        for key in keys:
            matches = self._match(key)
            if not matches:
                raise UserError(f"{option}: unknown check {key!r}", hint=self._suggest(key))
            chosen.update((c.id, c) for c in matches)
        return sorted(chosen.values(), key=lambda c: c.id)

    def _match(self, key: str) -> list[Check]:
        if any(ch in key for ch in "*?["):
            return [
                c for c in self.checks if fnmatch.fnmatch(c.id, key.upper()) or fnmatch.fnmatch(c.name, key.lower())
            ]
        found = self.find(key)
        return [found] if found else []

    def _suggest(self, key: str) -> str:
        candidates = [c.id for c in self.checks] + [c.name for c in self.checks]
        close = difflib.get_close_matches(key.upper(), [c.id for c in self.checks], n=3, cutoff=0.6)
        close += difflib.get_close_matches(key.lower(), [c.name for c in self.checks], n=3, cutoff=0.6)
        if close:
            return "did you mean " + ", ".join(dict.fromkeys(close)) + "?"
        return f"run `mlaudit list-checks` to see the {len(candidates) // 2} checks"

    def select(
        self,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        min_severity: Severity | None = None,
    ) -> list[Check]:
        """The checks a scan runs: those named (or every check that is not opt-in), minus exclusions, at or
        above a minimum severity."""
        chosen = self.resolve(include) if include else [c for c in self.checks if not c.metadata.opt_in]
        excluded = {c.id for c in self.resolve(exclude, "--exclude-checks")}
        return [
            c
            for c in chosen
            if c.id not in excluded and (min_severity is None or c.metadata.severity.at_least(min_severity))
        ]


def load_catalog(checks_dirs: Sequence[Path] = (), include_entry_points: bool = True) -> Catalog:
    found = _builtin_checks()
    if include_entry_points:
        found += _entry_point_checks()
    for directory in checks_dirs:
        found += _directory_checks(directory)
    return Catalog(tuple(sorted(found, key=lambda c: c.id)))
