"""Reports built directly from findings, for renderer tests that need a precise or hostile content."""

from __future__ import annotations

from datetime import UTC, datetime

from mlaudit.catalog.loader import load_catalog
from mlaudit.core.taxonomy import Status
from mlaudit.evaluate import Location, new_finding
from mlaudit.inventory import AccountInfo
from mlaudit.report.findings import Finding
from mlaudit.report.model import CallStatistics, Report, ScanInfo, ScanStatus, sort_findings, summarise

CHECK = load_catalog(include_entry_points=False).checks[0].metadata


def finding(name: str, status: Status = Status.FAIL, detail: str = "detail", region: str = "us-east-1") -> Finding:
    arn = f"arn:aws:sagemaker:{region}:123456789012:endpoint/{name}"
    return new_finding(CHECK, status, detail, Location("123456789012", region, arn, name))


def report_of(findings: list[Finding], status: ScanStatus = ScanStatus.COMPLETE) -> Report:
    now = datetime.now(UTC)
    return Report(
        scan=ScanInfo(
            id="test-scan",
            started_at=now,
            finished_at=now,
            status=status,
            profile=None,
            regions=["us-east-1"],
            checks_selected=[CHECK.id],
            since=now,
            settings={},
            errors=[],
            statistics=CallStatistics(),
        ),
        accounts=[AccountInfo(account_id="123456789012")],
        summary=summarise(findings, [CHECK.id]),
        checks=[CHECK],
        findings=sort_findings(findings),
    )
