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
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class SuppressionRule(_Strict):
    """Mutes matching findings (they stay in every report as MUTED, with the reason)."""

    finding_id: str | None = None
    """a finding's id from mlaudit.json, instead of a check"""
    check: str | None = Field(None, examples=["SM-ENDPOINT-002"])
    """a check id, name or glob; or finding_id: <id from mlaudit.json>"""
    accounts: list[str] = Field(default_factory=list)
    regions: list[str] = Field(default_factory=list, examples=[["eu-west-1"]])
    """optional: accounts, regions, resources and tags narrow it"""
    resources: list[str] = Field(default_factory=list, examples=[["*:endpoint/recs-*"]])
    """ARN or resource-name globs"""
    tags: dict[str, str] = Field(default_factory=dict)
    """tag keys and value patterns the resource must all carry"""
    reason: str = Field(min_length=1, examples=["Single-instance endpoint accepted for the recommendations pilot"])
    """required"""
    expires: date | None = Field(None, examples=[date(2027, 3, 31)])
    """after this date the finding fails again, with a warning"""
    owner: str | None = Field(None, examples=["recs-team@example.com"])

    @model_validator(mode="after")
    def _targets_something(self) -> SuppressionRule:
        if not self.finding_id and not self.check:
            raise ValueError("a suppression needs a finding_id or a check")
        return self


LIST_OPTIONS = ("regions", "checks", "exclude_checks", "checks_dirs", "accounts", "exclude_accounts", "ou", "formats")
"""Options that take several values: a YAML list, or one comma-separated string as on the command line."""


