"""KMS keys in verdicts: whether a resource is encrypted with a key the account controls, and whether every key
setting of a job names a key."""

from __future__ import annotations

from mlaudit.inventory import KmsKey, Record
from mlaudit.sdk.context import CheckContext
from mlaudit.sdk.outcome import Outcome, failed, passed

SSE_KMS_ALGORITHMS = frozenset({"aws:kms", "aws:kms:dsse"})
"""S3 default-encryption algorithms that use a KMS key (SSE-KMS and dual-layer DSSE-KMS)."""


def customer_managed_key(record: Record, key_id: str | None, ctx: CheckContext, protects: str) -> Outcome:
    """PASS when `key_id` (as the record gives it) is a customer managed KMS key; FAIL when there is none, it is
    AWS managed, or it no longer exists. A key of another account passes: AWS managed keys cannot be used across
    accounts. Needs `KmsKey` in the check's `uses`."""
    reference = record.kms_key_ref(key_id)
    if reference is None:
        return failed(f"no customer managed key is set: {protects} is encrypted with a key AWS owns, not you")
    arn = reference.target.split(":")
    owner = arn[4] if len(arn) > 5 else record.account_id
    if owner != record.account_id:
        return passed(f"{protects} is encrypted with {key_id}, a key of account {owner} (necessarily customer managed)")
    key = ctx.get(KmsKey, reference.target)
    if key is None:
        return failed(f"{protects} names the KMS key {key_id}, which no longer exists")
    if not key.customer_managed:
        return failed(f"{protects} is encrypted with {key_id}, an AWS managed key (KeyManager {key.key_manager})")
    return passed(f"{protects} is encrypted with the customer managed key {key_id}")


def expect_kms_keys(keys: dict[str, str | None]) -> Outcome | None:
    """PASS when every applicable key setting (its description -> the key it names, or None) names a key; FAIL
    naming the settings without one; None when no setting applies to the resource."""
    if not keys:
        return None
    missing = [setting for setting, key in keys.items() if not key]
    if missing:
        return failed("no KMS key: " + ", ".join(missing))
    return passed("; ".join(f"{setting}: {key}" for setting, key in keys.items()))
