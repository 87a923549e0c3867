"""Managed MLflow: tracking servers and MLflow apps, each listed, then described (the summaries hold neither
artifact store nor role)."""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListThenDescribe
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import Identity
from mlaudit.inventory.sagemaker_mlflow import MlflowApp, MlflowTrackingServer


def _tracking_server(identity: Identity, d: dict[str, Any]) -> MlflowTrackingServer:
    return MlflowTrackingServer(
        **identity,
        status=d.get("TrackingServerStatus") or "Unknown",
        is_active=d.get("IsActive"),
        size=d.get("TrackingServerSize"),
        artifact_store_uri=d.get("ArtifactStoreUri"),
        role_arn=d.get("RoleArn"),
        mlflow_version=d.get("MlflowVersion"),
        bucket_owner_account_id=d.get("S3BucketOwnerAccountId"),
        bucket_owner_verification=d.get("S3BucketOwnerVerification"),
        creation_time=d.get("CreationTime"),
    )


def _app(identity: Identity, d: dict[str, Any]) -> MlflowApp:
    return MlflowApp(
        **identity,
        status=d.get("Status") or "Unknown",
        artifact_store_uri=d.get("ArtifactStoreUri"),
        role_arn=d.get("RoleArn"),
        kms_key_id=d.get("KmsKeyId"),
        mlflow_version=d.get("MlflowVersion"),
        creation_time=d.get("CreationTime"),
    )


COLLECTORS = (
    PartCollector(
        MlflowTrackingServer,
        ListThenDescribe(
            Operation("sagemaker:ListMlflowTrackingServers"),
            "TrackingServerSummaries",
            Operation("sagemaker:DescribeMlflowTrackingServer"),
            Listed(id="TrackingServerName", arn="TrackingServerArn"),
            _tracking_server,
        ),
    ),
    PartCollector(
        MlflowApp,
        ListThenDescribe(
            Operation("sagemaker:ListMlflowApps"),
            "Summaries",
            Operation("sagemaker:DescribeMlflowApp"),
            Listed(id="Name", arn="Arn"),
            _app,
            keys={"Arn": "Arn"},
        ),
    ),
)
