"""What a check sees: the records of other parts in the same account and region, and its settings.

Lookups never return a half-truth: if the data a check asks for could not be collected, they raise
`DataUnavailable`, and the engine reports ERROR for that resource instead of a verdict.
"""

from __future__ import annotations

from typing import Any, TypeVar

from mlaudit.inventory import CollectionError, Inventory, Record

R = TypeVar("R", bound=Record)


class DataUnavailable(Exception):
    """The data needed for a verdict was not collected; carries the collection errors that explain why."""

    def __init__(self, errors: list[CollectionError], reason: str | None = None) -> None:
        self.errors = errors
        self.reason = reason or "; ".join(e.describe() for e in errors)
        super().__init__(self.reason)


class CheckContext:
    def __init__(
        self,
        inventory: Inventory,
        account_id: str,
        region: str,
        uses: tuple[type[Record], ...],
        settings: dict[str, Any],
    ) -> None:
        self._inventory = inventory
        self.account_id = account_id
        self.region = region
        self._uses = uses
        self._settings = settings

    def setting(self, name: str) -> Any:
        return self._settings[name]

    def all(self, record_type: type[R]) -> list[R]:
        """Every record of a part in this account and region (account-wide for global parts).

        Raises DataUnavailable if any of them could not be collected, because "all" would then be a guess.
        """
        self._check_declared(record_type)
        errors = self._inventory.errors_for(record_type, self.account_id, self.region)
        if errors:
            raise DataUnavailable(errors)
        self._require_collected(record_type)
        return self._inventory.records(record_type, self.account_id, self.region)

    def get(self, record_type: type[R], key: str) -> R | None:
        """The record whose name or ARN is `key`; None only if it certainly does not exist."""
        self._check_declared(record_type)
        records = self._inventory.records(record_type, self.account_id, self.region)
        for record in records:
            if record.matches(key):
                return record
        errors = [
            e
            for e in self._inventory.errors_for(record_type, self.account_id, self.region)
            if e.resource is None or key in (e.resource, e.resource_arn)
        ]
        if errors:
            raise DataUnavailable(errors)
        self._require_collected(record_type)
        return None

    def require(self, record_type: type[R], key: str) -> R:
        """Like `get`, for a record that must exist (an aspect of the resource being judged)."""
        record = self.get(record_type, key)
        if record is None:
            raise DataUnavailable([], reason=f"no {record_type.label} were collected for {key}")
        return record

    def _check_declared(self, record_type: type[Record]) -> None:
        if record_type not in self._uses:
            raise AssertionError(f"the check reads {record_type.part} but does not declare it in `uses`")

    def _require_collected(self, record_type: type[Record]) -> None:
        if not self._inventory.was_collected(record_type, self.account_id, self.region):
            raise DataUnavailable(
                [], reason=f"the inventory holds no {record_type.label} for {self.account_id} {self.region}"
            )
