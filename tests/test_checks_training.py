"""SM-TRAINING-* checks against training jobs and hyperparameter tuning jobs created in moto."""

from __future__ import annotations

from typing import Any

import boto3

from amend import amend
from mlaudit.core.taxonomy import Status
from support import ROLE_ARN, refuse, scan, verdicts

KEY = "arn:aws:kms:us-east-1:123456789012:key/training"
VPC = {"Subnets": ["subnet-0a1b2c3d"], "SecurityGroupIds": ["sg-0a1b2c3d"]}
TUNING_ARN = "arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/tuning"


def _definition(
    output: dict[str, Any] | None = None, resources: dict[str, Any] | None = None, **settings: Any
) -> dict[str, Any]:
    """A training job's (or a tuning job's training job definition's) configuration: one ml.m5.xlarge instance,
    no VPC, no KMS key, unless told otherwise (a resource setting given as None is left out)."""
    return {
        "AlgorithmSpecification": {
            "TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/xgboost:1",
            "TrainingInputMode": "File",
        },
        "RoleArn": ROLE_ARN,
        "InputDataConfig": [
            {
                "ChannelName": "train",
                "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://training-data/train/"}},
            }
        ],
        "OutputDataConfig": {"S3OutputPath": "s3://model-artefacts/output/", **(output or {})},
        "ResourceConfig": {
            k: v
            for k, v in {
                "InstanceType": "ml.m5.xlarge",
                "InstanceCount": 1,
                "VolumeSizeInGB": 50,
                **(resources or {}),
            }.items()
            if v
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 7200},
        **settings,
    }


def _job(session: boto3.Session, name: str, **configuration: Any) -> None:
    session.client("sagemaker").create_training_job(TrainingJobName=name, **_definition(**configuration))


def _tuning_job(session: boto3.Session, name: str, *definitions: dict[str, Any]) -> None:
    config = {"Strategy": "Bayesian", "ResourceLimits": {"MaxNumberOfTrainingJobs": 4, "MaxParallelTrainingJobs": 2}}
    shape = (
        {"TrainingJobDefinition": definitions[0]}
        if len(definitions) == 1
        else {"TrainingJobDefinitions": list(definitions)}
    )
    session.client("sagemaker").create_hyper_parameter_tuning_job(
        HyperParameterTuningJobName=name, HyperParameterTuningJobConfig=config, **shape
    )


def _started_by_tuning_job(session: boto3.Session, name: str, **configuration: Any) -> None:
    """A training job as a tuning job starts it: AWS sets TuningJobArn, which moto cannot."""
    _job(session, name, **configuration)
    amend(session, "sagemaker", "DescribeTrainingJob", ("TrainingJobName", name), TuningJobArn=TUNING_ARN)


def test_training_job_outside_vpc(aws: boto3.Session) -> None:
    _job(aws, "pass-in-vpc", VpcConfig=VPC)
    _job(aws, "fail-no-vpc")

    report = scan(aws, ["SM-TRAINING-001"])

    assert verdicts(report, "SM-TRAINING-001") == {"pass-in-vpc": Status.PASS, "fail-no-vpc": Status.FAIL}


def test_training_job_network_isolation(aws: boto3.Session) -> None:
    _job(aws, "pass-isolated", EnableNetworkIsolation=True)
    _job(aws, "fail-connected")

    report = scan(aws, ["training-job-no-network-isolation"])

    assert verdicts(report, "SM-TRAINING-002") == {"pass-isolated": Status.PASS, "fail-connected": Status.FAIL}


def test_inter_container_encryption_is_judged_for_distributed_jobs_only(aws: boto3.Session) -> None:
    _job(aws, "pass-encrypted", resources={"InstanceCount": 4}, EnableInterContainerTrafficEncryption=True)
    _job(aws, "fail-plain", resources={"InstanceCount": 2})
    _job(
        aws,
        "fail-heterogeneous",
        resources={
            "InstanceType": None,
            "InstanceCount": None,
            "InstanceGroups": [
                {"InstanceGroupName": "gpu", "InstanceType": "ml.p4d.24xlarge", "InstanceCount": 1},
                {"InstanceGroupName": "cpu", "InstanceType": "ml.c5.18xlarge", "InstanceCount": 1},
            ],
        },
    )
    _job(aws, "na-single-instance")

    report = scan(aws, ["SM-TRAINING-003"])

    assert verdicts(report, "SM-TRAINING-003") == {
        "pass-encrypted": Status.PASS,
        "fail-plain": Status.FAIL,
        "fail-heterogeneous": Status.FAIL,
    }


