"""The configuration file (`.mlaudit.yaml`): every scan option, per-check settings and suppressions.

Found as `--config FILE`, else `.mlaudit.yaml` in the working directory, else in the home directory. Validated
with pydantic; an unknown key, a wrong type or an unknown check id is one error line naming the file, the line
and the key, with a suggestion. Precedence (applied by the CLI): command line > environment > file > defaults.
"""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mlaudit.core.errors import UserError
from mlaudit.core.taxonomy import Severity

CONFIG_NAME = ".mlaudit.yaml"
FailOn = Literal["critical", "high", "medium", "low", "info", "none"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SuppressionRule(_Strict):
    """Mutes matching findings (they stay in every report as MUTED, with the reason)."""

    finding_id: str | None = None
    check: str | None = None
    """A check id, name or glob (SM-ENDPOINT-*)."""
    accounts: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list)
    resources: list[str] = Field(default_factory=list)
    """ARN or resource-name patterns (globs)."""
    tags: dict[str, str] = Field(default_factory=dict)
    """Tag keys and value patterns the resource must all carry."""
    reason: str = Field(min_length=1)
    expires: date | None = None
    owner: str | None = None

    @model_validator(mode="after")
    def _targets_something(self) -> SuppressionRule:
        if not self.finding_id and not self.check:
            raise ValueError("a suppression needs a finding_id or a check")
        return self


class ConfigFile(_Strict):
    profile: str | None = None
    regions: list[str] | None = None
    endpoint_url: str | None = None
    checks: list[str] | None = None
    exclude_checks: list[str] | None = None
    checks_dirs: list[str] | None = None
    severity: Severity | None = None
    since: str | None = None
    max_workers: int | None = Field(default=None, ge=1, le=256)
    max_calls_per_service: int | None = Field(default=None, ge=1, le=256)
    processes: int | None = Field(default=None, ge=1, le=64)
    role_arn: str | None = None
    org: bool | None = None
    role_name: str | None = None
    accounts: list[str] | None = None
    exclude_accounts: list[str] | None = None
    ou: list[str] | None = None
    """Organizational unit ids: only the accounts under them, recursively."""
    external_id: str | None = None
    role_session_name: str | None = None
    shard: str | None = None
    formats: list[str] | None = None
    output_dir: str | None = None
    sarif_anchor: str | None = None
    fail_on: FailOn | None = None
    fail_on_error: bool | None = None
    exit_zero: bool | None = None
    baseline: str | None = None
    suppressions_file: str | None = None
    """A separate YAML file of suppressions (`suppressions:` only), e.g. owned by the security team."""
    settings: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Per-check settings: {check id or name: {setting: value}}."""
    suppressions: list[SuppressionRule] = Field(default_factory=list)

    @field_validator("since", mode="before")
    @classmethod
    def _since_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("accounts", "exclude_accounts", mode="before")
    @classmethod
    def _account_ids_as_text(cls, value: Any) -> Any:
        """YAML reads an unquoted account id as a number."""
        return [str(item) if isinstance(item, int) else item for item in value] if isinstance(value, list) else value


class LoadedConfig:
    """A validated configuration file and where its keys are, for error messages."""

    def __init__(self, path: Path, config: ConfigFile, lines: dict[tuple[Any, ...], int]) -> None:
        self.path = path
        self.config = config
        self._lines = lines

    def where(self, *loc: Any) -> str:
        return f"{self.path}:{line_of(self._lines, loc)}"


def find_config(explicit: Path | None, cwd: Path | None = None, home: Path | None = None) -> Path | None:
    if explicit is not None:
        if not explicit.is_file():
            raise UserError(f"--config {explicit}: no such file")
        return explicit
    for directory in (cwd or Path.cwd(), home or Path.home()):
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _lines(node: yaml.Node, path: tuple[Any, ...], into: dict[tuple[Any, ...], int]) -> None:
    """The 1-based line of every key and item of a YAML document (a key's own line wins over its value's)."""
    into.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            into[(*path, key.value)] = key.start_mark.line + 1
            _lines(value, (*path, key.value), into)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _lines(item, (*path, index), into)


def line_of(lines: dict[tuple[Any, ...], int], loc: tuple[Any, ...]) -> int:
    """The line of the deepest known part of a location (a missing key is reported at its parent)."""
    for end in range(len(loc), -1, -1):
        if tuple(loc[:end]) in lines:
            return lines[tuple(loc[:end])]
    return 1


def _fields_at(loc: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel] = ConfigFile
    for part in loc[:-1]:
        if part == "suppressions":
            model = SuppressionRule
    return list(model.model_fields)


def load_config(path: Path) -> LoadedConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else {}
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise UserError(f"{path}{line}: not valid YAML ({problem})") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise UserError(f"{path}:1: the configuration must be a mapping of options (profile:, regions:, ...)")
    lines: dict[tuple[Any, ...], int] = {}
    if node is not None:
        _lines(node, (), lines)
    try:
        config = ConfigFile.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        key = ".".join(str(part) for part in loc)
        if error["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(loc[-1]), _fields_at(loc), n=1)
            hint = f"did you mean {close[0]}?" if close else "see `mlaudit init` for every option"
            raise UserError(f"{path}:{line_of(lines, loc)}: unknown key {key!r}", hint=hint) from exc
        raise UserError(f"{path}:{line_of(lines, loc)}: {key}: {error['msg']}") from exc
    return LoadedConfig(path, config, lines)


def load_suppressions_file(path: Path) -> LoadedConfig:
    """A file that holds only `suppressions:`, validated like the configuration file (errors name file and line)."""
    if not path.is_file():
        raise UserError(f"--suppressions {path}: no such file")
    loaded = load_config(path)
    others = sorted(loaded.config.model_fields_set - {"suppressions"})
    if others:
        raise UserError(f"{loaded.where(others[0])}: a suppressions file holds only `suppressions:`, not {others[0]!r}")
    return loaded
