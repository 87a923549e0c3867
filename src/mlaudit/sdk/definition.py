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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from mlaudit.core.taxonomy import Pillar, Severity
from mlaudit.inventory import Record
from mlaudit.sdk.references import CheckReference

if TYPE_CHECKING:
    from mlaudit.sdk.context import CheckContext
    from mlaudit.sdk.outcome import Outcome

CHECK_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-\d{3}$")
CHECK_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Remediation(BaseModel):
    """How to fix a failing resource: what to change, how (console path or CLI), and where to read more."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    url: str
    cli: str | None = None
    """An AWS CLI command, with <placeholders> for the resource's values."""


class Setting(BaseModel):
    """A threshold or allow-list a user can override per check."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default: Any
    description: str
    minimum: float | None = None
    """The smallest value a numeric setting accepts (None: no bound); a value outside the bounds is a usage error."""
    maximum: float | None = None

    def bounds(self) -> str:
        """The accepted range, for people (`from 1 to 720`), or nothing for an unbounded setting."""
        low = f"from {self.minimum:g}" if self.minimum is not None else ""
        high = f"to {self.maximum:g}" if self.maximum is not None else ""
        return " ".join(part for part in (low, high) if part)


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
