"""Regions and accounts as records, so that region- and account-level checks ("no pipelines at all") run through
the same engine as resource checks. They cost no API call of their own."""

from __future__ import annotations

from typing import ClassVar

from mlaudit.inventory.base import PartScope, Record


class RegionScope(Record):
    """A scanned region of an account, with the ML workloads it holds.

    Region-level checks judge only regions that hold ML workloads (endpoints, training jobs in the lookback
    window, or notebooks), so that a 30-region scan does not repeat the same finding 30 times.
    """

    part: ClassVar[str] = "scope.region"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::Region"
    label: ClassVar[str] = "regions"

    endpoints: int = 0
    training_jobs: int = 0
    notebook_instances: int = 0

    @property
    def hosts_ml_workloads(self) -> bool:
        return bool(self.endpoints or self.training_jobs or self.notebook_instances)

    def subject_arn(self, service: str) -> str:
        return f"arn:{self.partition}:{service}:{self.region}:{self.account_id}:*"


class AccountScope(Record):
    """A scanned account, for account-level checks (a multi-region trail, account-wide settings).

    Like region-level checks, account-level checks judge only accounts that hold ML workloads in a scanned region,
    so that an organisation scan does not report every account without ML.
    """

    part: ClassVar[str] = "scope.account"
    service: ClassVar[str] = "account"
    resource_type: ClassVar[str] = "AWS::Account"
    label: ClassVar[str] = "accounts"
    scope: ClassVar[PartScope] = PartScope.GLOBAL

    ml_regions: tuple[str, ...] = ()
    """The scanned regions that hold ML workloads (see RegionScope)."""

    @property
    def hosts_ml_workloads(self) -> bool:
        return bool(self.ml_regions)

    def subject_arn(self, service: str) -> str:
        return f"arn:{self.partition}:{service}::{self.account_id}:*"
