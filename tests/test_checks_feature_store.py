"""SM-FEATURE-* checks against feature groups created in moto (listing and online stores through mlaudit's moto
extension)."""

from __future__ import annotations

import boto3

from mlaudit.core.taxonomy import Status
from mlaudit.demo.estate.lifecycle_requests import feature_group_request
from support import ROLE_ARN, refuse, scan, verdicts

KEY = "arn:aws:kms:us-east-1:123456789012:key/feature-store"
OFFLINE = "s3://features/offline"


def _group(session: boto3.Session, name: str, **stores: str) -> None:
    session.client("sagemaker").create_feature_group(**feature_group_request(name, ROLE_ARN, **stores))


def test_offline_stores_need_a_kms_key(aws: boto3.Session) -> None:
    _group(aws, "pass-offline-kms", offline_uri=OFFLINE, offline_key=KEY)
    _group(aws, "fail-offline-default", offline_uri=OFFLINE, online_key=KEY, online_storage="Standard")
    _group(aws, "na-online-only", online_storage="Standard")

    report = scan(aws, ["SM-FEATURE-001"])

    assert verdicts(report, "SM-FEATURE-001") == {"pass-offline-kms": Status.PASS, "fail-offline-default": Status.FAIL}
    assert "s3://features/offline" in next(f.status_detail for f in report.findings if f.status is Status.FAIL)


def test_standard_online_stores_need_a_kms_key(aws: boto3.Session) -> None:
    _group(aws, "pass-online-kms", online_key=KEY, online_storage="Standard")
    _group(aws, "fail-online-default", offline_uri=OFFLINE, offline_key=KEY, online_storage="Standard")
    _group(aws, "na-in-memory", online_storage="InMemory")
    _group(aws, "na-offline-only", offline_uri=OFFLINE)

    report = scan(aws, ["SM-FEATURE-002"])

    assert verdicts(report, "SM-FEATURE-002") == {"pass-online-kms": Status.PASS, "fail-online-default": Status.FAIL}


def test_a_feature_group_that_cannot_be_described_is_an_error_for_it_alone(aws: boto3.Session) -> None:
    _group(aws, "readable", offline_uri=OFFLINE, offline_key=KEY)
    _group(aws, "hidden", offline_uri=OFFLINE, offline_key=KEY)
    refuse(aws, "sagemaker", "DescribeFeatureGroup", only_for='"hidden"')

    report = scan(aws, ["SM-FEATURE-001"])

    assert verdicts(report, "SM-FEATURE-001") == {"readable": Status.PASS, "hidden": Status.ERROR}
