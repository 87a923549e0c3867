"""What collection notes besides records: the calls that failed, the scopes it did not scan, and the answers that did
not match the service model. Each is data in the inventory, the snapshot and the report, never a log line."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from pydantic import BaseModel, ConfigDict


class CollectionError(BaseModel):
    """One failed API call, kept as data: which part, where, which operation and what AWS said."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    part: str
    service: str
    operation: str
    account_id: str
    region: str
    error_code: str
    message: str
    resource: str | None = None
    """The name of the resource whose describe call failed; None when the whole part failed in that scope."""
    resource_arn: str | None = None

    def describe(self) -> str:
        target = f" for {self.resource}" if self.resource else ""
        return f"{self.service}:{self.operation}{target} failed in {self.region} ({self.error_code}): {self.message}"


class SkipReason(str, Enum):
    REGION_NOT_ENABLED = "region-not-enabled"
    """An opt-in region the account has not enabled: nothing can exist there."""
    SERVICE_NOT_OFFERED = "service-not-offered"
    """botocore's endpoint data says the service is not offered in the region: nothing can exist there."""
    ENDPOINT_NOT_RESOLVED = "endpoint-not-resolved"
    """The service's endpoint in the region did not resolve (DNS): mlaudit could not look, its checks are ERROR."""
    REGIONS_UNKNOWN = "regions-unknown"
    """botocore's endpoint data lists no region for the service (AgentCore): mlaudit cannot tell where AWS offers it
    and does not call its endpoints, which do not resolve where it is not offered."""


class SkippedScope(BaseModel):
    """A region (or one service in a region) of an account that was not scanned, and why; recorded once."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    account_id: str
    region: str
    service: str | None
    """None: the whole region."""
    reason: SkipReason

    def describe(self) -> str:
        where = f"{self.service} in {self.region}" if self.service else self.region
        because = {
            SkipReason.REGION_NOT_ENABLED: "the region is not enabled in the account",
            SkipReason.SERVICE_NOT_OFFERED: "the service is not offered in the region",
            SkipReason.ENDPOINT_NOT_RESOLVED: "its endpoint did not resolve (its checks report ERROR)",
            SkipReason.REGIONS_UNKNOWN: "botocore's endpoint data lists no region for the service",
        }[self.reason]
        return f"{where} (account {self.account_id}): {because}"


class AnomalyKind(str, Enum):
    MISSING_REQUIRED_FIELD = "missing_required_field"
    """The service model marks the member required, and the answer lacks it (or holds null)."""
    UNKNOWN_ENUM_VALUE = "unknown_enum_value"
    """The member is an enum, and the answer holds a value the model does not list (a status AWS added since)."""
    EMPTY_PAGE_WITH_NEXT_TOKEN = "empty_page_with_next_token"
    """A page of a list call held no item, yet another page followed."""


class ApiAnomaly(BaseModel):
    """An answer that did not match the service model. The resource was kept (collectors read fields with
    defaults), so it does not make the scan partial; it says where the model and AWS disagree. Never holds the
    answer itself, only the field's path and, for an enum, its value."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    service: str
    operation: str
    account_id: str
    region: str
    path: str
    """The field, e.g. `NotebookInstances[].NotebookInstanceStatus` (`[]` a list's members, `{}` a map's values)."""
    kind: AnomalyKind
    value: str | None = None
    """The unexpected value, for `unknown_enum_value` only (cut to 64 characters)."""
    count: int = 1
    """How many times it was seen in the scan (one per list member or page)."""

    @property
    def key(self) -> tuple[str, str, str, str, str, AnomalyKind, str | None]:
        return (self.service, self.operation, self.account_id, self.region, self.path, self.kind, self.value)


def merge_anomalies(anomalies: Iterable[ApiAnomaly]) -> list[ApiAnomaly]:
    """The same anomaly seen several times, once with the total count; in a stable order."""
    merged: dict[tuple[str, str, str, str, str, AnomalyKind, str | None], ApiAnomaly] = {}
    for anomaly in anomalies:
        held = merged.get(anomaly.key)
        merged[anomaly.key] = anomaly if held is None else held.model_copy(update={"count": held.count + anomaly.count})
    return [merged[key] for key in sorted(merged, key=lambda k: (*k[:6], k[6] or ""))]
