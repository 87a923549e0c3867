"""S3 collectors: only the buckets that ML records reference, each described with a client of its own region."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from mlaudit.collect.context import CollectContext
from mlaudit.collect.spec import PartCollector
from mlaudit.inventory import GLOBAL_REGION, RefKind, S3Bucket, S3BucketEncryption, s3_bucket_of

MAX_LISTED_USERS = 20
"""How many referencing ARNs a bucket record keeps (the count is always exact)."""


def _buckets(ctx: CollectContext) -> Iterator[S3Bucket]:
    users: dict[str, list[str]] = defaultdict(list)
    for uri, arns in ctx.referenced(RefKind.S3).items():
        bucket = s3_bucket_of(uri)
        if bucket:
            users[bucket].extend(arns)
    if not users:
        return
    owned = {b["Name"]: b.get("BucketRegion") for b in ctx.paginate("list_buckets", "Buckets")}

    def describe(name: str) -> S3Bucket:
        region = owned.get(name)
        if name in owned and not region:
            location = ctx.call("get_bucket_location", Bucket=name) or {}
            region = location.get("LocationConstraint") or "us-east-1"
        referencing = sorted(set(users[name]))
        return S3Bucket(
            arn=f"arn:{ctx.partition}:s3:::{name}",
            name=name,
            account_id=ctx.account_id,
            region=region or GLOBAL_REGION,
            in_account=name in owned,
            referenced_by=tuple(referencing[:MAX_LISTED_USERS]),
            reference_count=len(referencing),
        )

    yield from ctx.fan_out(sorted(users), describe, identify=lambda name: (name, f"arn:{ctx.partition}:s3:::{name}"))


def _encryption(ctx: CollectContext) -> Iterator[S3BucketEncryption]:
    buckets = [b for b in ctx.dependency(S3Bucket) if b.in_account]

    def describe(bucket: S3Bucket) -> S3BucketEncryption:
        response = ctx.call(
            "get_bucket_encryption",
            region=bucket.region,
            absent=frozenset({"ServerSideEncryptionConfigurationNotFoundError"}),
            Bucket=bucket.name,
        )
        rules = ((response or {}).get("ServerSideEncryptionConfiguration") or {}).get("Rules") or [{}]
        default = rules[0].get("ApplyServerSideEncryptionByDefault") or {}
        return S3BucketEncryption(
            arn=bucket.arn,
            name=bucket.name,
            account_id=bucket.account_id,
            region=bucket.region,
            algorithm=default.get("SSEAlgorithm"),
            kms_key_id=default.get("KMSMasterKeyID"),
            bucket_key_enabled=bool(rules[0].get("BucketKeyEnabled")),
        )

    yield from ctx.fan_out(buckets, describe, identify=lambda bucket: (bucket.name, bucket.arn))


COLLECTORS = (
    PartCollector(
        S3Bucket,
        ("s3:ListBuckets", "s3:GetBucketLocation"),
        _buckets,
        follows=RefKind.S3,
    ),
    PartCollector(
        S3BucketEncryption,
        ("s3:GetBucketEncryption",),
        _encryption,
        aspect_of=S3Bucket,
    ),
)
