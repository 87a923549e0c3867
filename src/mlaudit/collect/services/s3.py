"""S3 collectors: only the buckets that ML records reference, each described with a client of its own region.

Every bucket setting a check reads (encryption, versioning, policy...) is its own part, one call per bucket, so a
scan pays only for the settings its checks need. The account-wide Block Public Access settings come from S3 Control.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from mlaudit.collect.accounts.failures import CallFailed
from mlaudit.collect.engine.census import one_call_each
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Followed, follow_references
from mlaudit.collect.engine.spec import Census, MinimumCalls, PartCollector
from mlaudit.collect.services._policies import parse_policy
from mlaudit.inventory import GLOBAL_REGION, Identity, Record, RefKind, S3Bucket, S3BucketEncryption, s3_bucket_of
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
T = TypeVar("T")


BUCKETS = "s3-buckets"
LOCATION = "s3-bucket-location"
"""The answers every bucket part reads: the account's bucket list, and a bucket's region when the list lacks it."""


def _owned(ctx: CollectContext) -> dict[str, str | None]:
    """The account's buckets and their regions (ListBuckets, given MaxBuckets, answers each bucket's region)."""
    return ctx.shared(
        BUCKETS, lambda: {b["Name"]: b.get("BucketRegion") for b in ctx.paginate(LIST_BUCKETS, "Buckets")}
    )


def _home(ctx: CollectContext, name: str) -> str:
    """The region of a bucket of this account (`global` for one of another account)."""
    owned = _owned(ctx)
    if name not in owned:
        return GLOBAL_REGION
    if owned[name]:
        return str(owned[name])

    def locate() -> str:
        constraint = (ctx.call(GET_BUCKET_LOCATION, Bucket=name) or {}).get("LocationConstraint")
        return str(LEGACY_LOCATIONS.get(constraint, constraint))

    return ctx.shared(LOCATION, locate, item=name)


def _bucket_identity(ctx: CollectContext, name: str, region: str = GLOBAL_REGION) -> Identity:
    """A bucket's identity, its records' and its settings' alike: listed account-wide, it lives in its own region."""
    return S3Bucket.identity_of(ctx.partition, region, ctx.account_id, name)


def _follow_buckets(
    ctx: CollectContext, read: Callable[[str], T], admit: Operation, in_account: bool | None
) -> Followed[T]:
    """The buckets ML records reference (of this account, of others, or both: `in_account` None), each read as
    soon as a region's records name it; the bucket list is read first, and its failure is the whole part's."""

    def wanted(uri: str) -> str | None:
        bucket = s3_bucket_of(uri)
        return bucket if bucket and (in_account is None or (bucket in _owned(ctx)) is in_account) else None

    return follow_references(
        ctx, RefKind.S3, read, lambda name: _bucket_identity(ctx, name), admit, wanted, first=lambda: _owned(ctx)
    )


def _buckets(ctx: CollectContext) -> Iterator[S3Bucket]:
    found = _follow_buckets(ctx, lambda name: _home(ctx, name), GET_BUCKET_LOCATION, in_account=None)
    for name, region in found.answers.items():
        referencing = found.users[name]
        yield S3Bucket(
            **_bucket_identity(ctx, name, region),
            in_account=name in _owned(ctx),
            referenced_by=tuple(referencing[:MAX_LISTED_USERS]),
            reference_count=len(referencing),
        )


Fields = Callable[[dict[str, Any] | None], dict[str, Any]]


@dataclass(frozen=True)
class _BucketSetting:
    """One call per bucket; `fields` turns the response (None when AWS answers with an `absent` code, i.e. "not
    configured") into the aspect record's fields."""

    record: type[Record]
    operation: Operation
    fields: Fields
    absent: frozenset[str]

    def __call__(self, ctx: CollectContext) -> Iterator[Record]:
        """The setting of each of the account's referenced buckets, read as soon as a region's records name it."""

        def read(name: str) -> Record:
            region = _home(ctx, name)
            response = ctx.call(self.operation, region=region, absent=self.absent, Bucket=name)
            return self.record(**_bucket_identity(ctx, name, region), **self.fields(response))

        yield from _follow_buckets(ctx, read, self.operation, in_account=True).answers.values()


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


def _existence(ctx: CollectContext) -> Iterator[S3BucketExistence]:
    """HeadBucket for each referenced bucket that is not the account's: 404 means nobody owns the name, 403 (or
    success) that another account does."""

    def head(name: str) -> S3BucketExistence:
        try:
            found = ctx.call(HEAD_BUCKET, absent=frozenset({"404", "NoSuchBucket", "NotFound"}), Bucket=name)
        except CallFailed as refused:
            if refused.error.error_code not in FORBIDDEN_CODES:
                raise
            return S3BucketExistence(**_bucket_identity(ctx, name), exists=True, accessible=False)
        return S3BucketExistence(**_bucket_identity(ctx, name), exists=found is not None, accessible=found is not None)

    yield from _follow_buckets(ctx, head, HEAD_BUCKET, in_account=False).answers.values()


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


def _one_call_a_record(record: type[Record], operation: Operation) -> MinimumCalls:
    """One call for each record the part holds (a bucket's setting, a bucket's existence)."""

    def minimum(census: Census, account_id: str, region: str) -> Counter[str]:
        records = len(census.records(record, account_id, region))
        return Counter({str(operation): records} if records else {})

    return minimum


def _bucket_part(
    record: type[Record], collect: Callable[[CollectContext], Iterable[Record]], operation: Operation
) -> PartCollector:
    """A part read bucket by bucket, streaming: it starts on the first region's references."""
    return PartCollector(
        record,
        collect,
        calls=(LIST_BUCKETS, GET_BUCKET_LOCATION, operation),
        follows=RefKind.S3,
        shares=(BUCKETS, LOCATION),
        minimum=_one_call_a_record(record, operation),
        streams=True,
    )


def _aspect(record: type[Record], operation: str, fields: Fields, *absent: str) -> PartCollector:
    """The collector of a bucket setting read with one `s3:<operation>` call per bucket of the account."""
    setting = _BucketSetting(record, Operation(f"s3:{operation}"), fields, frozenset(absent))
    return _bucket_part(record, setting, setting.operation)


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
        shares=(BUCKETS, LOCATION),
        minimum=_buckets_minimum,
        streams=True,
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
    _bucket_part(S3BucketExistence, _existence, HEAD_BUCKET),
    PartCollector(
        S3AccountPublicAccessBlock,
        _account_public_access_block,
        calls=(GET_ACCOUNT_PUBLIC_ACCESS_BLOCK,),
        minimum=lambda census, account_id, region: one_call_each(GET_ACCOUNT_PUBLIC_ACCESS_BLOCK),
    ),
)
