"""The ML lifecycle around the foundation's endpoints: Model Monitor jobs and their results, Feature Store,
Pipelines and ownership tags.

In us-east-1 the fraud team tags what it owns, keeps its features in KMS-encrypted stores, retrains through a
pipeline, and watches its endpoint for bias and explainability drift with isolated, encrypted jobs whose reports
and volumes use its own key; its newest monitor (hourly data quality, isolated, encrypted) is clean while the older
one just reported drift. The legacy churn model's
retraining pipeline last ran, and failed, months ago. In eu-west-1 the recommendations team started on Clarify and
Feature Store without isolation or KMS keys, and still retrains by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from mlaudit.demo.estate.base import FRAUD_ROLE, RECS_ROLE, SANDBOX_ROLE, Estate, Region, role_arn
from mlaudit.demo.estate.lifecycle_requests import (
    PIPELINE_DEFINITION,
    create_job_definition,
    feature_group_request,
    inline_schedule_config,
    named_schedule_config,
    network_config,
)
from mlaudit.demo.moto_extensions.sagemaker_monitoring import record_monitoring_execution
from mlaudit.demo.moto_extensions.sagemaker_pipelines import record_pipeline_execution
from mlaudit.demo.server import DEMO_ACCOUNT_ID

AFTER = ("foundation",)
"""Areas whose resources this one uses (roles, buckets, models)."""

FRAUD_TAGS = {"owner": "fraud-detection", "cost-center": "cc-4410", "environment": "production"}
SECURE = network_config(isolation=True, encryption=True)


def seed(estate: Estate) -> None:
    _fraud_team(estate.east)
    _churn_legacy(estate.east)
    _recs_team(estate.west)


def _fraud_team(east: Region) -> None:
    role, image = role_arn(FRAUD_ROLE), east.image("sagemaker-clarify-processing:1.0")
    output = "s3://acme-fraud-model-artifacts/monitoring/"
    key = east.key_arn
    create_job_definition(
        east.sm, "ModelBias", "fraud-scoring-bias", "fraud-scoring", role, image, output, SECURE, 2, kms_key=key
    )
    create_job_definition(
        east.sm,
        "ModelExplainability",
        "fraud-scoring-explainability",
        "fraud-scoring",
        role,
        image,
        output,
        SECURE,
        kms_key=key,
    )
    for name, kind, definition in (
        ("fraud-scoring-bias-drift", "ModelBias", "fraud-scoring-bias"),
        ("fraud-scoring-attribution-drift", "ModelExplainability", "fraud-scoring-explainability"),
    ):
        east.sm.create_monitoring_schedule(
            MonitoringScheduleName=name, MonitoringScheduleConfig=named_schedule_config(kind, definition)
        )
        record_monitoring_execution(east.region, name, "Completed")
    east.sm.create_monitoring_schedule(
        MonitoringScheduleName="fraud-scoring-data-quality-isolated",
        MonitoringScheduleConfig=inline_schedule_config(
            "DataQuality", "fraud-scoring", role, east.image("model-monitor:latest"), output, SECURE, kms_key=key
        ),
    )
    record_monitoring_execution(east.region, "fraud-scoring-data-quality-isolated", "Completed")
    record_monitoring_execution(east.region, "fraud-scoring-data-quality", "CompletedWithViolations")
    record_monitoring_execution(east.region, "fraud-scoring-model-quality", "Completed")

    east.sm.create_feature_group(
        **feature_group_request(
            "fraud-transaction-features",
            role,
            offline_uri="s3://acme-fraud-training-data/feature-store",
            offline_key=east.key_arn,
            online_key=east.key_arn,
            online_storage="Standard",
            tags=FRAUD_TAGS,
        )
    )
    execution = _pipeline(east, "fraud-xgb-retrain", FRAUD_ROLE, FRAUD_TAGS)
    record_pipeline_execution(east.region, execution, "Succeeded", started=datetime.now(UTC) - timedelta(days=3))
    _tag_existing(
        east,
        FRAUD_TAGS,
        ("endpoint", "fraud-scoring"),
        ("endpoint", "fraud-scoring-shadow"),
        ("model", "fraud-xgb-v7"),
        ("notebook-instance", "fraud-research"),
        ("training-job", "fraud-xgb-train-2026-11"),
        ("model-package-group", "fraud-detection"),
    )


def _churn_legacy(east: Region) -> None:
    """The legacy churn model's retraining pipeline: it failed on its last run, seven months ago."""
    long_ago = datetime.now(UTC) - timedelta(days=230)
    record_pipeline_execution(
        east.region, _pipeline(east, "churn-retrain-legacy", SANDBOX_ROLE), "Succeeded", started=long_ago
    )
    record_pipeline_execution(
        east.region,
        east.sm.start_pipeline_execution(PipelineName="churn-retrain-legacy")["PipelineExecutionArn"],
        "Failed",
        "Step TrainChurnModel failed: ClientError: No S3 objects found under s3://acme-churn-legacy/data/2025-04/",
        started=long_ago + timedelta(days=30),
    )


def _recs_team(west: Region) -> None:
    role = role_arn(RECS_ROLE)
    create_job_definition(
        west.sm,
        "ModelExplainability",
        "recs-ranking-explainability",
        "recs-ranking",
        role,
        west.image("sagemaker-clarify-processing:1.0"),
        "s3://acme-recs-features-eu/monitoring/",
        instances=2,
    )
    west.sm.create_feature_group(
        **feature_group_request(
            "recs-user-embeddings",
            role,
            offline_uri="s3://acme-recs-features-eu/feature-store",
            online_storage="Standard",
        )
    )


def _pipeline(region: Region, name: str, role: str, tags: dict[str, str] | None = None) -> str:
    """Create a pipeline and start it once; returns the execution's ARN."""
    extra: dict[str, Any] = {"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]} if tags else {}
    region.sm.create_pipeline(
        PipelineName=name, PipelineDefinition=PIPELINE_DEFINITION, RoleArn=role_arn(role), **extra
    )
    return region.sm.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]


def _tag_existing(region: Region, tags: dict[str, str], *resources: tuple[str, str]) -> None:
    """Tag resources the foundation created, given as (kind as in their ARNs, name)."""
    for kind, name in resources:
        arn = f"arn:aws:sagemaker:{region.region}:{DEMO_ACCOUNT_ID}:{kind}/{name}"
        region.sm.add_tags(ResourceArn=arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
