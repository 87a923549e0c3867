"""Studio per user and per space: where the payments company's data scientists now work.

In us-east-1 the fraud team works in private spaces of its VPC-only domain, but one of Maria's GPU spaces has been
left running untouched for three days, and a shared review space runs everyone's code. The research group's new
domain signs users in through IAM Identity Center, shuts idle apps down and keys its Canvas workspace, but lets
Docker in and shares notebook output unencrypted; its analyst set up Canvas on her own, deploying models directly.
In eu-west-1 the recommendations team's Studio lifecycle script still carries a Hugging Face token.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

from mlaudit.demo.estate.base import FRAUD_ROLE, Estate, Region, role_arn
from mlaudit.demo.moto_extensions.sagemaker_studio import record_app_activity

AFTER = ("foundation", "notebooks")
"""Areas whose resources this one uses: roles and buckets, the Studio domains."""

FRAUD_DOMAIN = "d-acme-fraud-studio"
"""The fraud team's domain, created by the notebooks area (moto names a domain's id after it)."""

HF_TOKEN = "hf_" + "Zq8RtY2mWpL4nVb7XcK1jH5gF3dS9aE0"
"""A made-up Hugging Face token, split so that secret scanners do not flag this file."""

RECS_SETUP = f"""#!/bin/bash
set -e
pip install --quiet transformers==4.44.0 datasets
huggingface-cli login --token {HF_TOKEN}
"""
RESEARCH_SETUP = """#!/bin/bash
set -e
pip install --quiet mlflow==2.16.2 sagemaker-mlflow
"""


def _idle_shutdown(minutes: int) -> dict[str, Any]:
    settings = {"LifecycleManagement": "ENABLED", "IdleTimeoutInMinutes": minutes, "MaxIdleTimeoutInMinutes": 180}
    return {"AppLifecycleManagement": {"IdleSettings": settings}}


def _research_domain(east: Region) -> str:
    """The research group's domain: SSO, VPC-only, its own key, idle shutdown, a keyed Canvas workspace; Docker on
    and notebook output shared without a key."""
    east.bucket("acme-research-shared-notebooks", "kms")
    east.bucket("acme-research-canvas", "kms")
    vpc = east.ec2.describe_subnets(SubnetIds=east.subnets)["Subnets"][0]["VpcId"]
    east.sm.create_domain(
        DomainName="acme-research-studio",
        AuthMode="SSO",
        AppNetworkAccessType="VpcOnly",
        KmsKeyId=east.key_arn,
        VpcId=vpc,
        SubnetIds=east.subnets,
        DomainSettings={"DockerSettings": {"EnableDockerAccess": "ENABLED", "RootlessDocker": "ENABLED"}},
        DefaultUserSettings={
            "ExecutionRole": role_arn(FRAUD_ROLE),
            "SecurityGroups": [east.security_group],
            "SharingSettings": {
                "NotebookOutputOption": "Allowed",
                "S3OutputPath": "s3://acme-research-shared-notebooks/shared/",
            },
            "CanvasAppSettings": {
                "WorkspaceSettings": {"S3ArtifactPath": "s3://acme-research-canvas/", "S3KmsKeyId": east.key_arn}
            },
            "JupyterLabAppSettings": _idle_shutdown(120),
            "CodeEditorAppSettings": _idle_shutdown(120),
        },
    )
    domain = "d-acme-research-studio"
    east.sm.create_user_profile(
        DomainId=domain,
        UserProfileName="analyst",
        UserSettings={
            "CanvasAppSettings": {
                "WorkspaceSettings": {"S3ArtifactPath": "s3://acme-research-canvas/analyst/"},
                "DirectDeploySettings": {"Status": "ENABLED"},
            }
        },
    )
    east.sm.create_studio_lifecycle_config(
        StudioLifecycleConfigName="research-jupyterlab-setup",
        StudioLifecycleConfigContent=base64.b64encode(RESEARCH_SETUP.encode()).decode(),
        StudioLifecycleConfigAppType="JupyterLab",
    )
    return domain


def _space(east: Region, name: str, sharing: str, app: tuple[str, timedelta] | None = None) -> None:
    """A space of Maria's in the fraud domain; `app`: a JupyterLab app on that instance type, last used that long ago."""
    east.sm.create_space(
        DomainId=FRAUD_DOMAIN,
        SpaceName=name,
        OwnershipSettings={"OwnerUserProfileName": "maria"},
        SpaceSharingSettings={"SharingType": sharing},
        SpaceSettings={"AppType": "JupyterLab"},
    )
    if app is None:
        return
    instance_type, idle = app
    east.sm.create_app(
        DomainId=FRAUD_DOMAIN,
        SpaceName=name,
        AppType="JupyterLab",
        AppName="default",
        ResourceSpec={"InstanceType": instance_type},
    )
    last = datetime.now(UTC) - idle
    record_app_activity(east.region, FRAUD_DOMAIN, name, "JupyterLab", "default", last_user_activity=last)


def _fraud_spaces(east: Region) -> None:
    east.sm.create_user_profile(DomainId=FRAUD_DOMAIN, UserProfileName="maria")
    _space(east, "maria-gpu-lab", "Private", ("ml.g5.2xlarge", timedelta(days=3)))
    _space(east, "maria-notebooks", "Private", ("ml.g5.xlarge", timedelta(hours=1)))
    _space(east, "fraud-team-review", "Shared")


def seed(estate: Estate) -> None:
    """Studio profiles, spaces and apps and a second domain in us-east-1; Studio lifecycle scripts in both regions."""
    _research_domain(estate.east)
    _fraud_spaces(estate.east)
    estate.west.sm.create_studio_lifecycle_config(
        StudioLifecycleConfigName="recs-jupyterlab-setup",
        StudioLifecycleConfigContent=base64.b64encode(RECS_SETUP.encode()).decode(),
        StudioLifecycleConfigAppType="JupyterLab",
    )
