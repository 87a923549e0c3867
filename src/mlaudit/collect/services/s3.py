"""S3 collectors: only the buckets that ML records reference, each described with a client of its own region.

Every bucket setting a check reads (encryption, versioning, policy...) is its own part, one call per bucket, so a
scan pays only for the settings its checks need. The account-wide Block Public Access settings come from S3 Control.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from mlaudit.collect.accounts.failures import CallFailed
from mlaudit.collect.engine.census import one_call_each
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import ForEachRecord, same_identity
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.collect.services._policies import parse_policy
from mlaudit.inventory import GLOBAL_REGION, Record, RefKind, S3Bucket, S3BucketEncryption, s3_bucket_of
from mlaudit.inventory.s3 import (
    PublicAccessBlock,
    S3AccountPublicAccessBlock,
    S3BucketExistence,
    S3BucketLifecycle,
    S3BucketLogging,
    S3BucketPolicy,
    S3BucketPublicAccessBlock,
    S3BucketVersioning,
)

MAX_LISTED_USERS = 20
"""How many referencing ARNs a bucket record keeps (the count is always exact)."""

FORBIDDEN_CODES = frozenset({"403", "Forbidden", "AccessDenied"})
LIST_BUCKETS = Operation("s3:ListBuckets")
GET_BUCKET_LOCATION = Operation("s3:GetBucketLocation")
LEGACY_LOCATIONS = {None: "us-east-1", "": "us-east-1", "EU": "eu-west-1"}
"""GetBucketLocation's answers that are not region names: null for us-east-1, and `EU` for buckets created in
eu-west-1 long ago (botocore's model: "Buckets with a LocationConstraint of EU reside in eu-west-1")."""
HEAD_BUCKET = Operation("s3:HeadBucket")
GET_ACCOUNT_PUBLIC_ACCESS_BLOCK = Operation("s3control:GetPublicAccessBlock")


def _buckets(ctx: CollectContext) -> Iterator[S3Bucket]:
    users: dict[str, list[str]] = defaultdict(list)
    for uri, arns in ctx.referenced(RefKind.S3).items():
        bucket = s3_bucket_of(uri)
        if bucket:
            users[bucket].extend(arns)
    if not users:
        return
    owned = {b["Name"]: b.get("BucketRegion") for b in ctx.paginate(LIST_BUCKETS, "Buckets")}

    def describe(name: str) -> S3Bucket:
        region = owned.get(name)
        if name in owned and not region:
            constraint = (ctx.call(GET_BUCKET_LOCATION, Bucket=name) or {}).get("LocationConstraint")
            region = LEGACY_LOCATIONS.get(constraint, constraint)
        referencing = sorted(set(users[name]))
        identity = ctx.identity(name)
        identity["region"] = region or GLOBAL_REGION  # a bucket lives in its own region, listed account-wide
        return S3Bucket(
            **identity,
            in_account=name in owned,
            referenced_by=tuple(referencing[:MAX_LISTED_USERS]),
            reference_count=len(referencing),
        )

    yield from ctx.fan_out(sorted(users), describe, identify=ctx.identity)


Fields = Callable[[dict[str, Any] | None], dict[str, Any]]


@dataclass(frozen=True)
class _BucketSetting:
    """One call per bucket; `fields` turns the response (None when AWS answers with an `absent` code, i.e. "not
    configured") into the aspect record's fields."""

    record: type[Record]
    operation: Operation
    fields: Fields
    absent: frozenset[str]

    def __call__(self, ctx: CollectContext, bucket: S3Bucket) -> Record:
        response = ctx.call(self.operation, region=bucket.region, absent=self.absent, Bucket=bucket.name)
        return self.record(**same_identity(bucket), **self.fields(response))


def _encryption(response: dict[str, Any] | None) -> dict[str, Any]:
    rules = ((response or {}).get("ServerSideEncryptionConfiguration") or {}).get("Rules") or [{}]
    default = rules[0].get("ApplyServerSideEncryptionByDefault") or {}
    return {
        "algorithm": default.get("SSEAlgorithm"),
        "kms_key_id": default.get("KMSMasterKeyID"),
        "bucket_key_enabled": bool(rules[0].get("BucketKeyEnabled")),
    }


def _versioning(response: dict[str, Any] | None) -> dict[str, Any]:
    response = response or {}
    return {"status": response.get("Status"), "mfa_delete": response.get("MFADelete") == "Enabled"}


def _block_public_access(response: dict[str, Any] | None) -> PublicAccessBlock:
    flags = (response or {}).get("PublicAccessBlockConfiguration") or {}
    return PublicAccessBlock(
        block_public_acls=bool(flags.get("BlockPublicAcls")),
        ignore_public_acls=bool(flags.get("IgnorePublicAcls")),
        block_public_policy=bool(flags.get("BlockPublicPolicy")),
        restrict_public_buckets=bool(flags.get("RestrictPublicBuckets")),
    )


def _policy(response: dict[str, Any] | None) -> dict[str, Any]:
    return {"statements": parse_policy((response or {}).get("Policy"))}


def _logging(response: dict[str, Any] | None) -> dict[str, Any]:
    enabled = (response or {}).get("LoggingEnabled") or {}
    return {"target_bucket": enabled.get("TargetBucket"), "target_prefix": enabled.get("TargetPrefix")}


def _lifecycle(response: dict[str, Any] | None) -> dict[str, Any]:
    rules = (response or {}).get("Rules") or []

    def named(status: str) -> tuple[str, ...]:
        return tuple(r.get("ID") or "(unnamed)" for r in rules if r.get("Status") == status)

    return {"enabled_rules": named("Enabled"), "disabled_rules": named("Disabled")}


def _existence(ctx: CollectContext, bucket: S3Bucket) -> S3BucketExistence:
    """HeadBucket for a referenced bucket that is not the account's: 404 means nobody owns the name, 403 (or
    success) that another account does."""
    try:
        found = ctx.call(HEAD_BUCKET, absent=frozenset({"404", "NoSuchBucket", "NotFound"}), Bucket=bucket.name)
    except CallFailed as refused:
        if refused.error.error_code not in FORBIDDEN_CODES:
            raise
        return S3BucketExistence(**same_identity(bucket), exists=True, accessible=False)
    return S3BucketExistence(**same_identity(bucket), exists=found is not None, accessible=found is not None)


def _account_public_access_block(ctx: CollectContext) -> Iterator[S3AccountPublicAccessBlock]:
    response = ctx.call(
        GET_ACCOUNT_PUBLIC_ACCESS_BLOCK,
        absent=frozenset({"NoSuchPublicAccessBlockConfiguration"}),
        AccountId=ctx.account_id,
    )
    yield S3AccountPublicAccessBlock(
        **ctx.identity("account-public-access-block", name=ctx.account_id),
        settings=_block_public_access(response),
    )


def _aspect(record: type[Record], operation: str, fields: Fields, *absent: str) -> PartCollector:
    """The collector of a bucket setting read with one `s3:<operation>` call per bucket of the account."""
    setting = _BucketSetting(record, Operation(f"s3:{operation}"), fields, frozenset(absent))
    collect = ForEachRecord((S3Bucket,), setting.operation, setting, where=lambda bucket: bucket.in_account)
    return PartCollector(record, collect, aspect_of=S3Bucket)


def _buckets_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """One ListBuckets (given MaxBuckets, it answers each bucket's region: no GetBucketLocation) when any bucket
    is referenced."""
    listed = len(census.records(S3Bucket, account_id, region))
    return Counter({str(LIST_BUCKETS): 1} if listed else {})


COLLECTORS = (
    PartCollector(
        S3Bucket,
        _buckets,
        calls=(LIST_BUCKETS, GET_BUCKET_LOCATION),
        follows=RefKind.S3,
        minimum=_buckets_minimum,
    ),
    _aspect(
        S3BucketEncryption,
        "GetBucketEncryption",
        _encryption,
        "ServerSideEncryptionConfigurationNotFoundError",
    ),
    _aspect(S3BucketVersioning, "GetBucketVersioning", _versioning),
    _aspect(
        S3BucketPublicAccessBlock,
        "GetPublicAccessBlock",
        lambda response: {"settings": _block_public_access(response)},
        "NoSuchPublicAccessBlockConfiguration",
    ),
    _aspect(S3BucketPolicy, "GetBucketPolicy", _policy, "NoSuchBucketPolicy"),
    _aspect(S3BucketLogging, "GetBucketLogging", _logging),
    _aspect(
        S3BucketLifecycle,
        "GetBucketLifecycleConfiguration",
        _lifecycle,
        "NoSuchLifecycleConfiguration",
    ),
    PartCollector(
        S3BucketExistence,
        ForEachRecord((S3Bucket,), HEAD_BUCKET, _existence, where=lambda bucket: not bucket.in_account),
        aspect_of=S3Bucket,
    ),
    PartCollector(
        S3AccountPublicAccessBlock,
        _account_public_access_block,
        calls=(GET_ACCOUNT_PUBLIC_ACCESS_BLOCK,),
        minimum=lambda census, account_id, region: one_call_each(GET_ACCOUNT_PUBLIC_ACCESS_BLOCK),
    ),
)
