"""`mlaudit.sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

Rules carry each check's metadata and a `security-severity` so GitHub ranks alerts. Only FAIL and MUTED findings
are results (MUTED ones carry an external suppression with the reason); ERROR findings become tool execution
notifications, since they are gaps in the scan rather than problems in the account. Cloud resources have no
file: every result points at the anchor file (`--sarif-anchor`, line 1) and names the resource's ARN as a
logical location; `partialFingerprints` carry the finding id so GitHub keeps results apart across runs.
"""

from __future__ import annotations

import json
from typing import Any

from mlaudit.core.taxonomy import Severity, Status
from mlaudit.renderers.options import DEFAULT_OPTIONS, RenderOptions
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report, ScanStatus
from mlaudit.sdk import CheckMetadata

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
MAX_RESULTS = 25_000
"""GitHub code scanning accepts at most 25,000 results per run."""
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}
LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
FINGERPRINT = "mlauditFindingId/v1"


def _rule(check: CheckMetadata) -> dict[str, Any]:
    references = "\n".join(f"- {r.type.value} {r.id}: {r.url}" for r in check.references)
    cli = f"\n\n```\n{check.remediation.cli}\n```" if check.remediation.cli else ""
    return {
        "id": check.id,
        "name": "".join(part.capitalize() for part in check.name.split("-")),
        "shortDescription": {"text": check.title},
        "fullDescription": {"text": check.rationale},
        "helpUri": check.remediation.url,
        "help": {
            "text": f"{check.rationale}\n\nHow to fix it: {check.remediation.text}\n{check.remediation.url}",
            "markdown": f"{check.rationale}\n\n**How to fix it.** {check.remediation.text}{cli}\n\n"
            f"[Documentation]({check.remediation.url})\n\n{references}",
        },
        "defaultConfiguration": {"level": LEVEL[check.severity]},
        "properties": {
            "tags": ["ml", check.pillar.value, check.service],
            "security-severity": SECURITY_SEVERITY[check.severity],
            "precision": "high",
        },
    }


def _result(finding: Finding, rule_index: int, anchor: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.check_id,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": LEVEL[finding.severity],
        "message": {
            "text": f"{finding.resource_name} ({finding.resource_arn}, {finding.region}): {finding.status_detail}"
        },
        "locations": [
            {
                "physicalLocation": {"artifactLocation": {"uri": anchor}, "region": {"startLine": 1}},
                "logicalLocations": [
                    {"name": finding.resource_name, "fullyQualifiedName": finding.resource_arn, "kind": "resource"}
                ],
            }
        ],
        "partialFingerprints": {FINGERPRINT: finding.id},
        "properties": {
            "security-severity": SECURITY_SEVERITY[finding.severity],
            "account_id": finding.account_id,
            "region": finding.region,
            "resource_type": finding.resource_type,
        },
    }
    if finding.status is Status.MUTED:
        result["suppressions"] = [{"kind": "external", "justification": finding.status_detail}]
    return result


def render_sarif(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    rule_index = {check.id: i for i, check in enumerate(report.checks)}
    reportable = [f for f in report.findings if f.status in (Status.FAIL, Status.MUTED) and f.check_id in rule_index]
    notifications = [
        {"level": "error", "message": {"text": f"{f.check_id} could not evaluate {f.resource_arn}: {f.status_detail}"}}
        for f in report.findings
        if f.status is Status.ERROR
    ]
    if len(reportable) > MAX_RESULTS:
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{len(reportable) - MAX_RESULTS} of {len(reportable)} results left out "
                    f"(GitHub accepts {MAX_RESULTS} per run); the most severe are kept"
                },
            }
        )
    run = {
        "tool": {
            "driver": {
                "name": "mlaudit",
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": [_rule(check) for check in report.checks],
            }
        },
        "automationDetails": {"id": f"mlaudit/{'+'.join(a.account_id for a in report.accounts)}/"},
        "invocations": [
            {
                "executionSuccessful": report.scan.status is ScanStatus.COMPLETE,
                "startTimeUtc": report.scan.started_at.isoformat().replace("+00:00", "Z"),
                "endTimeUtc": report.scan.finished_at.isoformat().replace("+00:00", "Z"),
                "toolExecutionNotifications": notifications,
            }
        ],
        "results": [_result(f, rule_index[f.check_id], options.sarif_anchor) for f in reportable[:MAX_RESULTS]],
    }
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False) + "\n"
