"""S3 buckets that hold training data, model artefacts, checkpoints and captured inference data."""

from __future__ import annotations

from mlaudit.inventory import S3Bucket, S3BucketEncryption
from mlaudit.inventory.cloudtrail import CloudTrailTrail
from mlaudit.inventory.policies import PolicyStatement, wildcard_match
from mlaudit.inventory.s3 import (
    S3AccountPublicAccessBlock,
    S3BucketExistence,
    S3BucketLifecycle,
    S3BucketLogging,
    S3BucketPolicy,
    S3BucketPublicAccessBlock,
    S3BucketVersioning,
)
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Setting,
    Severity,
    check,
    config_rule,
    failed,
    ml_lens,
    passed,
    security_hub,
)
from mlaudit.sdk.kms import SSE_KMS_ALGORITHMS
from mlaudit.sdk.wording import first_users, names, used_by


def _owned(bucket: S3Bucket) -> bool:
    """Settings are judged only on the account's own buckets; S3-ML-007 judges the others."""
    return bucket.in_account


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
    judges="""Buckets of the scanned account that ML resources reference; other accounts' buckets, or buckets that
    no longer exist, get no finding (S3-ML-007 judges them). SSE-KMS or DSSE-KMS passes with a customer managed key
    or the AWS managed aws/s3 key alike; SSE-S3 or no default encryption fails.""",
    remediation=Remediation(
        text="Set the bucket's default encryption to SSE-KMS with a customer managed key and enable S3 Bucket Keys to "
        "keep KMS costs low. Existing objects keep their encryption until rewritten (S3 Batch Operations can copy "
        "them in place).",
        cli="aws s3api put-bucket-encryption --bucket <bucket> --server-side-encryption-configuration "
        '\'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"<key-arn>"},'
        '"BucketKeyEnabled":true}]}\'',
        url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html",
        placeholders={"bucket": "resource_name"},
    ),
    references=(ml_lens("MLSEC-02"), config_rule("s3-default-encryption-kms")),
)
def ml_bucket_not_kms_encrypted(bucket: S3Bucket, ctx: CheckContext) -> Outcome | None:
    if not _owned(bucket):
        return None
    encryption = ctx.require(S3BucketEncryption, bucket.arn)
    if encryption.algorithm in SSE_KMS_ALGORITHMS:
        key = f" with {encryption.kms_key_id}" if encryption.kms_key_id else " with the AWS managed key aws/s3"
        return passed(f"default encryption is {encryption.algorithm}{key}")
    if encryption.algorithm is None:
        return failed(f"no default encryption ({used_by(bucket.reference_count)})")
    return failed(
        f"default encryption is {encryption.algorithm} (SSE-S3), not SSE-KMS ({used_by(bucket.reference_count)})"
    )


