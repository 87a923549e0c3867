"""`mlaudit.ocsf.json`: OCSF 1.5 Detection Finding events (class 2004), one per finding, for security lakes.

Times are epoch milliseconds. `status_code` keeps mlaudit's verdict (PASS, FAIL, ERROR, MUTED); `status_id` maps
it onto OCSF's finding workflow: FAIL is New, PASS is Resolved, MUTED is Suppressed, ERROR is Other.
"""

from __future__ import annotations

import json
from typing import Any

from mlaudit.core.taxonomy import Severity, Status
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report

OCSF_VERSION = "1.5.0"
DETECTION_FINDING = 2004
FINDINGS_CATEGORY = 2
CREATE_ACTIVITY = 1
AWS_ACCOUNT_TYPE = 10
SEVERITY_ID = {Severity.INFO: 1, Severity.LOW: 2, Severity.MEDIUM: 3, Severity.HIGH: 4, Severity.CRITICAL: 5}
STATUS = {
    Status.FAIL: (1, "New"),
    Status.PASS: (4, "Resolved"),
    Status.MUTED: (3, "Suppressed"),
    Status.ERROR: (99, "Error"),
}


def _milliseconds(report: Report) -> int:
    return int(report.scan.finished_at.timestamp() * 1000)


def ocsf_event(finding: Finding, report: Report) -> dict[str, Any]:
    time = _milliseconds(report)
    partition = next((a.partition for a in report.accounts if a.account_id == finding.account_id), "aws")
    status_id, status = STATUS[finding.status]
    return {
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
        "severity": finding.severity.value.capitalize(),
        "status_id": status_id,
        "status": status,
        "status_code": finding.status.value,
        "status_detail": finding.status_detail,
        "message": f"{finding.title}: {finding.status_detail}",
        "metadata": {
            "version": OCSF_VERSION,
            "product": {"name": "mlaudit", "vendor_name": "mlaudit", "version": report.tool.version},
            "event_code": finding.check_id,
            "uid": finding.id,
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
                "cloud_partition": partition,
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


def render_ocsf(report: Report) -> str:
    return json.dumps([ocsf_event(f, report) for f in report.findings], indent=1, ensure_ascii=False) + "\n"
