"""`mlaudit.sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers, written as it goes.

GitHub's rules shape it (docs/reports.md tells users how to upload it):
- An alert is a rule and a `partialFingerprints.primaryLocationLineHash`, the only fingerprint GitHub reads: here
  the finding id, stable across scans. Cloud resources have no file, so every result points at the anchor file
  (`--sarif-anchor`, line 1) and names the ARN as a logical location; left to compute the fingerprint itself, the
  upload action would hash that one line and give every result the same one.
- GitHub closes an alert when a later analysis of the same category no longer holds it. The category is
  `--sarif-category` (`automationDetails.id`, which the upload action keeps), the same whichever accounts a scan
  covers. An ERROR finding is a result of kind `open` (level `none`) with its resource's fingerprint, so an alert
  the scan could not evaluate stays open; a MUTED one carries an external suppression with its justification.
- Every rule is tagged `security` and carries a `security-severity`, which GitHub reads only with that tag.
- GitHub keeps the top 5,000 results of a run: no more are written, FAIL first, then ERROR, then MUTED, most severe
  first within each; the run says what was left out (a notification and `properties`).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any, TextIO

from mlaudit.core.markup import literal_prose
from mlaudit.core.taxonomy import Severity, Status
from mlaudit.renderers.options import RenderOptions
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report, ScanStatus
from mlaudit.sdk import CheckMetadata

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
MAX_RESULTS = 5_000
"""GitHub code scanning keeps the top 5,000 results of a run (and rejects a run of more than 25,000)."""
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}
"""GitHub's scale: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low; info has none (0.0 means none)."""
LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
FINGERPRINT = "primaryLocationLineHash"
"""The fingerprint GitHub matches alerts by; the upload action fills it in only when the file has none."""
PRIORITY = {Status.FAIL: 0, Status.ERROR: 1, Status.MUTED: 2}
"""Which results are kept under the cap, most important first."""


def _tags(check: CheckMetadata) -> list[str]:
    """`security` first (GitHub shows only the first 10 tags), each once (the security pillar is also a tag)."""
    return list(dict.fromkeys(("security", "ml", check.pillar.value, check.service)))


def _rule(check: CheckMetadata) -> dict[str, Any]:
    references = "\n".join(f"- {r.type.value} {literal_prose(r.id)}: {r.url}" for r in check.references)
    cli = f"\n\n```\n{check.remediation.cli}\n```" if check.remediation.cli else ""
    severity = {"security-severity": SECURITY_SEVERITY[check.severity]} if check.severity in SECURITY_SEVERITY else {}
    return {
        "id": check.id,
        "name": "".join(part.capitalize() for part in check.name.split("-")),
        "shortDescription": {"text": check.title},
        "fullDescription": {"text": check.rationale},
        "helpUri": check.remediation.url,
        "help": {
            "text": f"{check.rationale}\n\nHow to fix it: {check.remediation.text}\n{check.remediation.url}",
            "markdown": f"{literal_prose(check.rationale)}\n\n**How to fix it.** {literal_prose(check.remediation.text)}"
            f"{cli}\n\n[Documentation]({check.remediation.url})\n\n{references}",
        },
        "defaultConfiguration": {"level": LEVEL[check.severity]},
        "properties": {"tags": _tags(check), **severity, "precision": "high"},
    }


def _unevaluated(finding: Finding) -> bool:
    """ERROR, or muted while ERROR: the check could not tell whether the resource fails."""
    muted = finding.suppression.muted_status if finding.suppression else None
    return Status.ERROR in (finding.status, muted)


def _result(finding: Finding, rule_index: int, anchor: str) -> dict[str, Any]:
    where = f"{finding.resource_name} ({finding.resource_arn}, {finding.region})"
    unevaluated = _unevaluated(finding)
    result: dict[str, Any] = {
        "ruleId": finding.check_id,
        "ruleIndex": rule_index,
        "kind": "open" if unevaluated else "fail",
        "level": "none" if unevaluated else LEVEL[finding.severity],
        "message": {
            "text": f"{where} could not be evaluated: {finding.status_detail}"
            if unevaluated
            else f"{where}: {finding.status_detail}"
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
            "status": finding.status.value,
            "severity": finding.severity.value,
            "account_id": finding.account_id,
            "region": finding.region,
            "resource_type": finding.resource_type,
        },
    }
    if finding.status is Status.MUTED:
        result["suppressions"] = [{"kind": "external", "justification": finding.muted_because()}]
    return result


def automation_id(category: str) -> str:
    """`automationDetails.id` for a category: GitHub takes everything before the last `/` as the category."""
    return f"{category.rstrip('/')}/"


def _notifications(report: Report, left_out: Counter[str], kept: int) -> list[dict[str, Any]]:
    notes = []
    errors = sum(f.status is Status.ERROR for f in report.findings)
    if errors:
        notes.append(
            {
                "level": "error",
                "message": {
                    "text": f"{errors} findings could not be evaluated: they are results of kind open, "
                    "so that their alerts stay open"
                },
            }
        )
    if left_out:
        counts = ", ".join(f"{count} {status}" for status, count in sorted(left_out.items()))
        notes.append(
            {
                "level": "warning",
                "message": {
                    "text": f"{left_out.total()} of {left_out.total() + kept} results left out ({counts}): GitHub "
                    f"keeps the top {MAX_RESULTS} of a run; their alerts close until they fit"
                },
            }
        )
    return notes


def _selected(report: Report) -> tuple[list[Finding], Counter[str]]:
    """The results within the cap, in the order they are kept, and how many of each status were left out."""
    ruled = {check.id for check in report.checks}
    reportable = sorted(
        (f for f in report.findings if f.status in PRIORITY and f.check_id in ruled),
        key=lambda f: (PRIORITY[f.status], -f.severity.rank),
    )
    return reportable[:MAX_RESULTS], Counter(f.status.value for f in reportable[MAX_RESULTS:])


def write_sarif(report: Report, options: RenderOptions, out: TextIO) -> None:
    kept, left_out = _selected(report)
    rule_index = {check.id: i for i, check in enumerate(report.checks)}
    run = {
        "tool": {
            "driver": {
                "name": "mlaudit",
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": [_rule(check) for check in report.checks],
            }
        },
        "automationDetails": {"id": automation_id(options.sarif_category)},
        "invocations": [
            {
                "executionSuccessful": report.scan.status is ScanStatus.COMPLETE,
                "startTimeUtc": report.scan.started_at.isoformat().replace("+00:00", "Z"),
                "endTimeUtc": report.scan.finished_at.isoformat().replace("+00:00", "Z"),
                "toolExecutionNotifications": _notifications(report, left_out, len(kept)),
            }
        ],
        "properties": {
            "resultsLimit": MAX_RESULTS,
            "resultsLeftOut": {status.value: left_out[status.value] for status in PRIORITY},
        },
    }
    out.write(f'{{"$schema": "{SARIF_SCHEMA}", "version": "2.1.0", "runs": [{{\n')
    for key, value in run.items():
        out.write(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
    out.write('"results": [')
    for n, finding in enumerate(kept):
        result = _result(finding, rule_index[finding.check_id], options.sarif_anchor)
        out.write(("\n" if n == 0 else ",\n") + json.dumps(result, ensure_ascii=False))
    out.write("\n]}]}\n")
