"""Per-check settings (thresholds, allow-lists) overridden by the user, validated against each check's declared
defaults: `--set SM-ENDPOINT-007.idle_days=30`, or the same values from a configuration file."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from mlaudit.catalog.loader import Catalog
from mlaudit.core.errors import UserError
from mlaudit.sdk import Setting

TRUE = frozenset({"true", "yes", "on", "1"})
FALSE = frozenset({"false", "no", "off", "0"})


def _type_name(default: Any) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, int):
        return "an integer"
    if isinstance(default, float):
        return "a number"
    if isinstance(default, (list, tuple)):
        return "a comma-separated list"
    return "text"


def coerce(where: str, setting: Setting, value: Any) -> Any:
    """`value` (text from the command line, or a YAML value) as the type of the setting's default, within the
    setting's bounds."""
    typed = _typed(where, setting, value)
    low, high = setting.minimum, setting.maximum
    if (low is not None and typed < low) or (high is not None and typed > high):
        raise UserError(f"{where}: expected a value {setting.bounds()}, got {value!r}")
    return typed


def _typed(where: str, setting: Setting, value: Any) -> Any:
    default = setting.default
    try:
        if isinstance(default, bool):
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in TRUE | FALSE:
                return text in TRUE
            raise ValueError
        if isinstance(default, int):
            if isinstance(value, bool) or (not isinstance(value, int) and not str(value).strip().lstrip("-").isdigit()):
                raise ValueError
            return int(value)
        if isinstance(default, float):
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        if isinstance(default, (list, tuple)):
            items = value.split(",") if isinstance(value, str) else list(value)
            return tuple(str(item).strip() for item in items if str(item).strip())
        return str(value)
    except (TypeError, ValueError):
        raise UserError(f"{where}: expected {_type_name(default)}, got {value!r}") from None


def resolve_setting(catalog: Catalog, check_key: str, name: str, value: Any, where: str) -> tuple[str, str, Any]:
    """(check id, setting name, typed value), or a UserError naming what is wrong and what would be right."""
    check = catalog.find(check_key)
    if check is None:
        catalog.resolve([check_key], option=where)  # raises, with suggestions
        raise AssertionError("unreachable")
    settings = check.metadata.settings
    if name not in settings:
        close = difflib.get_close_matches(name, list(settings), n=1)
        known = ", ".join(settings) or "none"
        hint = f"did you mean {close[0]}?" if close else f"{check.id} has settings: {known}"
        raise UserError(f"{where}: {check.id} has no setting {name!r}", hint=hint)
    return check.id, name, coerce(f"{where}: {check.id}.{name}", settings[name], value)


def parse_assignments(catalog: Catalog, assignments: Iterable[str]) -> dict[str, dict[str, Any]]:
    """`CHECK.setting=value` strings (check by id or name) as {check id: {setting: value}}."""
    overrides: dict[str, dict[str, Any]] = {}
    for assignment in assignments:
        target, sep, value = assignment.partition("=")
        check_key, dot, name = target.strip().rpartition(".")
        if not sep or not dot or not check_key or not name:
            raise UserError(f"--set {assignment!r}: expected CHECK.setting=value, e.g. SM-ENDPOINT-007.idle_days=30")
        check_id, name, typed = resolve_setting(catalog, check_key, name, value.strip(), "--set")
        overrides.setdefault(check_id, {})[name] = typed
    return overrides
