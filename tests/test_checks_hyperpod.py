"""SM-HYPERPOD-* checks, and what HyperPod clusters hand to the IAM and S3 checks, against clusters created in moto
(with the demo's moto extension for the fields moto drops and the nodes' history)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from mlaudit.core.taxonomy import Status
from mlaudit.demo.moto_extensions.sagemaker_hyperpod import set_node_launch_time
from support import ACCOUNT_ID, ROLE_ARN, refuse, scan, verdicts

EKS = {"Eks": {"ClusterArn": f"arn:aws:eks:us-east-1:{ACCOUNT_ID}:cluster/training"}}
VPC = {"SecurityGroupIds": ["sg-0a1b2c3d"], "Subnets": ["subnet-0a1b2c3d"]}


def _group(name: str, instance_type: str = "ml.g5.8xlarge", count: int = 2, **fields: Any) -> dict[str, Any]:
    return {
        "InstanceGroupName": name,
        "InstanceType": instance_type,
        "InstanceCount": count,
        "LifeCycleConfig": {"SourceS3Uri": "s3://sagemaker-lifecycle-scripts/base/", "OnCreate": "on_create.sh"},
        "ExecutionRole": ROLE_ARN,
        "ThreadsPerCore": 1,
        **fields,
    }


def _cluster(session: boto3.Session, name: str, *groups: dict[str, Any], **settings: Any) -> None:
    session.client("sagemaker").create_cluster(
        ClusterName=name, InstanceGroups=list(groups) or [_group("workers")], **settings
    )


def test_hyperpod_cluster_outside_vpc(aws: boto3.Session) -> None:
    _cluster(aws, "pass-vpc", VpcConfig=VPC)
    _cluster(aws, "fail-no-vpc")
    _cluster(aws, "pass-group-override", _group("workers", OverrideVpcConfig=VPC))
    _cluster(aws, "fail-one-group-outside", _group("inside", OverrideVpcConfig=VPC), _group("outside"))

    report = scan(aws, ["SM-HYPERPOD-001"])

    assert verdicts(report, "SM-HYPERPOD-001") == {
        "pass-vpc": Status.PASS,
        "fail-no-vpc": Status.FAIL,
        "pass-group-override": Status.PASS,
        "fail-one-group-outside": Status.FAIL,
    }
    detail = next(f.status_detail for f in report.findings if f.resource_name == "fail-one-group-outside")
    assert detail == "no VpcConfig: instance groups outside run in a network that SageMaker manages"


def test_hyperpod_volume_not_cmk(aws: boto3.Session) -> None:
    key = aws.client("kms").create_key()["KeyMetadata"]["Arn"]

    def ebs(kms: str | None = None, root: bool = False) -> dict[str, Any]:
        volume: dict[str, Any] = {"RootVolume": True} if root else {"VolumeSizeInGB": 500}
        return {"EbsVolumeConfig": {**volume, **({"VolumeKmsKeyId": kms} if kms else {})}}

    _cluster(aws, "pass-cmk", _group("workers", InstanceStorageConfigs=[ebs(key), ebs(key, root=True)]))
    _cluster(aws, "fail-no-storage")
    _cluster(aws, "fail-no-key", _group("workers", InstanceStorageConfigs=[ebs()]))
    _cluster(aws, "fail-aws-managed", _group("workers", InstanceStorageConfigs=[ebs("alias/aws/ebs")]))

    report = scan(aws, ["SM-HYPERPOD-002"])

    assert verdicts(report, "SM-HYPERPOD-002") == {
        "pass-cmk": Status.PASS,
        "fail-no-storage": Status.FAIL,
        "fail-no-key": Status.FAIL,
        "fail-aws-managed": Status.FAIL,
    }
    detail = next(f.status_detail for f in report.findings if f.resource_name == "fail-no-storage")
    assert detail == "workers: no EBS volume configuration, so its volumes use a key AWS owns"


def test_hyperpod_deep_health_checks_off(aws: boto3.Session) -> None:
    both = ["InstanceStress", "InstanceConnectivity"]
    _cluster(aws, "pass-checks", _group("gpu", OnStartDeepHealthChecks=both), Orchestrator=EKS)
    _cluster(aws, "fail-stress-only", _group("gpu", OnStartDeepHealthChecks=["InstanceStress"]), Orchestrator=EKS)
    _cluster(aws, "fail-none", _group("gpu"), _group("cpu", "ml.c5.xlarge"), Orchestrator=EKS)
    _cluster(aws, "na-slurm", _group("gpu"))
    _cluster(aws, "na-cpu-only", _group("cpu", "ml.m5.xlarge"), Orchestrator=EKS)

    report = scan(aws, ["SM-HYPERPOD-003"])

    assert verdicts(report, "SM-HYPERPOD-003") == {
        "pass-checks": Status.PASS,
        "fail-stress-only": Status.FAIL,
        "fail-none": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert details["fail-stress-only"] == "gpu: no InstanceConnectivity deep health check"
    assert details["fail-none"] == "gpu: no InstanceStress, InstanceConnectivity deep health check"


def test_hyperpod_node_recovery_off(aws: boto3.Session) -> None:
    _cluster(aws, "pass-automatic", NodeRecovery="Automatic")
    _cluster(aws, "fail-none", NodeRecovery="None")
    _cluster(aws, "fail-unreported")

    report = scan(aws, ["SM-HYPERPOD-004"])

    assert verdicts(report, "SM-HYPERPOD-004") == {
        "pass-automatic": Status.PASS,
        "fail-none": Status.FAIL,
        "fail-unreported": Status.FAIL,
    }


def test_hyperpod_cluster_idle_capacity(aws: boto3.Session) -> None:
    month_ago = datetime.now(UTC) - timedelta(days=30)
    _cluster(aws, "fail-static", _group("gpu"), _group("controller", "ml.m5.xlarge", 1))
    set_node_launch_time("us-east-1", "fail-static", month_ago)
    _cluster(aws, "pass-grown", _group("old"), _group("new"))
    set_node_launch_time("us-east-1", "pass-grown", month_ago, instance_group="old")
    _cluster(aws, "pass-autoscaling", _group("gpu"), Orchestrator=EKS, AutoScaling={"Mode": "Enable"})
    set_node_launch_time("us-east-1", "pass-autoscaling", month_ago)
    _cluster(aws, "na-cpu-only", _group("cpu", "ml.c5.xlarge"))
    set_node_launch_time("us-east-1", "na-cpu-only", month_ago)

    report = scan(aws, ["SM-HYPERPOD-005"])

    assert verdicts(report, "SM-HYPERPOD-005") == {
        "fail-static": Status.FAIL,
        "pass-grown": Status.PASS,
        "pass-autoscaling": Status.PASS,
    }
    detail = next(f.status_detail for f in report.findings if f.resource_name == "fail-static")
    assert detail == (
        f"2 running accelerated nodes (ml.g5.8xlarge), none launched since {month_ago:%Y-%m-%d}, "
        "and no autoscaling releases them when idle"
    )

    lenient = scan(aws, ["SM-HYPERPOD-005"], settings={"SM-HYPERPOD-005": {"static_days": 45}})
    assert verdicts(lenient, "SM-HYPERPOD-005")["fail-static"] is Status.PASS


def test_instance_group_roles_and_lifecycle_buckets_reach_the_iam_and_s3_checks(aws: boto3.Session) -> None:
    trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
    role = aws.client("iam").create_role(RoleName="pass-hyperpod-nodes", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    _cluster(aws, "training", _group("workers", ExecutionRole=role))

    report = scan(aws, ["IAM-ML-001", "S3-ML-007"])

    assert verdicts(report, "IAM-ML-001") == {"pass-hyperpod-nodes": Status.PASS}
    assert verdicts(report, "S3-ML-007") == {"sagemaker-lifecycle-scripts": Status.FAIL}
    bucket = next(f for f in report.findings if f.check_id == "S3-ML-007")
    assert "cluster/training" in bucket.status_detail


@pytest.mark.parametrize(
    ("operation", "check"), [("DescribeCluster", "SM-HYPERPOD-001"), ("ListClusterNodes", "SM-HYPERPOD-005")]
)
def test_a_cluster_that_cannot_be_read_is_an_error_for_it_alone(aws: boto3.Session, operation: str, check: str) -> None:
    _cluster(aws, "denied")
    _cluster(aws, "readable", VpcConfig=VPC)
    refuse(aws, "sagemaker", operation, only_for='"denied"')

    report = scan(aws, [check])

    errors = [f for f in report.findings if f.status is Status.ERROR]
    assert [(f.resource_name, f.resource_arn) for f in errors] == [
        ("denied", f"arn:aws:sagemaker:us-east-1:{ACCOUNT_ID}:cluster/denied")
    ]
    assert operation in errors[0].status_detail
    assert verdicts(report, check)["readable"] is Status.PASS


def test_a_refused_cluster_list_is_an_error_for_all_clusters(aws: boto3.Session) -> None:
    _cluster(aws, "unseen")
    refuse(aws, "sagemaker", "ListClusters")

    report = scan(aws, ["SM-HYPERPOD-004"])

    assert [(f.status, f.resource_name) for f in report.findings] == [(Status.ERROR, "all HyperPod clusters")]
