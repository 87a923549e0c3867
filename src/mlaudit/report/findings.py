"""A finding: one check's verdict on one resource. Its JSON shape is a contract with dashboards."""

from __future__ import annotations

import hashlib
from datetime import date

from pydantic import BaseModel, ConfigDict

from mlaudit.core.frozen import FrozenModel
from mlaudit.core.taxonomy import Pillar, Severity, Status
from mlaudit.sdk.references import CheckReference


class FindingRemediation(FrozenModel):
    """How to fix what the check found, and where AWS documents it."""

    # Immutable, so a check's findings share one instance (`evaluate`).

    text: str
    url: str


class Suppression(BaseModel):
    """Why a finding is MUTED: an entry of the configuration's suppressions, or the baseline."""

    model_config = ConfigDict(extra="forbid")

    source: str
    """`config` (a suppression rule) or `baseline`."""
    muted_status: Status
    """The verdict the suppression hides: FAIL or ERROR."""
    reason: str
    owner: str | None = None
    expires: date | None = None

    def justification(self) -> str:
        """The reason, with its owner and expiry where given: what a reviewer needs to judge the accepted risk."""
        details = [f"owner: {self.owner}"] if self.owner else []
        details += [f"expires: {self.expires.isoformat()}"] if self.expires else []
        return f"{self.reason} ({'; '.join(details)})" if details else self.reason


class Finding(FrozenModel):
    """One check's verdict on one resource."""

    # Immutable (a finding is muted by a copy) and compact: a scan can hold one per check and resource.

    id: str
    """Stable across scans: the same check on the same resource always has the same id."""
    check_id: str
    check_name: str
    title: str
    status: Status
    status_detail: str
    severity: Severity
    pillar: Pillar
    service: str
    resource_type: str
    resource_arn: str
    resource_name: str
    account_id: str
    region: str
    remediation: FindingRemediation
    references: list[CheckReference]
    suppression: Suppression | None = None
    """Set when the finding is MUTED: the rule that muted it (its verdict is in `status_detail`)."""

    def muted_because(self) -> str:
        """Why a MUTED finding is muted: its suppression's justification (its detail, if it has no suppression)."""
        return self.suppression.justification() if self.suppression else self.status_detail


def finding_id(check_id: str, account_id: str, region: str, resource_arn: str) -> str:
    digest = hashlib.sha256(
        "\x1f".join((check_id, account_id, region, resource_arn)).encode("utf-8", "surrogatepass")
    ).hexdigest()
    return digest[:32]
