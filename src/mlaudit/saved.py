"""Reading a saved report back, with one clear sentence for every way the file can be wrong."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from mlaudit.errors import UserError
from mlaudit.report import SCHEMA_VERSION, Report


def _major(version: str) -> int:
    try:
        return int(version.split(".", 1)[0])
    except ValueError:
        return -1


def load_report(path: Path) -> Report:
    """A report written by mlaudit (`mlaudit.json`), validated against the current schema."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{path} is not valid JSON ({exc})") from exc
    if not isinstance(document, dict) or "schema_version" not in document or "findings" not in document:
        raise UserError(f"{path} is not an mlaudit report (no schema_version or findings)")
    version = str(document["schema_version"])
    if _major(version) > _major(SCHEMA_VERSION):
        raise UserError(f"{path} has report schema {version}, newer than this mlaudit reads ({SCHEMA_VERSION})", hint="upgrade mlaudit")
    if _major(version) < _major(SCHEMA_VERSION):
        raise UserError(f"{path} has report schema {version}, older than this mlaudit reads ({SCHEMA_VERSION})")
    try:
        return Report.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise UserError(f"{path} is not a valid mlaudit report: {where}: {first['msg']} ({exc.error_count()} problem(s))") from exc
