"""A check: one small pure function over the inventory, declared once with all of its metadata.

    @check(id="SM-NOTEBOOK-001", name="notebook-direct-internet-access", resource=NotebookInstance, ...)
    def notebook_direct_internet_access(notebook: NotebookInstance, ctx: CheckContext) -> Outcome | None:
        ...

The function is called once per record of `resource` (a record type, or a tuple of them for a check that
judges several kinds of resource alike) and returns `passed(...)`, `failed(...)` or None (not applicable). It reads other parts only through `ctx`, and must list them in `uses`: that is how a scan knows
what to collect. The docs, `mlaudit explain` and every report read the same metadata.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mlaudit.core.taxonomy import Pillar, Severity
from mlaudit.inventory import Record
from mlaudit.sdk.references import CheckReference
from mlaudit.sdk.wording import arn_resource_id

if TYPE_CHECKING:
    from mlaudit.sdk.context import CheckContext
    from mlaudit.sdk.outcome import Outcome

CHECK_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-\d{3}$")
CHECK_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


FindingValue = Literal["resource_name", "resource_arn", "resource_id", "region", "account_id"]
"""The values of a finding a remediation command can be filled with; `resource_id` is what follows the ARN's last
`/` or `:` (a Studio domain's `d-...`, a security group's `sg-...`)."""


class ResourceValues(Protocol):
    """What a command is filled from: a finding's resource (`mlaudit.report.findings.Finding`)."""

    @property
    def resource_name(self) -> str: ...
    @property
    def resource_arn(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def account_id(self) -> str: ...


class Remediation(BaseModel):
    """How to fix a failing resource: what to change, how (console path or CLI), and where to read more."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    url: str
    cli: str | None = None
    """An AWS CLI command, with <placeholders> for the resource's values."""
    placeholders: dict[str, FindingValue] = Field(default_factory=dict)
    """Which `<placeholder>` of `cli` is which value of the finding (`{"role": "resource_name"}`), so that a report
    shows each finding its own command. Only placeholders that stand for the judged resource itself, outside
    quotes: a value is inserted shell-quoted, which a quoted string would not undo."""

    @model_validator(mode="after")
    def _placeholders_in_command(self) -> Remediation:
        for name in self.placeholders:
            if f"<{name}>" not in (self.cli or ""):
                raise ValueError(f"the command has no <{name}> to fill")
            if any(_quoted(self.cli or "", at) for at in _occurrences(self.cli or "", f"<{name}>")):
                raise ValueError(f"<{name}> is inside quotes, where a shell-quoted value would be wrong")
        return self

    def command_for(self, resource: ResourceValues) -> str | None:
        """The command with this resource's values in place of its placeholders, each quoted for a POSIX shell
        (`shlex.quote`); None without a command."""
        if self.cli is None:
            return None
        command = self.cli
        for name, value in self.placeholders.items():
            filled = arn_resource_id(resource.resource_arn) if value == "resource_id" else getattr(resource, value)
            command = command.replace(f"<{name}>", shlex.quote(filled))
        return command


def _occurrences(text: str, part: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(part), text)]


def _quoted(command: str, at: int) -> bool:
    """Whether position `at` of a shell command is inside single or double quotes."""
    quote = ""
    for char in command[:at]:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
    return bool(quote)