class ConfigFile(_Strict):
    """Every option of `scan`, `collect` and `evaluate` (the command line's names, with underscores), per-check
    settings and suppressions. Each field's docstring and example make the starter file `mlaudit init` writes."""

    profile: str | None = Field(None, examples=["prod"])
    """AWS profile (default: AWS_PROFILE, then the default credential chain)"""
    regions: list[str] | None = Field(None, examples=[["us-east-1", "eu-west-1"]])
    """default: every enabled region where SageMaker is offered"""
    endpoint_url: str | None = Field(None, examples=["http://localhost:5000"])
    """send every AWS call to this URL (an emulator)"""
    since: str | None = Field(None, examples=["90d"])
    """lookback window for jobs and endpoint metrics: days or a date"""
    max_workers: int | None = Field(None, ge=1, le=256, examples=[16])
    """concurrent AWS calls, shared by every account and region"""
    max_calls_per_service: int | None = Field(None, ge=1, le=256, examples=[4])
    """concurrent calls to one service in one account and region"""
    processes: int | None = Field(None, ge=1, le=64, examples=[4])
    """worker processes collecting the regions (large estates, spare cores)"""
    role_arn: str | None = Field(None, examples=["arn:aws:iam::111122223333:role/mlaudit-readonly"])
    """scan the account of this role, assumed from the base credentials"""
    org: bool | None = Field(None, examples=[True])
    """every ACTIVE account (run from the management or a delegated account)"""
    role_name: str | None = Field(None, examples=["mlaudit-readonly"])
    """with org: the role assumed in every account"""
    ou: list[str] | None = Field(None, examples=[["ou-ab12-cd34ef56"]])
    """with org: only the accounts under these OUs, recursively"""
    accounts: list[str] | None = Field(None, examples=[["1111*"]])
    """with org: only these account ids or globs"""
    exclude_accounts: list[str] | None = Field(None, examples=[["222222222222"]])
    """with org: not these accounts"""
    external_id: str | None = Field(None, examples=["acme-audit"])
    """passed when assuming the role"""
    role_session_name: str | None = Field(None, examples=["mlaudit"])
    shard: str | None = Field(None, examples=["1/4"])
    """this job's share of the (account, region) units; `mlaudit merge` the reports"""
    checks: list[str] | None = Field(None, examples=[["SM-ENDPOINT-*", "S3-ML-*"]])
    """run only these (ids, names or globs); default: every check not opt-in"""
    exclude_checks: list[str] | None = Field(None, examples=[["training-without-spot"]])
    severity: Severity | None = Field(None, examples=["low"])
    """run only checks at or above this severity"""
    checks_dirs: list[str] | None = Field(None, examples=[["./acme-checks"]])
    """more checks, from the *.py files of these directories"""
    formats: list[str] | None = Field(None, examples=[["json", "html", "sarif", "md"]])
    """report formats: json, html, jsonl, csv, sarif, junit, md, ocsf, ocsf-parquet, asff"""
    output_dir: str | None = Field(None, examples=["mlaudit-reports"])
    """where the reports are written (relative to this file)"""
    sarif_anchor: str | None = Field(None, examples=[".mlaudit.yaml"])
    """the repository file SARIF results point at"""
    sarif_category: str | None = Field(None, examples=["mlaudit"])
    """the code scanning category of the SARIF run: one per scan scope, the same in every run"""
    csv_bom: bool | None = Field(None, examples=[True])
    """start mlaudit.csv with a UTF-8 byte-order mark (for Excel)"""
    fail_on: FailOn | None = Field(None, examples=["high"])
    """exit 1 on an unmuted FAIL at or above this severity (none: never)"""
    fail_on_error: bool | None = Field(None, examples=[True])
    """exit 3 when the scan is incomplete (ERROR findings)"""
    exit_zero: bool | None = Field(None, examples=[True])
    """always exit 0 after a completed run (report only)"""
    baseline: str | None = Field(None, examples=[".mlaudit-baseline.json"])
    """mute the findings recorded by `mlaudit baseline create`"""
    suppressions_file: str | None = Field(None, examples=["suppressions.yaml"])
    """more suppressions in a file of their own (`suppressions:` only), e.g. owned by the security team"""
    settings: dict[str, dict[str, Any]] = Field(default_factory=dict, examples=[{"SM-ENDPOINT-007": {"idle_days": 30}}])
    """Per-check settings, by check id or name (`mlaudit explain CHECK` lists each check's settings and defaults)"""
    suppressions: list[SuppressionRule] = Field(default_factory=list)
    """Accepted risks: muted findings stay in every report as MUTED, with the reason"""

    @field_validator("since", mode="before")
    @classmethod
    def _since_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator(*LIST_OPTIONS, mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        """A comma-separated string is a list, as on the command line and in MLAUDIT_ variables; YAML reads an
        unquoted account id as a number."""
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        items = value if isinstance(value, list) else [value] if isinstance(value, int) else None
        return (
            [str(item) if isinstance(item, int) and not isinstance(item, bool) else item for item in items]
            if items is not None
            else value
        )


STARTER_SECTIONS = {
    "profile": "Where to scan",
    "role_arn": "Other accounts (docs/scale.md): one role, or every account of the organization through a role of one name",
    "checks": "Which checks run (`mlaudit list-checks`)",
    "formats": "Reports",
    "fail_on": "When the run fails",
}
"""The first field of each section of the starter file, and its heading."""
STARTER_SET = frozenset({"formats", "output_dir", "fail_on", "fail_on_error"})
"""Options the starter sets (with its example); the others are commented out."""
STARTER_HEADER = """\
# mlaudit configuration. Every option can also be given on the command line (which wins) or as an
# MLAUDIT_<OPTION> environment variable (which wins over this file); list options also take one
# comma-separated string. Written by `mlaudit init` from the configuration model: every option is here.
"""
COMMENT_COLUMN = 37


def _yaml(value: Any) -> str:
    return (
        yaml.safe_dump(value, default_flow_style=None, sort_keys=False, width=200).strip().removesuffix("...").strip()
    )


def _commented(line: str, description: str | None, active: bool) -> str:
    text = line if active else f"# {line}"
    return f"{text:<{COMMENT_COLUMN - 2}}  # {description}" if description else text


def _suppression_example() -> list[str]:
    """One suppression, each key with its description."""
    examples = [
        (name, info.examples[0], info.description)
        for name, info in SuppressionRule.model_fields.items()
        if info.examples
    ]
    lines = [
        _commented(f"{'-' if index == 0 else ' '} {name}: {_yaml(example)}", description, False)
        for index, (name, example, description) in enumerate(examples)
    ]
    return ["# suppressions:", *(f"#   {line.removeprefix('# ')}" for line in lines)]


def starter() -> str:
    """The commented starter configuration, one line per option of `ConfigFile`, in the model's order."""
    lines = [STARTER_HEADER.rstrip("\n")]
    for name, info in ConfigFile.model_fields.items():
        if name in STARTER_SECTIONS:
            lines += ["", f"# {STARTER_SECTIONS[name]}"]
        example = info.examples[0] if info.examples else None
        if name == "settings":
            lines += ["", f"# {info.description}:", "# settings:"]
            block = yaml.safe_dump(example, default_flow_style=False, sort_keys=False)
            lines += [f"#   {line}" for line in block.splitlines()]
        elif name == "suppressions":
            lines += ["", f"# {info.description}:", *_suppression_example()]
        else:
            lines.append(_commented(f"{name}: {_yaml(example)}", info.description, name in STARTER_SET))
    return "\n".join(lines) + "\n"


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


def _read_text(path: Path) -> str:
    """The file's text; a file that is not UTF-8 (a Latin-1 comment, a binary file) is named with the line and the
    byte offset of the first byte that is not."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            hint="save the file as UTF-8",
        ) from None


def load_config(path: Path) -> LoadedConfig:
    text = _read_text(path)
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
