"""MACIE-ML-* checks: Macie's automated sensitive data discovery over the buckets ML resources use, through moto and
mlaudit's Macie extension."""

from __future__ import annotations

import boto3

from mlaudit.core.taxonomy import Status
from support import create_model, refuse, scan, verdicts

REGIONS = ("us-east-1", "eu-west-1", "us-west-2", "eu-central-1")


def _ml_bucket(session: boto3.Session, region: str, name: str) -> None:
    """A bucket in `region` that a model there reads its artefacts from."""
    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    session.client("s3", region_name=region).create_bucket(Bucket=name, **location)
    create_model(session, f"model-{name}", region=region, ModelDataUrl=f"s3://{name}/model.tar.gz", Image="model:1")


def _discovery(session: boto3.Session, region: str, excluded: tuple[str, ...] = ()) -> None:
    macie = session.client("macie2", region_name=region)
    scope = macie.get_automated_discovery_configuration()["classificationScopeId"]
    macie.update_automated_discovery_configuration(status="ENABLED")
    if excluded:
        macie.update_classification_scope(
            id=scope, s3={"excludes": {"bucketNames": list(excluded), "operation": "ADD"}}
        )


def test_macie_discovery_covers_ml_buckets(aws: boto3.Session) -> None:
    buckets = ("covered-data", "unwatched-data", "undiscovered-data", "excluded-data")
    for region, bucket in zip(REGIONS, buckets, strict=True):
        _ml_bucket(aws, region, bucket)
    _discovery(aws, "us-east-1")
    aws.client("macie2", region_name="eu-west-1").disable_macie()
    _discovery(aws, "eu-central-1", excluded=("excluded-data", "some-other-bucket"))

    report = scan(aws, ["MACIE-ML-001"], regions=REGIONS)

    assert verdicts(report, "MACIE-ML-001") == {
        "us-east-1": Status.PASS,
        "eu-west-1": Status.FAIL,
        "us-west-2": Status.FAIL,
        "eu-central-1": Status.FAIL,
    }
    detail = {f.resource_name: f.status_detail for f in report.findings}
    assert detail["us-east-1"] == "automated sensitive data discovery covers 1 ML bucket (covered-data)"
    assert detail["eu-west-1"] == (
        "Macie is not enabled in eu-west-1: nothing inspects 1 ML bucket (unwatched-data) for sensitive data"
    )
    assert detail["us-west-2"] == (
        "automated sensitive data discovery is DISABLED, so it does not sample 1 ML bucket (undiscovered-data)"
    )
    assert detail["eu-central-1"] == "automated sensitive data discovery excludes ML bucket(s) excluded-data"


def test_regions_without_ml_buckets_make_no_macie_call(aws: boto3.Session) -> None:
    _ml_bucket(aws, "us-east-1", "only-here")

    report = scan(aws, ["MACIE-ML-001"], regions=("us-east-1", "eu-west-1"))

    assert set(verdicts(report, "MACIE-ML-001")) == {"us-east-1"}
    assert report.scan.statistics.by_operation["macie2:GetMacieSession"] == 1


def test_a_denied_macie_call_is_an_error_not_macie_disabled(aws: boto3.Session) -> None:
    _ml_bucket(aws, "us-east-1", "training-data")
    refuse(aws, "macie2", "GetMacieSession")

    report = scan(aws, ["MACIE-ML-001"])

    assert verdicts(report, "MACIE-ML-001") == {"all Macie sessions": Status.ERROR}
    assert "macie2:GetMacieSession" in report.findings[0].status_detail
