"""The platform under the ML estate: buckets, CloudTrail, roles, keys and networks.

The fraud-detection team's buckets are versioned, private, TLS-only, logged by a data-event trail and cleaned up by
lifecycle rules; the legacy churn bucket and the recommendations team's bucket have none of that, and an old
churn model still names a bucket that was deleted long ago (anyone could claim the name).
"""

from __future__ import annotations

import json

from mlaudit.demo.estate.base import SANDBOX_ROLE, Estate

FRAUD_BUCKETS = ("acme-fraud-training-data", "acme-fraud-model-artifacts")
AUDIT_BUCKET = "acme-audit-logs"
DELETED_BUCKET = "acme-churn-legacy-2018"
"""Named by the retired churn model, deleted years ago."""

PRIVATE = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}


def _tls_only(bucket: str) -> str:
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }],
    })


def _buckets(estate: Estate) -> None:
    s3 = estate.east.s3
    for bucket in FRAUD_BUCKETS:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration=PRIVATE)
        s3.put_bucket_policy(Bucket=bucket, Policy=_tls_only(bucket))
    s3.put_bucket_lifecycle_configuration(Bucket="acme-fraud-model-artifacts", LifecycleConfiguration={"Rules": [
        {"ID": "expire-checkpoints", "Status": "Enabled", "Filter": {"Prefix": "checkpoints/"}, "Expiration": {"Days": 30}},
    ]})
    estate.east.model(
        "churn-legacy-2018",
        SANDBOX_ROLE,
        {"Image": estate.east.image("churn:2018"), "ModelDataUrl": f"s3://{DELETED_BUCKET}/models/churn-2018.tar.gz"},
        in_vpc=False,
    )


def _trails(estate: Estate) -> None:
    """A single-region trail in us-east-1 that records the fraud team's object reads (and management events)."""
    estate.east.s3.create_bucket(Bucket=AUDIT_BUCKET)
    cloudtrail = estate.client("cloudtrail")
    cloudtrail.create_trail(Name="acme-fraud-data-events", S3BucketName=AUDIT_BUCKET, IsMultiRegionTrail=False)
    cloudtrail.put_event_selectors(TrailName="acme-fraud-data-events", EventSelectors=[{
        "ReadWriteType": "All",
        "IncludeManagementEvents": True,
        "DataResources": [{"Type": "AWS::S3::Object", "Values": [f"arn:aws:s3:::{b}/" for b in FRAUD_BUCKETS]}],
    }])
    cloudtrail.start_logging(Name="acme-fraud-data-events")


def seed(estate: Estate) -> None:
    _buckets(estate)
    _trails(estate)