class Setting(BaseModel):
    """A threshold or allow-list a user can override per check. A number declares the range it may take
    (`minimum`, `maximum`), a number of days the check looks back declares `lookback` (the scan must have read that
    far back: `--since`), a word declares its `choices`. A value out of range is a one-line error before any AWS
    call."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None
    lookback: bool = False
    """The value is a number of days back from the scan: at least 1, and at most the scan's window (`--since`)."""
    choices: tuple[str, ...] = ()
    """The words a text setting may be (compared without regard to case)."""

    @model_validator(mode="before")
    @classmethod
    def _lookback_starts_at_one_day(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("lookback") and data.get("minimum") is None:
            return {**data, "minimum": 1}
        return data

    @model_validator(mode="after")
    def _default_in_range(self) -> Setting:
        problem = self.out_of_range(self.default)
        if problem:
            raise ValueError(f"the default {problem}")
        return self

    def out_of_range(self, value: Any) -> str | None:
        """Why a (typed) value is outside the declared range, or None."""
        if self.choices and isinstance(value, str):
            return None if value.upper() in {c.upper() for c in self.choices} else f"{value!r} is not {self.bounds}"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        if self.minimum is not None and value < self.minimum:
            return f"{value:g} is below the minimum, {self.minimum:g}"
        if self.maximum is not None and value > self.maximum:
            return f"{value:g} is above the maximum, {self.maximum:g}"
        return None

    @property
    def bounds(self) -> str:
        """The range, for `mlaudit explain` and the docs (empty when there is none)."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.minimum is not None and self.maximum is not None:
            text = f"{self.minimum:g} to {self.maximum:g}"
        elif self.minimum is not None:
            text = f"at least {self.minimum:g}"
        elif self.maximum is not None:
            text = f"at most {self.maximum:g}"
        else:
            text = ""
        return f"{text}, within --since" if self.lookback else text


class CheckMetadata(BaseModel):
    """Everything about a check except its logic; serialisable for `list-checks --format json` and the docs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=CHECK_ID.pattern)
    name: str = Field(pattern=CHECK_NAME.pattern)
    title: str = Field(min_length=1)
    severity: Severity
    pillar: Pillar
    service: str
    resource_type: str
    """The CloudFormation type of the resources judged (comma-separated when there are several)."""
    rationale: str = Field(min_length=1)
    judges: str = ""
    """Which resources and states the check judges, and which it leaves alone (no finding): endpoints failed or
    scaled to zero, keys pending deletion, serverless variants... so that a verdict can be predicted from the docs."""
    remediation: Remediation
    references: tuple[CheckReference, ...] = ()
    parts: tuple[str, ...]
    """Inventory parts the check reads, its own resource's part first."""
    settings: dict[str, Setting] = Field(default_factory=dict)
    opt_in: bool = False
    """Off unless selected explicitly."""
    source: str = ""
    """Where the check was loaded from: `builtin`, an entry point, or a file."""


CheckFunction = Callable[[Any, "CheckContext"], "Outcome | None"]


@dataclass(frozen=True)
class Check:
    metadata: CheckMetadata
    resources: tuple[type[Record], ...]
    """The parts whose records the check judges, one call per record."""
    uses: tuple[type[Record], ...]
    function: CheckFunction = field(repr=False)

    @property
    def id(self) -> str:
        return self.metadata.id

    @property
    def name(self) -> str:
        return self.metadata.name

    @property
    def needs(self) -> tuple[type[Record], ...]:
        return (*self.resources, *self.uses)

    def with_source(self, source: str) -> Check:
        return Check(self.metadata.model_copy(update={"source": source}), self.resources, self.uses, self.function)


def check(
    *,
    id: str,  # noqa: A002 - the domain's word
    name: str,
    title: str,
    severity: Severity,
    pillar: Pillar,
    resource: type[Record] | tuple[type[Record], ...],
    rationale: str,
    remediation: Remediation,
    judges: str = "",
    references: tuple[CheckReference, ...] = (),
    uses: tuple[type[Record], ...] = (),
    settings: dict[str, Setting] | None = None,
    opt_in: bool = False,
    service: str | None = None,
) -> Callable[[CheckFunction], Check]:
    """Declare a check. The decorated function becomes a `Check`; the loader finds it by type, not by import
    side effects. `service` defaults to the resource's; region and account checks name the service they judge."""

    resources = resource if isinstance(resource, tuple) else (resource,)

    def wrap(function: CheckFunction) -> Check:
        metadata = CheckMetadata(
            id=id,
            name=name,
            title=title,
            severity=severity,
            pillar=pillar,
            service=service or resources[0].service,
            resource_type=", ".join(dict.fromkeys(t.resource_type for t in resources)),
            rationale=" ".join(rationale.split()),
            judges=" ".join(judges.split()),
            remediation=remediation,
            references=references,
            parts=tuple(t.part for t in (*resources, *uses)),
            settings=settings or {},
            opt_in=opt_in,
        )
        return Check(metadata, resources, tuple(uses), function)

    return wrap
