"""The inventory: every collected record, which part was collected where, and what collection noted (failed calls,
skipped scopes, anomalies: `mlaudit.inventory.notes`).

Checks read it through `CheckContext`; the snapshot model makes it a file (`mlaudit collect`) that round-trips
losslessly.
"""

from __future__ import annotations

import signal
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from mlaudit.inventory.base import GLOBAL_REGION, PartScope, Record
from mlaudit.inventory.notes import ApiAnomaly, CollectionError, SkippedScope, merge_anomalies

R = TypeVar("R", bound=Record)


class AccountInfo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    account_id: str
    partition: str = "aws"


class CollectedScope(BaseModel):
    """A part that collection was attempted for, in one account and region (or `global`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    part: str
    account_id: str
    region: str


ACCOUNT_ACCESS_PART = "account"
"""The `part` of a collection error that made a whole account unreachable (its role could not be assumed)."""

SNAPSHOT_FORMAT = "1.2"
"""Version of the snapshot file format: a new major version cannot be read by an older mlaudit."""

ScopeKey = tuple[str, str, str]
"""(part, account_id, region)"""


def scope_region(record_type: type[Record], region: str) -> str:
    """The region under which a part is stored: the region itself, or `global` for account-wide parts."""
    return GLOBAL_REGION if record_type.scope is PartScope.GLOBAL else region


class Inventory:
    """Records indexed by part and scope. Written only by the collector's coordinating thread."""

    def __init__(
        self,
        accounts: Iterable[AccountInfo],
        regions: Iterable[str],
        since: datetime,
        created_at: datetime,
        account_regions: dict[str, list[str]] | None = None,
    ) -> None:
        self.accounts = list(accounts)
        self.regions = list(regions)
        self.account_regions = dict(account_regions or {})
        """The regions of each account, where they differ from `regions` (enabled regions, a shard's share)."""
        self.since = since
        self.created_at = created_at
        self.errors: list[CollectionError] = []
        self.skipped: list[SkippedScope] = []
        """Regions, or services in a region, that were not scanned, each once (`add_skipped`)."""
        self.anomalies: list[ApiAnomaly] = []
        """Answers that did not match the service model, deduplicated with a count (`add_anomalies`)."""
        self.interrupted: signal.Signals | None = None
        """The signal that stopped collection early (its unfinished parts carry an `Interrupted` error)."""
        self._unreachable: dict[str, CollectionError] = {}
        self._collected: set[ScopeKey] = set()
        self._records: dict[ScopeKey, list[Record]] = defaultdict(list)

    # -- writing -------------------------------------------------------------------------------------------
    def add(
        self, part: str, account_id: str, region: str, records: Iterable[Record], errors: Iterable[CollectionError]
    ) -> None:
        key = (part, account_id, region)
        self._collected.add(key)
        self._records[key].extend(records)
        self._records[key].sort(key=lambda r: r.arn)
        self.errors.extend(errors)

    def add_anomalies(self, anomalies: Iterable[ApiAnomaly]) -> None:
        self.anomalies = merge_anomalies([*self.anomalies, *anomalies])

    def add_unreachable(self, error: CollectionError) -> None:
        """One of the accounts could not be reached at all: every check reports one ERROR for it."""
        self.account_regions[error.account_id] = []
        self.errors.append(error)
        self._unreachable.setdefault(error.account_id, error)

    def add_skipped(self, scope: SkippedScope) -> None:
        if scope not in self.skipped:
            self.skipped.append(scope)

    # -- reading -------------------------------------------------------------------------------------------
    def was_collected(self, record_type: type[Record], account_id: str, region: str) -> bool:
        return (record_type.part, account_id, scope_region(record_type, region)) in self._collected

    def regions_of(self, account_id: str) -> list[str]:
        return self.account_regions.get(account_id, self.regions)

    def unreachable(self, account_id: str) -> CollectionError | None:
        """Why the account could not be reached, or None."""
        return self._unreachable.get(account_id)

    def collected_scopes(self, record_type: type[Record]) -> list[tuple[str, str]]:
        """(account_id, region) pairs where the part was collected, in a stable order."""
        return sorted((a, r) for p, a, r in self._collected if p == record_type.part)

    def records(self, record_type: type[R], account_id: str, region: str) -> list[R]:
        """The part's records in one scope (the account-wide list for global parts)."""
        return self._records.get((record_type.part, account_id, scope_region(record_type, region)), [])  # type: ignore[return-value]

    def all_records(self, record_type: type[R]) -> Iterator[R]:
        for (part, _, _), records in sorted(self._records.items(), key=lambda kv: kv[0]):
            if part == record_type.part:
                yield from records  # type: ignore[misc]

    def errors_for(self, record_type: type[Record], account_id: str, region: str) -> list[CollectionError]:
        region = scope_region(record_type, region)
        return [
            e for e in self.errors if e.part == record_type.part and e.account_id == account_id and e.region == region
        ]

    def parts(self) -> set[str]:
        return {p for p, _, _ in self._collected}

    # -- snapshot ------------------------------------------------------------------------------------------
    def to_snapshot(self, tool_version: str) -> InventorySnapshot:
        records: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for (part, _, _), items in sorted(self._records.items()):
            if items:
                records[part].extend(r.model_dump(mode="json") for r in items)
        return InventorySnapshot(
            tool_version=tool_version,
            created_at=self.created_at,
            since=self.since,
            accounts=self.accounts,
            regions=self.regions,
            account_regions=self.account_regions or None,
            collected=[CollectedScope(part=p, account_id=a, region=r) for p, a, r in sorted(self._collected)],
            errors=self.errors,
            skipped=self.skipped,
            anomalies=self.anomalies,
            records=dict(records),
        )

    @classmethod
    def from_snapshot(cls, snapshot: InventorySnapshot, record_types: Iterable[type[Record]]) -> Inventory:
        by_part = {t.part: t for t in record_types}
        inventory = cls(
            snapshot.accounts, snapshot.regions, snapshot.since, snapshot.created_at, snapshot.account_regions
        )
        for scope in snapshot.collected:
            inventory._collected.add((scope.part, scope.account_id, scope.region))
        for part, items in snapshot.records.items():
            record_type = by_part.get(part)
            if record_type is None:
                raise ValueError(f"unknown inventory part {part!r}")
            for item in items:
                record = record_type.model_validate(item)
                key = (part, record.account_id, scope_region(record_type, record.region))
                inventory._records[key].append(record)
        inventory.errors = list(snapshot.errors)
        inventory.skipped = list(snapshot.skipped)
        inventory.anomalies = list(snapshot.anomalies)
        for error in inventory.errors:
            if error.part == ACCOUNT_ACCESS_PART:
                inventory._unreachable.setdefault(error.account_id, error)
        return inventory


class InventorySnapshot(BaseModel):
    """The inventory as a file. Records are grouped by part name, which says how to read each one."""

    model_config = ConfigDict(extra="forbid")

    format_version: str = SNAPSHOT_FORMAT
    tool_version: str
    created_at: datetime
    since: datetime
    accounts: list[AccountInfo]
    regions: list[str]
    account_regions: dict[str, list[str]] | None = None
    """Per-account regions where they differ from `regions` (1.1)."""
    collected: list[CollectedScope]
    errors: list[CollectionError]
    skipped: list[SkippedScope] = Field(default_factory=list)
    """Regions and services not scanned, and why (1.2; absent from older snapshots)."""
    anomalies: list[ApiAnomaly] = Field(default_factory=list)
    """Answers that did not match the service model (1.2; absent from older snapshots)."""
    records: dict[str, list[dict[str, Any]]]
