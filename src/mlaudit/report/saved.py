"""Saved reports and inventory snapshots: written as files, read back with one clear sentence for every way the
file can be wrong (missing, not JSON, another tool's, a newer version, invalid)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mlaudit import __version__
from mlaudit.core.errors import UserError
from mlaudit.gating.baseline import BASELINE_VERSION, Baseline
from mlaudit.inventory import RECORD_TYPES, SNAPSHOT_FORMAT, Inventory, InventorySnapshot
from mlaudit.report.model import SCHEMA_VERSION, Report, summarise
from mlaudit.report.output import write_atomic


def _major(version: str) -> int:
    try:
        return int(version.split(".", 1)[0])
    except ValueError:
        return -1


def _read_json(path: Path) -> Any:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        return json.loads(raw.decode("utf-8"))
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{path} is not valid JSON ({exc})") from exc


def _check_version(path: Path, what: str, version: str, current: str) -> None:
    if _major(version) > _major(current):
        raise UserError(
            f"{path} has {what} {version}, newer than this mlaudit reads ({current})", hint="upgrade mlaudit"
        )
    if _major(version) < _major(current):
        raise UserError(f"{path} has {what} {version}, older than this mlaudit reads ({current})")


def _invalid(path: Path, what: str, exc: ValidationError) -> UserError:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return UserError(f"{path} is not a valid {what}: {where}: {first['msg']} ({exc.error_count()} problem(s))")


def load_report(path: Path) -> Report:
    """A report written by mlaudit (`mlaudit.json`), validated against the current schema. The summary is counted
    again from the findings: it is derived data, and a hand-edited or truncated one must not mislead a renderer."""
    document = _read_json(path)
    if isinstance(document, dict) and "format_version" in document and "records" in document:
        raise UserError(
            f"{path} is an inventory snapshot, not a report", hint=f"evaluate it: `mlaudit evaluate {path}`"
        )
    if not isinstance(document, dict) or "schema_version" not in document or "findings" not in document:
        raise UserError(f"{path} is not an mlaudit report (no schema_version or findings)")
    _check_version(path, "report schema", str(document["schema_version"]), SCHEMA_VERSION)
    try:
        report = Report.model_validate(document)
    except ValidationError as exc:
        raise _invalid(path, "mlaudit report", exc) from exc
    checks = list(dict.fromkeys([*report.scan.checks_selected, *(c.id for c in report.checks)]))
    return report.model_copy(update={"summary": summarise(report.findings, checks)})


def save_inventory(inventory: Inventory, path: Path) -> None:
    """The inventory as a snapshot file, gzip-compressed when the name ends in .gz."""
    text = inventory.to_snapshot(__version__).model_dump_json()
    write_atomic(path, gzip.compress(text.encode("utf-8")) if path.suffix == ".gz" else text)


def load_inventory(path: Path) -> Inventory:
    """An inventory snapshot written by `mlaudit collect` (plain or gzip-compressed JSON)."""
    document = _read_json(path)
    if isinstance(document, dict) and "schema_version" in document and "findings" in document:
        raise UserError(
            f"{path} is a report, not an inventory snapshot",
            hint=f"reports are rendered with `mlaudit report --from {path}`; `mlaudit collect` writes snapshots",
        )
    if not isinstance(document, dict) or "format_version" not in document or "records" not in document:
        raise UserError(f"{path} is not an mlaudit inventory snapshot (no format_version or records)")
    _check_version(path, "inventory format", str(document["format_version"]), SNAPSHOT_FORMAT)
    try:
        return Inventory.from_snapshot(InventorySnapshot.model_validate(document), RECORD_TYPES)
    except ValidationError as exc:
        raise _invalid(path, "inventory snapshot", exc) from exc
    except ValueError as exc:
        raise UserError(f"{path} is not a valid inventory snapshot: {exc}") from exc


def load_baseline(path: Path) -> Baseline:
    """A baseline written by `mlaudit baseline create`: read, version-checked, then validated, like a report."""
    document = _read_json(path)
    if not isinstance(document, dict) or "version" not in document or "findings" not in document:
        raise UserError(
            f"{path} is not an mlaudit baseline (no version or findings)",
            hint="create one with `mlaudit baseline create`",
        )
    _check_version(path, "baseline version", str(document["version"]), str(BASELINE_VERSION))
    try:
        return Baseline.model_validate(document)
    except ValidationError as exc:
        raise _invalid(path, "mlaudit baseline", exc) from exc
