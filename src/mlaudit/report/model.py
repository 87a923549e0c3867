"""The scan result: what was scanned, how it went, and the findings. Serialised as `mlaudit.json`.

`schema_version` follows semver: a new field is a minor bump, a renamed or removed one a major bump. The JSON
Schema generated from these models is committed as `schema/mlaudit-report.schema.json`; its `$id` names the version.

- 1.3.0: the schema has a `$id` and constrains `schema_version` to its major version; `mlaudit.jsonl` writes
  `scan_started_at` as `mlaudit.json` writes times (`...Z`); `mlaudit.csv` has the suppression's reason, owner and
  expiry as columns.
- 1.2.0: `scan.skipped`, `scan.anomalies` and `scan.history`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import Enum
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from mlaudit import __version__
from mlaudit.core.taxonomy import Pillar, Severity, Status
from mlaudit.inventory import AccountInfo, ApiAnomaly, CollectionError, SkippedScope
from mlaudit.report.findings import Finding
from mlaudit.sdk import CheckMetadata

SCHEMA_VERSION = "1.3.0"
SCHEMA_ID = f"urn:mlaudit:report-schema:{SCHEMA_VERSION}"
"""The schema's `$id`: a name rather than an address, since the schema ships in the repository and the package."""
SCHEMA_VERSIONS_READ = rf"^{SCHEMA_VERSION.split('.', 1)[0]}\.[0-9]+\.[0-9]+$"
"""Every version of the same major: what this schema describes (a minor version only adds fields)."""


class ScanStatus(str, Enum):
    COMPLETE = "complete"
    PARTIAL = "partial"
    """Something could not be collected or evaluated: see `scan.errors` and the ERROR findings."""


class ToolInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = "mlaudit"
    version: str = __version__


class CallStatistics(BaseModel):
    model_config = ConfigDict(extra="forbid")

    api_calls: int = 0
    retries: int = 0
    throttles: int = 0
    by_operation: dict[str, int] = Field(default_factory=dict)


class HistoryBound(BaseModel):
    """How much of one part's history the scan read: what was created within the lookback window (`created_since`),
    or each `per` resource's `newest` records. Anything older is not in the report."""

    model_config = ConfigDict(extra="forbid")

    part: str
    label: str
    created_since: datetime | None = None
    newest: int | None = None
    per: str | None = None

    def describe(self) -> str:
        if self.newest is None:
            return f"{self.label} created since {self.created_since:%Y-%m-%d}"
        return f"{self.label}: the newest {self.newest} per {self.per}"


class ScanInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    started_at: datetime
    finished_at: datetime
    status: ScanStatus
    profile: str | None
    regions: list[str]
    checks_selected: list[str]
    since: datetime
    """Jobs created before this time were not collected (the lookback window)."""
    settings: dict[str, dict[str, Any]]
    """Every setting in force, by check id: the user's values, and the defaults of those not given."""
    errors: list[CollectionError]
    warnings: list[str] = Field(default_factory=list)
    """Things a person should know that are not findings: expired or unused suppressions, for example."""
    skipped: list[SkippedScope] = Field(default_factory=list)
    """Regions, or services in a region, not scanned, and why (1.2.0). Where nothing can exist (a region not
    enabled, a service not offered) checks report nothing; where the endpoint did not resolve, ERROR."""
    anomalies: list[ApiAnomaly] = Field(default_factory=list)
    """AWS answers that did not match the service model, each once with a count (1.2). The resources were kept,
    so they do not make the scan partial."""
    statistics: CallStatistics
    history: list[HistoryBound] = Field(default_factory=list)
    """The history bounds of the parts collected (1.2): older jobs and executions were not read."""


StatusCounts = dict[Status, int]


class Summary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    by_status: StatusCounts
    by_severity: dict[Severity, StatusCounts]
    by_pillar: dict[Pillar, StatusCounts]
    by_check: dict[str, StatusCounts]


class Report(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"$id": SCHEMA_ID})

    schema_version: str = Field(default=SCHEMA_VERSION, json_schema_extra={"pattern": SCHEMA_VERSIONS_READ})
    tool: ToolInfo = Field(default_factory=ToolInfo)
    scan: ScanInfo
    accounts: list[AccountInfo]
    summary: Summary
    checks: list[CheckMetadata]
    """The metadata of every selected check, so that a saved report renders without the catalog."""
    findings: list[Finding]


class SummaryCounter:
    """Counts findings as they come, so that a streamed scan is summarised without holding its findings."""

    def __init__(self, check_ids: Iterable[str]) -> None:
        self.check_ids = sorted(check_ids)
        self._counts: Counter[tuple[Status, Severity, Pillar, str]] = Counter()

    def add(self, finding: Finding) -> None:
        self._counts[(finding.status, finding.severity, finding.pillar, finding.check_id)] += 1

    def _by(self, index: int, value: object) -> StatusCounts:
        counts = dict.fromkeys(Status, 0)
        for key, n in self._counts.items():
            if key[index] == value:
                counts[key[0]] += n
        return counts

    def summary(self) -> Summary:
        """Counts by status, and by status within each severity, pillar and selected check (zeros included)."""
        return Summary(
            by_status={status: sum(n for key, n in self._counts.items() if key[0] is status) for status in Status},
            by_severity={s: self._by(1, s) for s in Severity},
            by_pillar={p: self._by(2, p) for p in Pillar},
            by_check={c: self._by(3, c) for c in self.check_ids},
        )


def summarise(findings: Iterable[Finding], check_ids: Iterable[str]) -> Summary:
    counter = SummaryCounter(check_ids)
    for finding in findings:
        counter.add(finding)
    return counter.summary()


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """FAIL first, then ERROR, MUTED, PASS; most severe first; then by check and resource."""
    status_order = {Status.FAIL: 0, Status.ERROR: 1, Status.MUTED: 2, Status.PASS: 3}
    return sorted(
        findings,
        key=lambda f: (status_order[f.status], -f.severity.rank, f.check_id, f.account_id, f.region, f.resource_arn),
    )


def with_findings(report: Report, findings: list[Finding], warnings: Sequence[str] = ()) -> Report:
    """The report with new findings (after suppressions or a baseline), its summary recomputed."""
    scan = report.scan.model_copy(update={"warnings": [*report.scan.warnings, *warnings]})
    return report.model_copy(
        update={
            "scan": scan,
            "findings": sort_findings(findings),
            "summary": summarise(findings, report.summary.by_check.keys()),
        }
    )


class Muter(Protocol):
    """Mutes accepted findings one at a time (suppressions, a baseline), then has warnings about its own rules."""

    def __call__(self, finding: Finding) -> Finding: ...

    def warnings(self) -> list[str]: ...


def mute(report: Report, muter: Muter) -> Report:
    findings = [muter(finding) for finding in report.findings]
    return with_findings(report, findings, muter.warnings())
