"""The findings as the HTML report's script reads them: compact, and embedded once.

Columns whose values repeat (check, status, severity, account, region, detail, the ARN up to its last `:` or
`/`) are dictionary-encoded: each distinct value is written once and rows hold its index. Unique columns (finding
id, the rest of the ARN, resource name) stay inline. A finding that is not PASS carries its own fix command
(`fix`) when its check says which placeholder is which of its values; otherwise 0, and the page shows the check's
command. MUTED findings carry their suppression (`muted`: reason, owner, expiry), otherwise 0. At 100,000 findings
the file is about 150 bytes per finding (see docs/benchmark.md). `inert` is the pattern of the characters the
script shows as U+FFFD (`mlaudit.core.text`).
"""

from __future__ import annotations

from typing import Any

from mlaudit.core.taxonomy import Status
from mlaudit.core.text import UNSAFE_CHARACTERS
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report
from mlaudit.sdk import Remediation
from mlaudit.sdk.wording import arn_resource_id

ENCODED = ("check", "status", "severity", "account", "region", "detail", "arn_prefix")
COLUMNS = (
    "id",
    "check",
    "status",
    "severity",
    "account",
    "region",
    "detail",
    "arn_prefix",
    "arn_rest",
    "name",
    "change",
    "fix",
    "muted",
)


class _Dictionary:
    def __init__(self) -> None:
        self.values: list[str] = []
        self._index: dict[str, int] = {}

    def code(self, value: str) -> int:
        index = self._index.setdefault(value, len(self.values))
        if index == len(self.values):
            self.values.append(value)
        return index


def split_arn(arn: str) -> tuple[str, str]:
    """`arn:aws:sagemaker:us-east-1:1234:endpoint/x` -> (`arn:aws:sagemaker:us-east-1:1234:endpoint/`, `x`)."""
    rest = arn_resource_id(arn)
    return arn[: len(arn) - len(rest)], rest


def check_metadata(report: Report) -> dict[str, dict[str, Any]]:
    return {
        c.id: {
            "name": c.name,
            "title": c.title,
            "severity": c.severity.value,
            "pillar": c.pillar.value,
            "service": c.service,
            "resource_type": c.resource_type,
            "rationale": c.rationale,
            "remediation": c.remediation.model_dump(),
            "references": [r.model_dump(mode="json") for r in c.references],
        }
        for c in report.checks
    }


def payload(report: Report, new_ids: set[str] | None = None) -> dict[str, Any]:
    """`new_ids`: the failing findings that are new since a previous report (None when there is none)."""
    dictionaries = {name: _Dictionary() for name in ENCODED}
    new = new_ids or set()
    fills = {c.id: c.remediation for c in report.checks if c.remediation.placeholders}
    rows = [_row(finding, dictionaries, new, fills.get(finding.check_id)) for finding in report.findings]
    return {
        "columns": COLUMNS,
        "dictionaries": {name: d.values for name, d in dictionaries.items()},
        "checks": check_metadata(report),
        "rows": rows,
        "compared": new_ids is not None,
        "inert": UNSAFE_CHARACTERS.pattern,
    }


def _row(
    finding: Finding, dictionaries: dict[str, _Dictionary], new: set[str], remediation: Remediation | None
) -> list[Any]:
    prefix, rest = split_arn(finding.resource_arn)
    values = (
        finding.check_id,
        finding.status.value,
        finding.severity.value,
        finding.account_id,
        finding.region,
        finding.status_detail,
        prefix,
    )
    encoded = [dictionaries[name].code(value) for name, value in zip(ENCODED, values, strict=True)]
    change = 1 if finding.id in new else 0
    fix = remediation.command_for(finding) if remediation and finding.status is not Status.PASS else None
    muted = _suppression(finding)
    return [finding.id, *encoded, rest, finding.resource_name, change, fix or 0, muted]


def _suppression(finding: Finding) -> dict[str, str] | int:
    """Why a MUTED finding is muted, as the detail shows it (0 for any other)."""
    if finding.suppression is None:
        return 0
    s = finding.suppression
    shown = {"source": s.source, "hides": s.muted_status.value, "reason": s.reason}
    if s.owner:
        shown["owner"] = s.owner
    if s.expires:
        shown["expires"] = s.expires.isoformat()
    return shown
