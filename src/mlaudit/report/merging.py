"""`mlaudit merge`: one report from the reports of several scans (the shards of a fan-out, or separate accounts).

Findings are deduplicated by id (the same check on the same resource in the same account and region); when
two reports judged the same resource differently, a verdict wins over an ERROR. Accounts, regions, errors,
warnings, skipped scopes and checks are unions; call statistics and the counts of the same API anomaly add up; the
summary is recomputed; the scan is partial when any input was, or when the merged report holds an error.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from mlaudit.core.taxonomy import Status
from mlaudit.inventory import merge_anomalies
from mlaudit.report.findings import Finding
from mlaudit.report.model import SCHEMA_VERSION, CallStatistics, Report, ScanStatus, ToolInfo, sort_findings, summarise

T = TypeVar("T")


def _union(items: Iterable[T]) -> list[T]:
    return list(dict.fromkeys(items))


def _findings(reports: Sequence[Report]) -> list[Finding]:
    kept: dict[str, Finding] = {}
    for finding in (f for report in reports for f in report.findings):
        held = kept.get(finding.id)
        if held is None or (held.status is Status.ERROR and finding.status is not Status.ERROR):
            kept[finding.id] = finding
    return sort_findings(list(kept.values()))


def _statistics(reports: Sequence[Report]) -> CallStatistics:
    by_operation: dict[str, int] = {}
    for report in reports:
        for operation, count in report.scan.statistics.by_operation.items():
            by_operation[operation] = by_operation.get(operation, 0) + count
    return CallStatistics(
        api_calls=sum(r.scan.statistics.api_calls for r in reports),
        retries=sum(r.scan.statistics.retries for r in reports),
        throttles=sum(r.scan.statistics.throttles for r in reports),
        by_operation=dict(sorted(by_operation.items())),
    )


def _status(reports: Sequence[Report], errors: list[Any], findings: list[Finding]) -> ScanStatus:
    partial = (
        errors
        or any(r.scan.status is ScanStatus.PARTIAL for r in reports)
        or any(f.status is Status.ERROR for f in findings)
    )
    return ScanStatus.PARTIAL if partial else ScanStatus.COMPLETE


def _settings(reports: Sequence[Report]) -> dict[str, dict[str, object]]:
    """Each check's settings as the first report that has them says."""
    settings: dict[str, dict[str, object]] = {}
    for report in reversed(reports):
        settings.update(report.scan.settings)
    return settings


def _span(reports: Sequence[Report]) -> dict[str, Any]:
    """When the merged scans ran, and the history they cover."""
    return {
        "started_at": min(r.scan.started_at for r in reports),
        "finished_at": max(r.scan.finished_at for r in reports),
        "since": min(r.scan.since for r in reports),
    }


def _coverage(reports: Sequence[Report]) -> dict[str, Any]:
    """What the merged scans covered and noted, each item once."""
    return {
        "regions": sorted({region for r in reports for region in r.scan.regions}),
        "checks_selected": _union(check for r in reports for check in r.scan.checks_selected),
        "warnings": _union(warning for r in reports for warning in r.scan.warnings),
        "skipped": _union(scope for r in reports for scope in r.scan.skipped),
        "anomalies": merge_anomalies(anomaly for r in reports for anomaly in r.scan.anomalies),
    }


def merge_reports(reports: Sequence[Report]) -> Report:
    """One report covering everything the given reports cover (at least one)."""
    findings = _findings(reports)
    checks = list({meta.id: meta for report in reports for meta in report.checks}.values())
    errors = _union(error for report in reports for error in report.scan.errors)
    profiles = {r.scan.profile for r in reports}
    first = reports[0]
    scan = first.scan.model_copy(
        update={
            "id": str(uuid.uuid4()),
            "status": _status(reports, errors, findings),
            "profile": profiles.pop() if len(profiles) == 1 else None,
            "settings": _settings(reports),
            "errors": errors,
            "statistics": _statistics(reports),
            **_span(reports),
            **_coverage(reports),
        }
    )
    accounts = {a.account_id: a for r in reports for a in r.accounts}
    return first.model_copy(
        update={
            "schema_version": SCHEMA_VERSION,
            "tool": ToolInfo(),
            "scan": scan,
            "accounts": sorted(accounts.values(), key=lambda a: a.account_id),
            "summary": summarise(findings, [c.id for c in checks]),
            "checks": checks,
            "findings": findings,
        }
    )
