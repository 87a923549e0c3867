"""S3 records for the buckets that ML workloads reference."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from mlaudit.inventory.base import PartScope, Record, Reference, RefKind, Value
from mlaudit.inventory.policies import PolicyStatement


class S3Bucket(Record):
    """A bucket referenced by an ML resource (training data, artefacts, data capture...).

    Only referenced buckets are collected: an account's other buckets are not ML's business.
    """

    part: ClassVar[str] = "s3.bucket"
    service: ClassVar[str] = "s3"
    resource_type: ClassVar[str] = "AWS::S3::Bucket"
    label: ClassVar[str] = "ML buckets"
    arn_in_account: ClassVar[bool] = False
    arn_resource: ClassVar[str] = "{id}"
    scope: ClassVar[PartScope] = PartScope.GLOBAL

    in_account: bool
    """False when the bucket is referenced but not among the account's own buckets."""
    referenced_by: tuple[str, ...] = ()
    """ARNs of (at most the first 20) ML resources that use the bucket."""
    reference_count: int = 0


class S3BucketEncryption(Record):
    """A bucket's default encryption (aspect of S3Bucket, keyed by the same ARN)."""

    part: ClassVar[str] = "s3.bucket_encryption"
    service: ClassVar[str] = "s3"
    resource_type: ClassVar[str] = "AWS::S3::Bucket"
    label: ClassVar[str] = "bucket encryption settings"
    scope: ClassVar[PartScope] = PartScope.GLOBAL
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.KMS_KEY})

    algorithm: str | None = None
    """SSEAlgorithm of the default rule: AES256, aws:kms, aws:kms:dsse; None when none is configured."""
    kms_key_id: str | None = None
    bucket_key_enabled: bool = False

    def references(self) -> Iterator[Reference]:
        ref = self.kms_key_ref(self.kms_key_id) if self.algorithm and self.algorithm.startswith("aws:kms") else None
        if ref:
            yield ref


class _BucketAspect(Record):
    """An aspect of an ML bucket, keyed by the bucket's ARN."""

    service: ClassVar[str] = "s3"
    resource_type: ClassVar[str] = "AWS::S3::Bucket"
    scope: ClassVar[PartScope] = PartScope.GLOBAL


class S3BucketVersioning(_BucketAspect):
    part: ClassVar[str] = "s3.bucket_versioning"
    label: ClassVar[str] = "bucket versioning settings"

    status: str | None = None
    """Enabled or Suspended; None for a bucket that never had versioning."""
    mfa_delete: bool = False


class PublicAccessBlock(Value):
    """The four S3 Block Public Access flags; all off when no configuration exists."""

    block_public_acls: bool = False
    ignore_public_acls: bool = False
    block_public_policy: bool = False
    restrict_public_buckets: bool = False

    def off(self) -> list[str]:
        """The names (as in the API) of the flags that are off."""
        return [_FLAG_NAMES[field] for field, on in self.model_dump().items() if not on]


_FLAG_NAMES = {
    "block_public_acls": "BlockPublicAcls",
    "ignore_public_acls": "IgnorePublicAcls",
    "block_public_policy": "BlockPublicPolicy",
    "restrict_public_buckets": "RestrictPublicBuckets",
}


class S3BucketPublicAccessBlock(_BucketAspect):
    part: ClassVar[str] = "s3.bucket_public_access_block"
    label: ClassVar[str] = "bucket public access blocks"

    settings: PublicAccessBlock = PublicAccessBlock()


class S3AccountPublicAccessBlock(Record):
    """The account-wide S3 Block Public Access settings (S3 Control), which apply to every bucket; named by the
    account id."""

    part: ClassVar[str] = "s3.account_public_access_block"
    service: ClassVar[str] = "s3"
    resource_type: ClassVar[str] = "AWS::S3::AccountPublicAccessBlock"
    label: ClassVar[str] = "account public access blocks"
    arn_resource: ClassVar[str] = "{id}"
    scope: ClassVar[PartScope] = PartScope.GLOBAL

    settings: PublicAccessBlock = PublicAccessBlock()


class S3BucketPolicy(_BucketAspect):
    part: ClassVar[str] = "s3.bucket_policy"
    label: ClassVar[str] = "bucket policies"

    statements: tuple[PolicyStatement, ...] = ()
    """Empty when the bucket has no policy."""


class S3BucketLogging(_BucketAspect):
    part: ClassVar[str] = "s3.bucket_logging"
    label: ClassVar[str] = "bucket access logging settings"

    target_bucket: str | None = None
    """Where server access logs go; None when server access logging is off."""
    target_prefix: str | None = None


class S3BucketLifecycle(_BucketAspect):
    part: ClassVar[str] = "s3.bucket_lifecycle"
    label: ClassVar[str] = "bucket lifecycle configurations"

    enabled_rules: tuple[str, ...] = ()
    """IDs of the rules with Status Enabled (a rule without an ID is shown as `(unnamed)`)."""
    disabled_rules: tuple[str, ...] = ()


class S3BucketExistence(_BucketAspect):
    """Whether a bucket that ML resources reference, but that is not among the account's own buckets, exists
    (HeadBucket). A missing bucket is a dangling reference anyone can claim by creating it."""

    part: ClassVar[str] = "s3.bucket_existence"
    label: ClassVar[str] = "referenced buckets outside the account"

    exists: bool
    accessible: bool = False
    """HeadBucket succeeded: another account's bucket that this one may read (or write)."""
