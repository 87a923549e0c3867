"""Baselines: today's failing findings, recorded so that CI fails only on new ones.

`mlaudit baseline create mlaudit.json -o .mlaudit-baseline.json` writes the failing finding ids (with enough
context for a person reading the file); `--baseline FILE` mutes exactly those. A finding that is fixed simply
stops failing, and the next baseline no longer holds it.
"""

from __future__ import annotations

from datetime import datetime, timezone

from pydantic import BaseModel, ConfigDict

from mlaudit.findings import Suppression
from mlaudit.report import Report, with_findings
from mlaudit.taxonomy import Status

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
        created_at=datetime.now(timezone.utc),
        scan_id=report.scan.id,
        findings=[
            BaselineEntry(id=f.id, check_id=f.check_id, account_id=f.account_id, region=f.region, resource_arn=f.resource_arn)
            for f in report.findings
            if f.status is Status.FAIL
        ],
    )


def apply_baseline(report: Report, baseline: Baseline, source: str) -> Report:
    known = {entry.id for entry in baseline.findings}
    reason = f"accepted in the baseline {source} (created {baseline.created_at:%Y-%m-%d})"
    findings = [
        f.model_copy(update={"status": Status.MUTED, "suppression": Suppression(source="baseline", muted_status=Status.FAIL, reason=reason)})
        if f.status is Status.FAIL and f.id in known
        else f
        for f in report.findings
    ]
    still = sum(f.status is Status.MUTED and f.suppression is not None and f.suppression.source == "baseline" for f in findings)
    warnings = [f"{len(known) - still} of {len(known)} baseline findings no longer fail: recreate the baseline to drop them"] if still < len(known) else []
    return with_findings(report, findings, warnings)
