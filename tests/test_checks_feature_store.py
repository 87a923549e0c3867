"""SM-FEATURE-* checks against feature groups created in moto (listing and online stores through mlaudit's moto
extension)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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


def test_feature_groups_are_read_from_search_and_a_stale_record_is_described(aws: boto3.Session) -> None:
    """Search's record of `hidden` says it is still being created (its index lags): it is described instead, and a
    describe refused is an ERROR for that group alone."""
    _group(aws, "readable", offline_uri=OFFLINE, offline_key=KEY)
    _group(aws, "hidden", offline_uri=OFFLINE, offline_key=KEY)
    calls: list[str] = []
    aws.events.register("before-call.sagemaker", lambda model, **_: calls.append(model.name))
    aws.events.register("after-call.sagemaker.Search", _as_indexed_while_creating("hidden"))
    refuse(aws, "sagemaker", "DescribeFeatureGroup", only_for='"hidden"')

    report = scan(aws, ["SM-FEATURE-001"])

    assert verdicts(report, "SM-FEATURE-001") == {"readable": Status.PASS, "hidden": Status.ERROR}
    assert "DescribeFeatureGroup" in next(f.status_detail for f in report.findings if f.status is Status.ERROR)
    assert calls == ["ListFeatureGroups", "Search"]  # and the describe, answered by the refusal before it is sent


def test_a_failed_search_is_an_error_for_every_feature_group(aws: boto3.Session) -> None:
    _group(aws, "readable", offline_uri=OFFLINE, offline_key=KEY)
    refuse(aws, "sagemaker", "Search")

    report = scan(aws, ["SM-FEATURE-001"])

    assert verdicts(report, "SM-FEATURE-001") == {"all feature groups": Status.ERROR}
    assert "Search" in report.findings[0].status_detail


def _as_indexed_while_creating(name: str) -> Callable[..., None]:
    """An after-call handler giving Search's record of the group `name` the status it had while being created."""

    def stale(parsed: dict[str, Any], **_: object) -> None:
        for result in parsed.get("Results") or []:
            group = result.get("FeatureGroup") or {}
            if group.get("FeatureGroupName") == name:
                group["FeatureGroupStatus"] = "Creating"

    return stale