@check(
    id="S3-ML-002",
    name="ml-bucket-versioning-disabled",
    title="Buckets used by ML workloads should have versioning enabled",
    severity=Severity.MEDIUM,
    pillar=Pillar.RELIABILITY,
    resource=S3Bucket,
    uses=(S3BucketVersioning,),
    rationale="""A model is only as reproducible as the data it was trained on: without versioning, an overwritten or
    deleted training file, feature snapshot or model artefact is gone, and a poisoned object replaces the good one
    without a trace. Versioning keeps every prior version so that a training run can be reproduced and a bad write
    rolled back. Suspended versioning counts as disabled: new writes are no longer kept.""",
    judges="""Buckets of the scanned account that ML resources reference; other accounts' buckets, or buckets that
    no longer exist, get no finding (S3-ML-007 judges them). Suspended versioning fails like versioning never
    enabled; MFA delete is reported, not required.""",
    remediation=Remediation(
        text="Enable versioning on the bucket, and add a lifecycle rule that expires noncurrent versions after a "
        "retention period so that storage does not grow without bound.",
        cli="aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled",
        url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/manage-versioning-examples.html",
        placeholders={"bucket": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-10"),
        ml_lens("MLOE-11"),
        security_hub("S3.14"),
        config_rule("s3-bucket-versioning-enabled"),
    ),
)
def ml_bucket_versioning_disabled(bucket: S3Bucket, ctx: CheckContext) -> Outcome | None:
    if not _owned(bucket):
        return None
    versioning = ctx.require(S3BucketVersioning, bucket.arn)
    if versioning.status == "Enabled":
        return passed("versioning is Enabled" + (" with MFA delete" if versioning.mfa_delete else ""))
    state = "Suspended" if versioning.status == "Suspended" else "never enabled"
    return failed(f"versioning is {state}; {used_by(bucket.reference_count)}")


@check(
    id="S3-ML-003",
    name="ml-bucket-public-access-not-blocked",
    title="Buckets used by ML workloads should block all public access",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=S3Bucket,
    uses=(S3BucketPublicAccessBlock, S3AccountPublicAccessBlock),
    rationale="""Training data, model artefacts and captured inference requests are rarely meant for the internet,
    yet one permissive ACL or bucket policy makes them so. S3 Block Public Access overrides such grants; S3 applies
    the most restrictive combination of the bucket's and the account's settings, so each of the four flags counts
    as on when it is on at either level (the account-level settings are read once per account, with S3 Control).""",
    judges="""Buckets of the scanned account that ML resources reference; other accounts' buckets, or buckets that
    no longer exist, get no finding (S3-ML-007 judges them). Each of the four flags counts when it is on at the
    bucket or the account level; ACLs and bucket policies themselves are not read.""",
    remediation=Remediation(
        text="Turn on all four Block Public Access settings for the bucket, or better for the whole account (S3 > "
        "Block Public Access settings for this account), after checking that nothing relies on public access.",
        cli="aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration "
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
        url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
        placeholders={"bucket": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-12"),
        ml_lens("MLSEC-04"),
        security_hub("S3.8"),
        security_hub("S3.1"),
        config_rule("s3-bucket-level-public-access-prohibited"),
        config_rule("s3-account-level-public-access-blocks"),
    ),
)
def ml_bucket_public_access_not_blocked(bucket: S3Bucket, ctx: CheckContext) -> Outcome | None:
    if not _owned(bucket):
        return None
    bucket_off = ctx.require(S3BucketPublicAccessBlock, bucket.arn).settings.off()
    if not bucket_off:
        return passed("all four Block Public Access settings are on for the bucket")
    account_off = ctx.require(S3AccountPublicAccessBlock, bucket.account_id).settings.off()
    off = [flag for flag in bucket_off if flag in account_off]
    if not off:
        return passed(f"the account-level settings cover what the bucket leaves off ({names(bucket_off)})")
    return failed(f"off at both bucket and account level: {names(off)}; {used_by(bucket.reference_count)}")


SECURE_TRANSPORT = "aws:securetransport"


def _denies_plain_http(statement: PolicyStatement, bucket_arn: str) -> bool:
    """A Deny for everyone, on every object request, whose only condition is aws:SecureTransport false."""
    insecure_only = bool(statement.conditions) and all(
        c.operator in ("Bool", "BoolIfExists") and c.key.lower() == SECURE_TRANSPORT and "false" in c.values
        for c in statement.conditions
    )
    return (
        statement.denies
        and statement.applies_to_everyone
        and insecure_only
        and all(statement.covers_action(action) for action in ("s3:GetObject", "s3:PutObject"))
        and statement.covers_resource(f"{bucket_arn}/any-object-key")
    )


@check(
    id="S3-ML-004",
    name="ml-bucket-allows-plain-http",
    title="Buckets used by ML workloads should refuse requests over plain HTTP",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=S3Bucket,
    uses=(S3BucketPolicy,),
    rationale="""S3 accepts HTTP as well as HTTPS unless the bucket policy refuses it, and a notebook, a training
    script or a third-party tool configured with an http:// endpoint sends training data and model artefacts in
    clear text. The check looks for a Deny statement for every principal, on object reads and writes, conditioned
    only on aws:SecureTransport being false; a Deny narrowed to some principals, prefixes or extra conditions
    leaves other requests allowed over HTTP, so it does not count.""",
    judges="""Buckets of the scanned account that ML resources reference; other accounts' buckets, or buckets that
    no longer exist, get no finding (S3-ML-007 judges them). Only a Deny for every principal on object reads and
    writes, conditioned on aws:SecureTransport false alone, passes.""",
    remediation=Remediation(
        text="Add a statement to the bucket policy that denies s3:* to every principal on the bucket and its objects "
        'when aws:SecureTransport is false: {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":'
        '["arn:aws:s3:::<bucket>","arn:aws:s3:::<bucket>/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}.',
        cli="aws s3api put-bucket-policy --bucket <bucket> --policy file://policy-with-deny-insecure-transport.json",
        url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
        placeholders={"bucket": "resource_name"},
    ),
    references=(ml_lens("MLSEC-02"), security_hub("S3.5"), config_rule("s3-bucket-ssl-requests-only")),
)
def ml_bucket_allows_plain_http(bucket: S3Bucket, ctx: CheckContext) -> Outcome | None:
    if not _owned(bucket):
        return None
    policy = ctx.require(S3BucketPolicy, bucket.arn)
    denying = [
        s.sid or f"statement {i + 1}" for i, s in enumerate(policy.statements) if _denies_plain_http(s, bucket.arn)
    ]
    if denying:
        return passed("the bucket policy denies requests without TLS: " + names(denying))
    if not policy.statements:
        return failed(f"no bucket policy, so requests over plain HTTP are accepted; {used_by(bucket.reference_count)}")
    return failed("the bucket policy has no Deny on aws:SecureTransport=false covering every principal and object")


@check(
    id="S3-ML-005",
    name="ml-bucket-access-not-logged",
    title="Access to buckets used by ML workloads should be logged",
    severity=Severity.LOW,
    pillar=Pillar.SECURITY,
    resource=S3Bucket,
    uses=(S3BucketLogging, CloudTrailTrail),
    rationale="""When training data leaks or a model artefact is tampered with, the first question is who read or
    wrote which object, and only object-level logs answer it: CloudTrail management events do not record GetObject
    or PutObject. Either S3 server access logging or CloudTrail data events count. A trail counts when it is logging,
    covers the bucket's region and records object reads of the whole bucket; a selector narrowed to some prefixes,
    events or identities does not.""",
    judges="""Buckets of the scanned account that ML resources reference; other accounts' buckets, or buckets that
    no longer exist, get no finding (S3-ML-007 judges them). Server access logging to any target passes, as does a
    logging trail that covers the bucket's region and records object reads of the whole bucket.""",
    remediation=Remediation(
        text="Enable server access logging to a dedicated log bucket, or add a CloudTrail event selector for S3 data "
        "events on the bucket (advanced selectors: eventCategory Data, resources.type AWS::S3::Object, resources.ARN "
        "StartsWith arn:aws:s3:::<bucket>/).",
        cli="aws s3api put-bucket-logging --bucket <bucket> --bucket-logging-status "
        '\'{"LoggingEnabled":{"TargetBucket":"<log-bucket>","TargetPrefix":"<bucket>/"}}\'',
        url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/logging-with-S3.html",
    ),
    references=(
        ml_lens("MLSEC-13"),
        ml_lens("MLSEC-06"),
        security_hub("S3.9"),
        config_rule("s3-bucket-logging-enabled"),
        config_rule("cloudtrail-s3-dataevents-enabled"),
    ),
)
def ml_bucket_access_not_logged(bucket: S3Bucket, ctx: CheckContext) -> Outcome | None:
    if not _owned(bucket):
        return None
    logging = ctx.require(S3BucketLogging, bucket.arn)
    trails = [
        t.name
        for t in ctx.all(CloudTrailTrail)
        if t.logging and t.covers_region(bucket.region) and t.records_object_reads(bucket.arn)
    ]
    found = []
    if logging.target_bucket:
        found.append(f"server access logs go to s3://{logging.target_bucket}/{logging.target_prefix or ''}")
    if trails:
        found.append("CloudTrail records its object-level reads: " + names(trails))
    if found:
        return passed("; ".join(found))
    return failed(
        f"no server access logging and no logging trail records its object reads; {used_by(bucket.reference_count)}"
    )


@check(
    id="S3-ML-006",
    name="ml-bucket-no-lifecycle",
    title="Buckets used by ML workloads should have a lifecycle configuration",
    severity=Severity.LOW,
    pillar=Pillar.SUSTAINABILITY,
    resource=S3Bucket,
    uses=(S3BucketLifecycle,),
    rationale="""ML buckets grow with every experiment: checkpoints, intermediate datasets, old model versions and
    captured inference data that nobody reads again, stored at full price and often holding personal data longer
    than needed. A lifecycle configuration moves cold data to cheaper storage classes and expires what is no longer
    needed. A configuration whose rules are all disabled does nothing, so it fails too.""",
    judges="""Buckets of the scanned account that ML resources reference; other accounts' buckets, or buckets that
    no longer exist, get no finding (S3-ML-007 judges them). One enabled lifecycle rule passes, whatever it does; a
    configuration whose rules are all disabled fails.""",
    remediation=Remediation(
        text="Add lifecycle rules suited to each prefix: expire checkpoints and temporary outputs, transition old "
        "training data and captured inference data to S3 Glacier, expire noncurrent versions, and abort incomplete "
        "multipart uploads.",
        cli="aws s3api put-bucket-lifecycle-configuration --bucket <bucket> --lifecycle-configuration file://lifecycle.json",
        url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html",
        placeholders={"bucket": "resource_name"},
    ),
    references=(
        ml_lens("MLSUS-05"),
        ml_lens("MLSEC-07"),
        security_hub("S3.13"),
        config_rule("s3-lifecycle-policy-check"),
    ),
)
def ml_bucket_no_lifecycle(bucket: S3Bucket, ctx: CheckContext) -> Outcome | None:
    if not _owned(bucket):
        return None
    lifecycle = ctx.require(S3BucketLifecycle, bucket.arn)
    if lifecycle.enabled_rules:
        return passed("lifecycle rules enabled: " + names(list(lifecycle.enabled_rules)))
    if lifecycle.disabled_rules:
        return failed("every lifecycle rule is disabled: " + names(list(lifecycle.disabled_rules)))
    return failed(f"no lifecycle configuration; {used_by(bucket.reference_count)}")


@check(
    id="S3-ML-007",
    name="ml-bucket-missing-or-foreign",
    title="Buckets referenced by ML resources should exist and belong to the account",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=S3Bucket,
    uses=(S3BucketExistence,),
    settings={
        "trusted_buckets": Setting(
            default=("jumpstart-cache-prod-*", "jumpstart-private-cache-prod-*", "sagemaker-sample-files"),
            description="bucket name patterns (* wildcards) of other accounts' buckets that may be referenced, such as "
            "the AWS-owned SageMaker JumpStart and sample buckets",
        )
    },
    rationale="""Bucket names are global: when a bucket that a model, training job or endpoint still names is deleted,
    anyone can create a bucket with that name in their own account (bucket squatting) and receive the captured
    inference data and training output, or serve a poisoned model artefact and training data. A bucket that exists
    but is not among the account's own buckets is another account's, which the account does not control. Another
    account's bucket that is meant to be used can be allow-listed; a missing bucket always fails.""",
    judges="""Every bucket an ML resource references. A bucket of the scanned account passes; a bucket that does not
    exist fails, and another account's bucket fails unless its name matches trusted_buckets.""",
    remediation=Remediation(
        text="Point the resource at a bucket the account owns (recreate it under the same name at once if it is "
        "missing, to keep it out of others' hands), and pass ExpectedBucketOwner on S3 calls to shared buckets so "
        "that a squatted bucket is refused.",
        cli="aws s3api create-bucket --bucket <bucket> --create-bucket-configuration LocationConstraint=<region>",
        url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html",
    ),
    references=(ml_lens("MLSEC-10"), ml_lens("MLSEC-06")),
)
def ml_bucket_missing_or_foreign(bucket: S3Bucket, ctx: CheckContext) -> Outcome | None:
    if bucket.in_account:
        return passed("the bucket belongs to this account")
    existence = ctx.require(S3BucketExistence, bucket.arn)
    users = first_users(bucket.referenced_by)
    if not existence.exists:
        return failed(
            f"the bucket does not exist, so anyone can create it and receive or serve this data; named by {users}"
        )
    if any(wildcard_match(pattern, bucket.name) for pattern in ctx.setting("trusted_buckets")):
        return passed("another account's bucket, allow-listed in trusted_buckets")
    access = "readable by this account" if existence.accessible else "access denied to this account"
    return failed(f"the bucket belongs to another account ({access}); named by {users}")
