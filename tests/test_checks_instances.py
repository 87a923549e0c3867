"""SM-INSTANCE-001 against endpoints, notebooks and training jobs created in moto."""

from __future__ import annotations

import boto3
import pytest

from mlaudit.checks.instances import successors
from mlaudit.core.taxonomy import Status
from support import ROLE_ARN, create_endpoint, create_model, scan, verdicts


def _training_job(session: boto3.Session, name: str, instance_type: str) -> None:
    session.client("sagemaker").create_training_job(
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": "xgboost:1.7-1", "TrainingInputMode": "File"},
        RoleArn=ROLE_ARN,
        OutputDataConfig={"S3OutputPath": "s3://artefacts/output/"},
        ResourceConfig={"InstanceType": instance_type, "InstanceCount": 1, "VolumeSizeInGB": 50},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )


def test_previous_generation_instance(aws: boto3.Session) -> None:
    create_model(aws, "m")
    create_endpoint(aws, "pass-m5-endpoint", "m", instance_type="ml.m5.xlarge")
    create_endpoint(aws, "fail-m4-endpoint", "m", instance_type="ml.m4.xlarge")
    create_endpoint(aws, "fail-t2-endpoint", "m", instance_type="ml.t2.medium")
    create_endpoint(aws, "na-serverless", "m", instance_type=None)
    sagemaker = aws.client("sagemaker")
    for name, instance_type in (("pass-t3-notebook", "ml.t3.medium"), ("fail-t2-notebook", "ml.t2.medium")):
        sagemaker.create_notebook_instance(NotebookInstanceName=name, InstanceType=instance_type, RoleArn=ROLE_ARN)
    _training_job(aws, "pass-g5-job", "ml.g5.2xlarge")
    _training_job(aws, "fail-p3-job", "ml.p3.2xlarge")

    default = scan(aws, ["SM-INSTANCE-001"])
    customised = scan(
        aws, ["previous-generation-instance"], settings={"SM-INSTANCE-001": {"successors": ("ml.m5=ml.m7i",)}}
    )

    assert verdicts(default, "SM-INSTANCE-001") == {
        "pass-m5-endpoint": Status.PASS,
        "fail-m4-endpoint": Status.FAIL,
        "fail-t2-endpoint": Status.FAIL,
        "pass-t3-notebook": Status.PASS,
        "fail-t2-notebook": Status.FAIL,
        "pass-g5-job": Status.PASS,
        "fail-p3-job": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in default.findings}
    assert details["fail-m4-endpoint"] == (
        "previous-generation family: variant AllTraffic runs on ml.m4.xlarge (suggested current family: ml.m7i)"
    )
    # Hosting offers no ml.t3: an endpoint on ml.t2 is pointed elsewhere than a notebook on ml.t2.
    assert "variant AllTraffic runs on ml.t2.medium (suggested current family: ml.m7i)" in details["fail-t2-endpoint"]
    assert "the notebook runs on ml.t2.medium (suggested current family: ml.t3)" in details["fail-t2-notebook"]
    assert "the training job runs on ml.p3.2xlarge (suggested current family: ml.p4d)" in details["fail-p3-job"]
    customised_verdicts = verdicts(customised, "SM-INSTANCE-001")
    assert (customised_verdicts["pass-m5-endpoint"], customised_verdicts["fail-m4-endpoint"]) == (
        Status.FAIL,
        Status.PASS,
    )


def test_successors_setting_accepts_ml_prefixes_and_rejects_malformed_pairs() -> None:
    assert successors(("ml.p3=ml.p4d", " t2 = t3 ")) == {"p3": "p4d", "t2": "t3"}
    with pytest.raises(ValueError, match="'p3' is not previous=current"):
        successors(("p3",))


def _heterogeneous_job(session: boto3.Session, name: str, *groups: tuple[str, str, int]) -> None:
    session.client("sagemaker").create_training_job(
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": "pytorch:2.3", "TrainingInputMode": "File"},
        RoleArn=ROLE_ARN,
        OutputDataConfig={"S3OutputPath": "s3://artefacts/output/", "KmsKeyId": "alias/ml"},
        ResourceConfig={
            "VolumeSizeInGB": 50,
            "InstanceGroups": [
                {"InstanceGroupName": group, "InstanceType": instance_type, "InstanceCount": count}
                for group, instance_type, count in groups
            ],
        },
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )


def test_every_instance_group_of_a_heterogeneous_cluster_is_judged(aws: boto3.Session) -> None:
    """ResourceConfig.InstanceGroups: a cluster of groups, each on its own type (InstanceType is then absent)."""
    _heterogeneous_job(aws, "current-groups", ("data", "ml.c7i.4xlarge", 2), ("gpu", "ml.p4d.24xlarge", 1))
    _heterogeneous_job(aws, "old-group", ("data", "ml.c4.4xlarge", 2), ("gpu", "ml.p4d.24xlarge", 1))
    _heterogeneous_job(aws, "nvme-and-ebs", ("gpu", "ml.p4d.24xlarge", 1), ("cpu", "ml.c7i.4xlarge", 1))
    _heterogeneous_job(aws, "all-nvme", ("gpu", "ml.p4d.24xlarge", 1), ("gpu2", "ml.g5.12xlarge", 1))

    report = scan(aws, ["SM-INSTANCE-001", "SM-TRAINING-004"])

    assert verdicts(report, "SM-INSTANCE-001") == {
        "current-groups": Status.PASS,
        "old-group": Status.FAIL,
        "nvme-and-ebs": Status.PASS,
        "all-nvme": Status.PASS,
    }
    details = {(f.check_id, f.resource_name): f.status_detail for f in report.findings}
    assert details[("SM-INSTANCE-001", "old-group")] == (
        "previous-generation family: instance group data runs on ml.c4.4xlarge (suggested current family: ml.c7i)"
    )
    # The volume key may be left out only when every group's storage is NVMe instance store.
    assert verdicts(report, "SM-TRAINING-004") == {
        "current-groups": Status.FAIL,
        "old-group": Status.FAIL,
        "nvme-and-ebs": Status.FAIL,
        "all-nvme": Status.PASS,
    }
