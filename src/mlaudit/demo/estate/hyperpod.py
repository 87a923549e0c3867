"""HyperPod: where the payments company trains its largest models.

In us-east-1 the fraud team fine-tunes on an autoscaling, health-checked EKS cluster in its VPC, on volumes under its
own key. In eu-west-1 the recommendations team pre-trains on a cluster outside any VPC, on volumes keyed by AWS,
without deep health checks or node recovery, whose p4d nodes have not changed in forty days.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from mlaudit.demo.estate.base import FRAUD_ROLE, RECS_ROLE, Estate, Region, role_arn
from mlaudit.demo.moto_extensions.sagemaker_hyperpod import set_node_launch_time
from mlaudit.demo.server import DEMO_ACCOUNT_ID

AFTER = ("foundation",)
"""Areas whose resources this one uses (roles)."""


def _instance_group(role: str, instance_type: str, bucket: str, **settings: Any) -> dict[str, Any]:
    return {
        "InstanceGroupName": "gpu",
        "InstanceType": instance_type,
        "InstanceCount": 2,
        "LifeCycleConfig": {"SourceS3Uri": f"s3://{bucket}/lifecycle/", "OnCreate": "on_create.sh"},
        "ExecutionRole": role_arn(role),
        "ThreadsPerCore": 1,
        **settings,
    }


def _eks(region: Region, cluster: str) -> dict[str, Any]:
    return {"Eks": {"ClusterArn": f"arn:aws:eks:{region.region}:{DEMO_ACCOUNT_ID}:cluster/{cluster}"}}


def seed(estate: Estate) -> None:
    """A well-kept cluster in us-east-1, a neglected one in eu-west-1."""
    east, west = estate.east, estate.west
    east.bucket("sagemaker-acme-fraud-hyperpod", "kms")
    east.sm.create_cluster(
        ClusterName="fraud-llm-finetune",
        InstanceGroups=[
            _instance_group(
                FRAUD_ROLE,
                "ml.g5.8xlarge",
                "sagemaker-acme-fraud-hyperpod",
                InstanceStorageConfigs=[{"EbsVolumeConfig": {"VolumeSizeInGB": 500, "VolumeKmsKeyId": east.key_arn}}],
                OnStartDeepHealthChecks=["InstanceStress", "InstanceConnectivity"],
            )
        ],
        VpcConfig={"SecurityGroupIds": [east.security_group], "Subnets": east.subnets},
        Orchestrator=_eks(east, "acme-fraud-ml"),
        NodeRecovery="Automatic",
        AutoScaling={"Mode": "Enable", "AutoScalerType": "Karpenter"},
    )
    west.bucket("sagemaker-acme-recs-hyperpod", "s3")
    west.sm.create_cluster(
        ClusterName="recs-pretraining",
        InstanceGroups=[_instance_group(RECS_ROLE, "ml.p4d.24xlarge", "sagemaker-acme-recs-hyperpod")],
        Orchestrator=_eks(west, "acme-recs-ml"),
        NodeRecovery="None",
    )
    set_node_launch_time(west.region, "recs-pretraining", datetime.now(UTC) - timedelta(days=40))
