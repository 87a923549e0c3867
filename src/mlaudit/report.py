"""The scan result: what was scanned, how it went, and the findings. Serialised as `mlaudit.json`.

`schema_version` follows semver: a new field is a minor bump, a renamed or removed one a major bump. The JSON
Schema generated from these models is committed as `schema/mlaudit-report.schema.json`.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from enum import Enum
from typing import Any, Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from mlaudit import __version__
from mlaudit.findings import Finding
from mlaudit.inventory import AccountInfo, ApiAnomaly, CollectionError
from mlaudit.sdk import CheckMetadata
from mlaudit.taxonomy import Pillar, Severity, Status

SCHEMA_VERSION = "1.2.0"


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
    """Check settings the user overrode, by check id (defaults are in `checks`)."""
    errors: list[CollectionError]
    warnings: list[str] = Field(default_factory=list)
    """Things a person should know that are not findings: expired or unused suppressions, for example."""
    anomalies: list[ApiAnomaly] = Field(default_factory=list)
    """AWS answers that did not match the service model, each once with a count (1.2). The resources were kept,
    so they do not make the scan partial."""
    statistics: CallStatistics


StatusCounts = dict[Status, int]


class Summary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    by_status: StatusCounts
    by_severity: dict[Severity, StatusCounts]
    by_pillar: dict[Pillar, StatusCounts]
    by_check: dict[str, StatusCounts]


class Report(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: str = SCHEMA_VERSION
    tool: ToolInfo = Field(default_factory=ToolInfo)
    scan: ScanInfo
    accounts: list[AccountInfo]
    summary: Summary
    checks: list[CheckMetadata]
    """The metadata of every selected check, so that a saved report renders without the catalog."""
    findings: list[Finding]


def _counts(findings: Iterable[Finding]) -> StatusCounts:
    counter = Counter(f.status for f in findings)
    return {status: counter.get(status, 0) for status in Status}


def summarise(findings: list[Finding], check_ids: Iterable[str]) -> Summary:
    """Counts by status, and by status within each severity, pillar and selected check (zeros included)."""
    return Summary(
        by_status=_counts(findings),
        by_severity={s: _counts(f for f in findings if f.severity is s) for s in Severity},
        by_pillar={p: _counts(f for f in findings if f.pillar is p) for p in Pillar},
        by_check={c: _counts(f for f in findings if f.check_id == c) for c in sorted(check_ids)},
    )


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
