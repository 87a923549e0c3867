"""Baselines: today's failing findings, recorded so that CI fails only on new ones.

`mlaudit baseline create mlaudit.json -o .mlaudit-baseline.json` writes the failing finding ids (with enough
context for a person reading the file); `--baseline FILE` mutes exactly those. A finding that is fixed simply
stops failing, and the next baseline no longer holds it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

from mlaudit.core.taxonomy import Status
from mlaudit.report.findings import Finding, Suppression
from mlaudit.report.model import Report

BASELINE_VERSION = 1


class BaselineEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    check_id: str
    account_id: str
    region: str
    resource_arn: str


class Baseline(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = BASELINE_VERSION
    created_at: datetime
    scan_id: str
    findings: list[BaselineEntry]


def create_baseline(report: Report) -> Baseline:
    return Baseline(
        created_at=datetime.now(UTC),
        scan_id=report.scan.id,
        findings=[
            BaselineEntry(
                id=f.id, check_id=f.check_id, account_id=f.account_id, region=f.region, resource_arn=f.resource_arn
            )
            for f in report.findings
            if f.status is Status.FAIL
        ],
    )


class BaselineMuter:
    """Mutes the failing findings the baseline holds, one at a time; then says how many of them no longer fail."""

    def __init__(self, baseline: Baseline, source: str) -> None:
        self._known = {entry.id for entry in baseline.findings}
        self._reason = f"accepted in the baseline {source} (created {baseline.created_at:%Y-%m-%d})"
        self._still = 0

    def __call__(self, finding: Finding) -> Finding:
        if finding.status is not Status.FAIL or finding.id not in self._known:
            return finding
        self._still += 1
        suppression = Suppression(source="baseline", muted_status=Status.FAIL, reason=self._reason)
        return finding.model_copy(update={"status": Status.MUTED, "suppression": suppression})

    def warnings(self) -> list[str]:
        gone = len(self._known) - self._still
        if not gone:
            return []
        return [f"{gone} of {len(self._known)} baseline findings no longer fail: recreate the baseline to drop them"]
