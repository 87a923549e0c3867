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
