"""Security Hub's finding workflow, which moto 5.x lacks or gets wrong: `BatchUpdateFindings`, and
`BatchImportFindings` keeping what customers set.

- `BatchUpdateFindings` (PATCH /findings/batchupdate) sets `Workflow.Status` and `Note` of the caller's findings
  named by `FindingIdentifiers` (Id and ProductArn); a finding that does not exist, or is named twice, is one of the
  `UnprocessedFindings` with the error code and message the API reference lists (`FindingNotFound`,
  "Finding Not Found"; `DuplicatedFindingIdentifier`, "Finding Identifier is duplicated").
- `BatchImportFindings` on an existing finding cannot change `Note`, `UserDefinedFields`, `VerificationState` or
  `Workflow` (the API reference: customers manage those with BatchUpdateFindings); moto overwrites them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from moto.securityhub.responses import SecurityHubResponse

RESPONSE_CLASS = SecurityHubResponse

CUSTOMER_FIELDS = ("Note", "UserDefinedFields", "VerificationState", "Workflow")
"""What BatchImportFindings leaves as it is on a finding that exists."""


def _unprocessed(identifier: dict[str, str], code: str, message: str) -> dict[str, Any]:
    return {"FindingIdentifier": identifier, "ErrorCode": code, "ErrorMessage": message}


def batch_update_findings(self: SecurityHubResponse) -> str:
    body = json.loads(self.body or "{}")
    findings = {(f.data.get("Id"), f.data.get("ProductArn")): f for f in self.securityhub_backend.findings}
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    processed: list[dict[str, str]] = []
    unprocessed: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for identifier in body.get("FindingIdentifiers", []):
        key = (identifier.get("Id"), identifier.get("ProductArn"))
        finding = findings.get(key)
        if key in seen:
            unprocessed.append(
                _unprocessed(identifier, "DuplicatedFindingIdentifier", "Finding Identifier is duplicated")
            )
            continue
        seen.add(key)
        if finding is None:
            unprocessed.append(_unprocessed(identifier, "FindingNotFound", "Finding Not Found"))
            continue
        if "Workflow" in body:
            finding.data["Workflow"] = {"Status": body["Workflow"]["Status"]}
        if "Note" in body:
            finding.data["Note"] = {**body["Note"], "UpdatedAt": now}
        processed.append({"Id": key[0], "ProductArn": key[1]})
    return json.dumps({"ProcessedFindings": processed, "UnprocessedFindings": unprocessed})


def keep_customer_fields(original: Callable[[SecurityHubResponse], str]) -> Callable[[SecurityHubResponse], str]:
    def batch_import_findings(self: SecurityHubResponse) -> str:
        existing = list(self.securityhub_backend.findings)
        kept = {id(f): {k: f.data[k] for k in CUSTOMER_FIELDS if k in f.data} for f in existing}
        answer = original(self)
        for finding in existing:
            for name in CUSTOMER_FIELDS:
                finding.data.pop(name, None)
            finding.data.update(kept[id(finding)])
        return answer

    return batch_import_findings


OPERATIONS: dict[str, Callable[..., Any]] = {"batch_update_findings": batch_update_findings}
OVERRIDES = {"batch_import_findings": keep_customer_fields}
URL_PATHS = ("{0}/findings/batchupdate$",)
