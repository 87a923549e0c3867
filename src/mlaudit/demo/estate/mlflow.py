"""Managed MLflow: where the payments company tracks its experiments.

In us-east-1 the fraud team tracks on a Small server that checks who owns its bucket, and catalogues models in an
MLflow app under its own key. In eu-west-1 the recommendations team's Large server, for a team without Studio users,
trusts whatever bucket answers, and its MLflow app has no key of its own. In us-west-2 the intern's tracking server
is still up, with nothing left to track.
"""

from __future__ import annotations

from mlaudit.demo.estate.base import FRAUD_ROLE, RECS_ROLE, SANDBOX_ROLE, Estate, role_arn
from mlaudit.demo.estate.jobs import SANDBOX_REGION
from mlaudit.demo.server import DEMO_ACCOUNT_ID

AFTER = ("foundation", "jobs")
"""Areas whose resources this one uses: roles and buckets, the intern's region and bucket."""


def seed(estate: Estate) -> None:
    """A tracking server in every region, an MLflow app in each of the two main ones."""
    east, west = estate.east, estate.west
    east.sm.create_mlflow_tracking_server(
        TrackingServerName="fraud-experiments",
        ArtifactStoreUri="s3://acme-fraud-model-artifacts/mlflow/",
        RoleArn=role_arn(FRAUD_ROLE),
        TrackingServerSize="Small",
        S3BucketOwnerAccountId=DEMO_ACCOUNT_ID,
        S3BucketOwnerVerification=True,
    )
    east.sm.create_mlflow_app(
        Name="fraud-model-catalog",
        ArtifactStoreUri="s3://acme-fraud-model-artifacts/mlflow-apps/",
        RoleArn=role_arn(FRAUD_ROLE),
        KmsKeyId=east.key_arn,
    )
    west.bucket("acme-recs-mlflow-eu", "kms")
    west.sm.create_mlflow_tracking_server(
        TrackingServerName="recs-experiments",
        ArtifactStoreUri="s3://acme-recs-mlflow-eu/",
        RoleArn=role_arn(RECS_ROLE),
        TrackingServerSize="Large",
    )
    west.sm.create_mlflow_app(
        Name="recs-sandbox-tracking", ArtifactStoreUri="s3://acme-recs-mlflow-eu/apps/", RoleArn=role_arn(RECS_ROLE)
    )
    estate.client("sagemaker", SANDBOX_REGION).create_mlflow_tracking_server(
        TrackingServerName="intern-experiments",
        ArtifactStoreUri="s3://acme-intern-gpu-scratch/mlflow/",
        RoleArn=role_arn(SANDBOX_ROLE),
    )
