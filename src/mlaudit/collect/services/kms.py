"""KMS collectors: the keys ML records reference, described once each, with a client in the key's region, and the
rotation of those that support it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import ForEachRecord, same_identity
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory import Identity, KmsKey, RefKind
from mlaudit.inventory.kms import KmsKeyRotation

MAX_LISTED_USERS = 20
DESCRIBE_KEY = Operation("kms:DescribeKey")
GET_KEY_ROTATION_STATUS = Operation("kms:GetKeyRotationStatus")


def _arn_field(arn: str, index: int) -> str:
    parts = arn.split(":")
    return parts[index] if len(parts) > 5 else ""


def _reference_identity(ctx: CollectContext, ref: str) -> Identity:
    """A key that could not be described is known only by the reference that names it (an ARN, or an alias's)."""
    return Identity(arn=ref, name=ref, account_id=ctx.account_id, region=_arn_field(ref, 3))


def _keys(ctx: CollectContext) -> Iterator[KmsKey]:
    references = {
        ref: users for ref, users in ctx.referenced(RefKind.KMS_KEY).items() if _arn_field(ref, 4) == ctx.account_id
    }

    def describe(ref: str) -> tuple[str, dict[str, Any]]:
        metadata = (ctx.call(DESCRIBE_KEY, region=_arn_field(ref, 3), KeyId=ref) or {}).get("KeyMetadata") or {}
        return ref, metadata

    described: dict[str, dict[str, Any]] = {}
    resolved: dict[str, list[str]] = defaultdict(list)
    users: dict[str, set[str]] = defaultdict(set)
    for ref, metadata in ctx.fan_out(sorted(references), describe, identify=lambda ref: _reference_identity(ctx, ref)):
        arn = metadata.get("Arn") or ref
        described[arn] = metadata
        resolved[arn].append(ref)
        users[arn].update(references[ref])
    for arn, metadata in sorted(described.items()):
        used_by = sorted(users[arn])
        yield KmsKey(
            arn=arn,
            name=metadata.get("KeyId") or arn.rsplit("/", 1)[-1],
            account_id=ctx.account_id,
            region=_arn_field(arn, 3),
            key_manager=metadata.get("KeyManager") or "UNKNOWN",
            key_state=metadata.get("KeyState") or "Unknown",
            enabled=bool(metadata.get("Enabled")),
            key_spec=metadata.get("KeySpec"),
            origin=metadata.get("Origin"),
            multi_region=bool(metadata.get("MultiRegion")),
            resolved_from=tuple(sorted(resolved[arn])),
            used_by=tuple(used_by[:MAX_LISTED_USERS]),
            use_count=len(used_by),
        )


def _rotation(ctx: CollectContext, key: KmsKey) -> KmsKeyRotation:
    status = ctx.call(GET_KEY_ROTATION_STATUS, region=key.region, KeyId=key.arn) or {}
    return KmsKeyRotation(
        **same_identity(key),
        enabled=bool(status.get("KeyRotationEnabled")),
        period_days=status.get("RotationPeriodInDays"),
    )


def _keys_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """One DescribeKey per reference of the account's keys (an id, an alias and an ARN of one key are three calls:
    only KMS knows they name the same key)."""
    references = sum(len(key.resolved_from) for key in census.records(KmsKey, account_id, region))
    return Counter({str(DESCRIBE_KEY): references} if references else {})


COLLECTORS = (
    PartCollector(KmsKey, _keys, calls=(DESCRIBE_KEY,), follows=RefKind.KMS_KEY, minimum=_keys_minimum),
    PartCollector(
        KmsKeyRotation,
        ForEachRecord((KmsKey,), GET_KEY_ROTATION_STATUS, _rotation, where=lambda key: key.supports_rotation),
        aspect_of=KmsKey,
    ),
)
