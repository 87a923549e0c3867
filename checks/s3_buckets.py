"""S3 buckets that hold training data, model artefacts, checkpoints and captured inference data."""

from __future__ import annotations

from mlaudit.inventory import S3Bucket, S3BucketEncryption
from mlaudit.sdk import CheckContext, Outcome, Pillar, Remediation, Severity, check, config_rule, failed, ml_lens, passed

KMS_ALGORITHMS = frozenset({"aws:kms", "aws:kms:dsse"})


@check(
    id="S3-ML-001",
    name="ml-bucket-not-kms-encrypted",
    title="Buckets used by ML workloads should be encrypted with SSE-KMS by default",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=S3Bucket,
    uses=(S3BucketEncryption,),
    rationale="""Training data, model artefacts and captured inference requests are often the most sensitive data an
    ML team holds. With SSE-S3 (or no default encryption), anyone with s3:GetObject reads them; with SSE-KMS a
    reader also needs the key, every decryption is logged in CloudTrail, and access can be revoked by key policy.
    Only buckets in the scanned account are judged.""",
    remediation=Remediation(
        text="Set the bucket's default encryption to SSE-KMS with a customer managed key and enable S3 Bucket Keys to "
        "keep KMS costs low. Existing objects keep their encryption until rewritten (S3 Batch Operations can copy "
        "them in place).",
        cli="aws s3api put-bucket-encryption --bucket <bucket> --server-side-encryption-configuration "
        '\'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"<key-arn>"},'
        '"BucketKeyEnabled":true}]}\'',
        url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html",
    ),
    references=(ml_lens("MLSEC-02"), config_rule("s3-default-encryption-kms")),
)
def ml_bucket_not_kms_encrypted(bucket: S3Bucket, ctx: CheckContext) -> Outcome | None:
    if not bucket.in_account:
        return None
    encryption = ctx.require(S3BucketEncryption, bucket.arn)
    used_by = f" (used by {bucket.reference_count} ML resource{'s' if bucket.reference_count != 1 else ''})"
    if encryption.algorithm in KMS_ALGORITHMS:
        key = f" with {encryption.kms_key_id}" if encryption.kms_key_id else " with the AWS managed key aws/s3"
        return passed(f"default encryption is {encryption.algorithm}{key}")
    if encryption.algorithm is None:
        return failed("no default encryption" + used_by)
    return failed(f"default encryption is {encryption.algorithm} (SSE-S3), not SSE-KMS" + used_by)