def test_training_job_kms_keys(aws: boto3.Session) -> None:
    _job(aws, "pass-both-keys", output={"KmsKeyId": KEY}, resources={"VolumeKmsKeyId": KEY})
    _job(aws, "pass-nvme-instance", output={"KmsKeyId": "alias/training"}, resources={"InstanceType": "ml.g5.2xlarge"})
    _job(
        aws,
        "pass-express-bucket",
        output={"S3OutputPath": "s3://artefacts--use1-az4--x-s3/out/"},
        resources={"VolumeKmsKeyId": KEY},
    )
    _job(aws, "fail-no-volume-key", output={"KmsKeyId": KEY})
    _job(aws, "fail-no-key")
    _job(
        aws,
        "na-nothing-to-key",
        output={"S3OutputPath": "s3://artefacts--use1-az4--x-s3/out/"},
        resources={"InstanceType": "ml.p4d.24xlarge"},
    )

    report = scan(aws, ["SM-TRAINING-004"])

    assert verdicts(report, "SM-TRAINING-004") == {
        "pass-both-keys": Status.PASS,
        "pass-nvme-instance": Status.PASS,
        "pass-express-bucket": Status.PASS,
        "fail-no-volume-key": Status.FAIL,
        "fail-no-key": Status.FAIL,
    }
    detail = {f.resource_name: f.status_detail for f in report.findings}
    assert detail["fail-no-volume-key"] == "no KMS key: ResourceConfig.VolumeKmsKeyId (storage volume)"
    assert "OutputDataConfig.KmsKeyId" in detail["fail-no-key"] and "VolumeKmsKeyId" in detail["fail-no-key"]


def test_spot_training_for_training_and_tuning_jobs(aws: boto3.Session) -> None:
    _job(aws, "pass-spot", EnableManagedSpotTraining=True)
    _job(aws, "fail-on-demand")
    _job(aws, "na-warm-pool", resources={"KeepAlivePeriodInSeconds": 600})
    _started_by_tuning_job(aws, "na-started-by-tuning-job")
    _tuning_job(aws, "pass-spot-tuning", _definition(EnableManagedSpotTraining=True))
    _tuning_job(
        aws,
        "fail-tuning-one-definition-on-demand",
        _definition(DefinitionName="xgboost", EnableManagedSpotTraining=True),
        _definition(DefinitionName="linear-learner", output={"S3OutputPath": "s3://tuning-output/linear/"}),
    )
    aws.client("s3").create_bucket(Bucket="tuning-output")

    report = scan(aws, ["SM-TRAINING-005", "S3-ML-001"])

    assert verdicts(report, "SM-TRAINING-005") == {
        "pass-spot": Status.PASS,
        "fail-on-demand": Status.FAIL,
        "pass-spot-tuning": Status.PASS,
        "fail-tuning-one-definition-on-demand": Status.FAIL,
    }
    tuning = next(f for f in report.findings if f.resource_name == "fail-tuning-one-definition-on-demand")
    assert "off for linear-learner" in tuning.status_detail
    assert tuning.resource_type == "AWS::SageMaker::HyperParameterTuningJob"
    assert "tuning-output" in verdicts(report, "S3-ML-001"), "a tuning job's output bucket is an ML bucket"


def test_spot_training_without_checkpoints(aws: boto3.Session) -> None:
    _job(
        aws,
        "pass-checkpointed",
        EnableManagedSpotTraining=True,
        CheckpointConfig={"S3Uri": "s3://model-artefacts/checkpoints/"},
    )
    _job(aws, "fail-no-checkpoint", EnableManagedSpotTraining=True)
    _job(aws, "na-on-demand")
    _tuning_job(aws, "fail-tuning-no-checkpoint", _definition(EnableManagedSpotTraining=True))
    _started_by_tuning_job(aws, "na-started-by-tuning-job", EnableManagedSpotTraining=True)

    report = scan(aws, ["SM-TRAINING-006"])

    assert verdicts(report, "SM-TRAINING-006") == {
        "pass-checkpointed": Status.PASS,
        "fail-no-checkpoint": Status.FAIL,
        "fail-tuning-no-checkpoint": Status.FAIL,
    }


def test_training_tracked_in_an_experiment_or_mlflow(aws: boto3.Session) -> None:
    _job(aws, "pass-experiment", ExperimentConfig={"ExperimentName": "churn", "TrialName": "churn-2026-11"})
    _job(aws, "pass-mlflow")
    amend(
        aws,
        "sagemaker",
        "DescribeTrainingJob",
        ("TrainingJobName", "pass-mlflow"),
        MlflowConfig={"MlflowResourceArn": "arn:aws:sagemaker:us-east-1:123456789012:mlflow-tracking-server/team"},
    )
    _job(aws, "fail-untracked")
    _started_by_tuning_job(aws, "na-started-by-tuning-job")

    report = scan(aws, ["SM-TRAINING-007"])

    assert verdicts(report, "SM-TRAINING-007") == {
        "pass-experiment": Status.PASS,
        "pass-mlflow": Status.PASS,
        "fail-untracked": Status.FAIL,
    }


def test_unlisted_tuning_jobs_are_an_error_for_the_region(aws: boto3.Session) -> None:
    _job(aws, "pass-spot", EnableManagedSpotTraining=True)
    refuse(aws, "sagemaker", "ListHyperParameterTuningJobs")

    report = scan(aws, ["SM-TRAINING-005"])

    assert verdicts(report, "SM-TRAINING-005") == {
        "pass-spot": Status.PASS,
        "all hyperparameter tuning jobs": Status.ERROR,
    }
