"""Sending a report's findings to AWS Security Hub: the only thing mlaudit ever writes to an account.

It is a separate, explicit command (`mlaudit export security-hub`), never part of a scan. Findings go in batches
of 100 (BatchImportFindings' limit) to the region of their product ARN, and every finding Security Hub rejects
is reported with its error, never dropped silently.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from mlaudit.core.errors import UserError
from mlaudit.core.taxonomy import Status
from mlaudit.renderers.asff import asff_findings
from mlaudit.report.model import Report

BATCH_SIZE = 100


@dataclass
class Rejection:
    finding_id: str
    error_code: str
    message: str


@dataclass
class ExportResult:
    imported: int = 0
    rejected: list[Rejection] = field(default_factory=list)


def _batches(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [items[i : i + BATCH_SIZE] for i in range(0, len(items), BATCH_SIZE)]


def export_findings(
    report: Report, session: boto3.Session, endpoint_url: str | None = None, failed_only: bool = False
) -> ExportResult:
    keep = {Status.FAIL, Status.MUTED} if failed_only else set(Status)
    by_id = {f.id: f for f in report.findings if f.status in keep}
    by_region: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for asff in asff_findings(report):
        if asff["Id"].rsplit("/", 1)[-1] in by_id:
            by_region[asff["Region"]].append(asff)
    result = ExportResult()
    config = Config(retries={"mode": "standard", "total_max_attempts": 5})
    for region, findings in sorted(by_region.items()):
        client = session.client(
            "securityhub", region_name=region, config=config, **({"endpoint_url": endpoint_url} if endpoint_url else {})
        )
        for batch in _batches(findings):
            try:
                response = client.batch_import_findings(Findings=batch)
            except (ClientError, BotoCoreError) as exc:
                raise UserError(f"Security Hub refused the findings in {region}: {exc}") from exc
            result.imported += int(response.get("SuccessCount", 0))
            result.rejected += [
                Rejection(f.get("Id", ""), f.get("ErrorCode", ""), f.get("ErrorMessage", ""))
                for f in response.get("FailedFindings", [])
            ]
    return result
