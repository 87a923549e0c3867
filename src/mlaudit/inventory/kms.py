"""KMS records for the keys that protect ML resources."""

from __future__ import annotations

from typing import ClassVar

from mlaudit.inventory.base import PartScope, Record


class KmsKey(Record):
    """A KMS key referenced by an ML resource (by id, ARN or alias). Only keys of the scanned account are
    described: another account's key cannot be judged from here.

    Stored account-wide (keys are referenced across services), with the key's own region.
    """

    part: ClassVar[str] = "kms.key"
    service: ClassVar[str] = "kms"
    resource_type: ClassVar[str] = "AWS::KMS::Key"
    label: ClassVar[str] = "KMS keys"
    scope: ClassVar[PartScope] = PartScope.GLOBAL

    key_manager: str
    """CUSTOMER or AWS (an AWS managed key such as aws/s3)."""
    key_state: str
    enabled: bool
    key_spec: str | None = None
    origin: str | None = None
    multi_region: bool = False
    resolved_from: tuple[str, ...] = ()
    """The canonical references (key or alias ARNs) that resolved to this key."""
    used_by: tuple[str, ...] = ()
    use_count: int = 0

    @property
    def customer_managed(self) -> bool:
        return self.key_manager == "CUSTOMER"

    @property
    def supports_rotation(self) -> bool:
        """Automatic rotation exists only for symmetric customer managed keys with KMS-generated material (not
        asymmetric or HMAC keys, imported material, or custom key stores)."""
        return self.customer_managed and self.key_spec == "SYMMETRIC_DEFAULT" and self.origin == "AWS_KMS"

    def matches(self, key: str) -> bool:
        return key in (self.name, self.arn) or key in self.resolved_from


class KmsKeyRotation(Record):
    """Automatic rotation of a key that supports it (aspect of KmsKey, same ARN)."""

    part: ClassVar[str] = "kms.key_rotation"
    service: ClassVar[str] = "kms"
    resource_type: ClassVar[str] = "AWS::KMS::Key"
    label: ClassVar[str] = "KMS key rotation settings"
    scope: ClassVar[PartScope] = PartScope.GLOBAL

    enabled: bool
    period_days: int | None = None
    """RotationPeriodInDays (90 to 2560; 365 when AWS does not say)."""
