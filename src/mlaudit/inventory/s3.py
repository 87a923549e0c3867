"""S3 records for the buckets that ML workloads reference."""

from __future__ import annotations

from typing import ClassVar, Iterator

from mlaudit.inventory.base import PartScope, Record, RefKind, Reference


class S3Bucket(Record):
    """A bucket referenced by an ML resource (training data, artefacts, data capture...).

    Only referenced buckets are collected: an account's other buckets are not ML's business.
    """

    part: ClassVar[str] = "s3.bucket"
    service: ClassVar[str] = "s3"
    resource_type: ClassVar[str] = "AWS::S3::Bucket"
    label: ClassVar[str] = "ML buckets"
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


RECORDS = (S3Bucket, S3BucketEncryption,)
