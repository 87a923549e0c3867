"""What a run was asked to do: the command line, the environment and the configuration file, merged with
command line > environment > file > defaults, and checked against the catalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from mlaudit.catalog.loader import Catalog
from mlaudit.cli.common import parse_since, split_list
from mlaudit.cli.options import DEFAULTS
from mlaudit.collect.accounts.assume import DEFAULT_SESSION_NAME, RoleSpec
from mlaudit.collect.accounts.organization import AccountFilter
from mlaudit.collect.accounts.targets import AccountSelection
from mlaudit.config.file import LoadedConfig, find_config, load_config, load_suppressions_file
from mlaudit.config.settings import parse_assignments, resolve_setting
from mlaudit.core.errors import UserError
from mlaudit.core.taxonomy import Severity
from mlaudit.gating.suppression import LabelledRule

LIST_OPTIONS = frozenset({"regions", "checks", "exclude_checks", "checks_dirs", "accounts", "exclude_accounts", "ou"})


@dataclass
class Request:
    values: dict[str, Any]
    config: LoadedConfig | None
    sources: dict[str, str] = field(default_factory=dict)
    """Where each option's value came from: command line, environment, file or default."""

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)

    @property
    def severity(self) -> Severity | None:
        return Severity(self.values["severity"]) if self.values.get("severity") else None

    @property
    def since_days(self) -> int:
        return parse_since(self.values.get("since") or DEFAULTS["since"])

    @cached_property
    def suppression_sources(self) -> list[LoadedConfig]:
        """The configuration file and the separate suppressions file, each with its own line numbers (read once)."""
        sources = [self.config] if self.config is not None else []
        if self["suppressions_file"]:
            sources.append(load_suppressions_file(Path(self["suppressions_file"])))
        return sources

    @property
    def account_selection(self) -> AccountSelection:
        """The accounts to scan (default: the credentials' own)."""
        return AccountSelection(
            role_arn=self["role_arn"],
            org=bool(self["org"]),
            role_name=self["role_name"],
            role=RoleSpec(
                external_id=self["external_id"], session_name=self["role_session_name"] or DEFAULT_SESSION_NAME
            ),
            filter=AccountFilter(
                accounts=self["accounts"] or (), exclude_accounts=self["exclude_accounts"] or (), ous=self["ou"] or ()
            ),
        )


def _file_value(config: LoadedConfig | None, name: str) -> Any:
    if config is None:
        return None
    value = getattr(config.config, name, None)
    if value is None:
        return None
    if name in ("output_dir", "baseline", "suppressions_file"):
        return (config.path.parent / value) if not Path(value).is_absolute() else Path(value)
    if name == "checks_dirs":
        return [config.path.parent / d if not Path(d).is_absolute() else Path(d) for d in value]
    if name == "formats":
        return ",".join(value)
    if name == "severity":
        return value.value
    return value


def resolve_request(ctx: click.Context, params: dict[str, Any]) -> Request:
    """Merge the sources of every option of the current command."""
    path = find_config(params.get("config_path"))
    config = load_config(path) if path else None
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, given in params.items():
        source = ctx.get_parameter_source(name)
        from_file = _file_value(config, name)
        if source in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT):
            values[name], sources[name] = (
                given,
                "command line" if source is ParameterSource.COMMANDLINE else "environment",
            )
        elif from_file is not None:
            values[name], sources[name] = from_file, f"{config.path}" if config else "file"
        else:
            values[name], sources[name] = DEFAULTS.get(name, given), "default"
        if name in LIST_OPTIONS:
            values[name] = (
                split_list([str(v) for v in values[name] or ()])
                if name != "checks_dirs"
                else [Path(v) for v in values[name] or ()]
            )
    return Request(values, config, sources)


def _check_in_file(catalog: Catalog, config: LoadedConfig, key: str, *loc: Any) -> None:
    try:
        catalog.resolve([key], option="check")
    except UserError as exc:
        raise UserError(f"{config.where(*loc)}: {exc}", hint=exc.hint) from None


def validate_file_checks(request: Request, catalog: Catalog) -> None:
    """Check ids, names and globs in the configuration and suppressions files must name checks that exist."""
    if request.config is not None:
        for option in ("checks", "exclude_checks"):
            for index, key in enumerate(getattr(request.config.config, option) or []):
                _check_in_file(catalog, request.config, key, option, index)
    for source in request.suppression_sources:
        for index, rule in enumerate(source.config.suppressions):
            if rule.check:
                _check_in_file(catalog, source, rule.check, "suppressions", index, "check")


def effective_settings(request: Request, catalog: Catalog) -> dict[str, dict[str, Any]]:
    """Per-check settings from the file, then `--set` on top."""
    settings: dict[str, dict[str, Any]] = {}
    if request.config is not None:
        for check_key, values in request.config.config.settings.items():
            for name, value in (values or {}).items():
                where = request.config.where("settings", check_key, name)
                check_id, name, typed = resolve_setting(catalog, check_key, name, value, where)
                settings.setdefault(check_id, {})[name] = typed
    for check_id, values in parse_assignments(catalog, request["assignments"] or ()).items():
        settings.setdefault(check_id, {}).update(values)
    return settings


def suppression_rules(request: Request) -> list[LabelledRule]:
    return [
        LabelledRule(source.where("suppressions", index), rule)
        for source in request.suppression_sources
        for index, rule in enumerate(source.config.suppressions)
    ]
