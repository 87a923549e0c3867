"""`mlaudit.ocsf.json`: OCSF 1.5 Detection Finding events (class 2004), one per finding, for security lakes.

Times are epoch milliseconds. `status_code` keeps mlaudit's verdict (PASS, FAIL, ERROR, MUTED); `status_id` maps
it onto OCSF's finding workflow: FAIL is New, PASS is Resolved, MUTED is Suppressed, ERROR is Other (99), whose
caption OCSF leaves to the source: `Error`. `metadata.uid` names the event (one scan's verdict on a finding) and
`finding_info.uid` the finding (the same in every scan). A MUTED event says why in `comment` (the suppression's
reason) and in `unmapped.suppression` (its source, the verdict it hides, reason, owner and expiry).

The events are built from what a report holds once (its time, its accounts' partitions) and written one per line
as they are built, so that 100,000 findings never exist twice in memory, as dictionaries or as text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any, TextIO

from mlaudit.core.taxonomy import Severity, Status
from mlaudit.renderers.options import RenderOptions
from mlaudit.report.findings import Finding, Suppression
from mlaudit.report.model import Report

OCSF_VERSION = "1.5.0"
DETECTION_FINDING = 2004
FINDINGS_CATEGORY = 2
CREATE_ACTIVITY = 1
AWS_ACCOUNT_TYPE = 10
SEVERITY_ID = {Severity.INFO: 1, Severity.LOW: 2, Severity.MEDIUM: 3, Severity.HIGH: 4, Severity.CRITICAL: 5}
SEVERITY_CAPTION = {severity: severity.value.capitalize() for severity in Severity}
STATUS = {
    Status.FAIL: (1, "New"),
    Status.PASS: (4, "Resolved"),
    Status.MUTED: (3, "Suppressed"),
    Status.ERROR: (99, "Error"),
}
ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def event_uid(scan_id: str, finding_id: str) -> str:
    """One scan's event about one finding (a digest of both ids, as long as a finding id): unique within the scan,
    and different in every other scan."""
    return hashlib.sha256(f"{scan_id}\x1f{finding_id}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


def event_time(report: Report) -> int:
    """Every event of a report happens when its scan finished, in epoch milliseconds."""
    return int(report.scan.finished_at.timestamp() * 1000)


def _suppression(suppression: Suppression) -> dict[str, Any]:
    return {
        "source": suppression.source,
        "muted_status": suppression.muted_status.value,
        "reason": suppression.reason,
        "owner": suppression.owner,
        "expires": suppression.expires.isoformat() if suppression.expires else None,
    }


class EventBuilder:
    """Builds a report's events: what every event shares is computed once, not once per finding."""

    def __init__(self, report: Report) -> None:
        self._scan_id = report.scan.id
        self._time = event_time(report)
        self._partitions = {a.account_id: a.partition for a in report.accounts}
        self._product = {"name": "mlaudit", "vendor_name": "mlaudit", "version": report.tool.version}

    def event(self, finding: Finding) -> dict[str, Any]:
        time = self._time
        status_id, status = STATUS[finding.status]
        event: dict[str, Any] = {
            "activity_id": CREATE_ACTIVITY,
            "activity_name": "Create",
            "category_uid": FINDINGS_CATEGORY,
            "category_name": "Findings",
            "class_uid": DETECTION_FINDING,
            "class_name": "Detection Finding",
            "type_uid": DETECTION_FINDING * 100 + CREATE_ACTIVITY,
            "type_name": "Detection Finding: Create",
            "time": time,
            "severity_id": SEVERITY_ID[finding.severity],
            "severity": SEVERITY_CAPTION[finding.severity],
            "status_id": status_id,
            "status": status,
            "status_code": finding.status.value,
            "status_detail": finding.status_detail,
            "message": f"{finding.title}: {finding.status_detail}",
            "metadata": {
                "version": OCSF_VERSION,
                "product": self._product,
                "event_code": finding.check_id,
                "uid": event_uid(self._scan_id, finding.id),
                "profiles": ["cloud"],
            },
            "finding_info": {
                "uid": finding.id,
                "title": finding.title,
                "desc": finding.status_detail,
                "types": [finding.pillar.value],
                "created_time": time,
                "first_seen_time": time,
                "last_seen_time": time,
            },
            "cloud": {
                "provider": "AWS",
                "region": finding.region,
                "account": {
                    "uid": finding.account_id,
                    "name": finding.account_id,
                    "type": "AWS Account",
                    "type_id": AWS_ACCOUNT_TYPE,
                },
            },
            "resources": [
                {
                    "uid": finding.resource_arn,
                    "name": finding.resource_name,
                    "type": finding.resource_type,
                    "region": finding.region,
                    "cloud_partition": self._partitions.get(finding.account_id, "aws"),
                    "group": {"name": finding.service},
                }
            ],
            "remediation": {
                "desc": finding.remediation.text,
                "references": [finding.remediation.url] + [r.url for r in finding.references],
            },
            "unmapped": {
                "check_id": finding.check_id,
                "check_name": finding.check_name,
                "references": [r.id for r in finding.references],
            },
        }
        if finding.suppression is not None:
            event["comment"] = finding.suppression.reason
            event["unmapped"]["suppression"] = _suppression(finding.suppression)
        return event


def ocsf_events(report: Report) -> Iterator[dict[str, Any]]:
    """The report's events, one per finding, in the report's order."""
    builder = EventBuilder(report)
    return (builder.event(f) for f in report.findings)


def write_ocsf(report: Report, _options: RenderOptions, out: TextIO) -> None:
    """A JSON array with one event per line, written as each event is built."""
    out.write("[")
    separator = "\n"
    for event in ocsf_events(report):
        out.write(separator)
        out.write(ENCODER.encode(event))
        separator = ",\n"
    out.write("\n]\n")
