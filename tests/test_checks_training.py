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


def test_tuning_jobs_are_read_from_search_and_a_failed_search_is_an_error(aws: boto3.Session) -> None:
    _tuning_job(aws, "fail-tuning-no-checkpoint", _definition(EnableManagedSpotTraining=True))
    calls: list[str] = []
    aws.events.register("before-call.sagemaker", lambda model, **_: calls.append(model.name))

    assert verdicts(scan(aws, ["SM-TRAINING-006"]), "SM-TRAINING-006") == {"fail-tuning-no-checkpoint": Status.FAIL}
    assert "DescribeHyperParameterTuningJob" not in calls and calls.count("Search") == 1

    refuse(aws, "sagemaker", "Search", only_for='"HyperParameterTuningJob"')
    report = scan(aws, ["SM-TRAINING-006"])
    assert verdicts(report, "SM-TRAINING-006") == {"all hyperparameter tuning jobs": Status.ERROR}


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


def test_secrets_in_training_and_tuning_environments(aws: boto3.Session) -> None:
    token = "hf_" + "a1B2c3D4e5" * 4
    _job(aws, "pass-plain-environment", Environment={"EPOCHS": "10", "WANDB_API_KEY": "${WANDB_API_KEY}"})
    _job(aws, "fail-hugging-face-token", Environment={"HF_HUB": token})
    _tuning_job(aws, "fail-tuning-password", _definition(Environment={"DB_PASSWORD": "s3cret-value"}))
    _tuning_job(aws, "pass-tuning-no-environment", _definition())
    _started_by_tuning_job(aws, "na-tuning-child", Environment={"DB_PASSWORD": "s3cret-value"})

    report = scan(aws, ["SM-TRAINING-008"])

    assert verdicts(report, "SM-TRAINING-008") == {
        "pass-plain-environment": Status.PASS,
        "fail-hugging-face-token": Status.FAIL,
        "fail-tuning-password": Status.FAIL,
        "pass-tuning-no-environment": Status.PASS,
    }
    detail = {f.resource_name: f.status_detail for f in report.findings}
    assert detail["fail-hugging-face-token"] == "secret-looking environment variable: HF_HUB (huggingface-token)"
    assert detail["fail-tuning-password"] == (
        "secret-looking environment variable: DB_PASSWORD (secret-named-variable) in its training job definition"
    )
    assert token not in report.model_dump_json() and "s3cret-value" not in report.model_dump_json()


def test_long_gpu_training_is_profiled(aws: boto3.Session) -> None:
    from mlaudit.demo.moto_extensions.sagemaker_jobs import record_training_time

    gpu = {"InstanceType": "ml.p4d.24xlarge"}
    rule = {"RuleConfigurationName": "LowGPUUtilization", "RuleEvaluatorImage": "debugger-rules:latest"}
    _job(aws, "pass-profiler-rule", resources=gpu, ProfilerRuleConfigurations=[rule])
    tensorboard = {"S3OutputPath": "s3://model-artefacts/tensorboard/", "LocalPath": "/opt/ml/output/tensorboard"}
    _job(aws, "pass-tensorboard-traces", resources=gpu, TensorBoardOutputConfig=tensorboard)
    _job(aws, "fail-unprofiled-gpu", resources=gpu)
    _job(aws, "na-short-gpu-run", resources=gpu)
    _job(aws, "na-long-cpu-run")
    for name in ("pass-profiler-rule", "pass-tensorboard-traces", "fail-unprofiled-gpu", "na-long-cpu-run"):
        record_training_time("us-east-1", name, hours=6)
    record_training_time("us-east-1", "na-short-gpu-run", hours=1)

    report = scan(aws, ["long-gpu-training-not-profiled"])

    assert verdicts(report, "SM-TRAINING-009") == {
        "pass-profiler-rule": Status.PASS,
        "pass-tensorboard-traces": Status.PASS,
        "fail-unprofiled-gpu": Status.FAIL,
    }
    assert next(f for f in report.findings if f.status is Status.FAIL).status_detail == (
        "trained 6.0 h on 1 ml.p4d.24xlarge with neither Debugger or Profiler rules nor TensorBoard output: "
        "GPU use was not profiled"
    )


def _file_system_channel(file_system_id: str, file_system_type: str) -> list[dict[str, Any]]:
    source = {
        "FileSystemId": file_system_id,
        "FileSystemType": file_system_type,
        "FileSystemAccessMode": "ro",
        "DirectoryPath": "/training",
    }
    return [{"ChannelName": "train", "DataSource": {"FileSystemDataSource": source}}]


def _lustre(session: boto3.Session, **settings: Any) -> str:
    ec2 = session.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24")["Subnet"]["SubnetId"]
    created = session.client("fsx").create_file_system(
        FileSystemType="LUSTRE", StorageCapacity=1200, SubnetIds=[subnet], **settings
    )
    return str(created["FileSystem"]["FileSystemId"])


def test_training_file_systems_are_encrypted(aws: boto3.Session) -> None:
    efs = aws.client("efs")
    encrypted = efs.create_file_system(CreationToken="encrypted", Encrypted=True, KmsKeyId=KEY)["FileSystemId"]
    plain = efs.create_file_system(CreationToken="plain")["FileSystemId"]
    persistent = _lustre(
        aws, KmsKeyId=KEY, LustreConfiguration={"DeploymentType": "PERSISTENT_2", "PerUnitStorageThroughput": 125}
    )
    scratch = _lustre(aws, LustreConfiguration={"DeploymentType": "SCRATCH_2"})
    _job(aws, "pass-encrypted-efs", InputDataConfig=_file_system_channel(encrypted, "EFS"))
    _job(aws, "fail-unencrypted-efs", InputDataConfig=_file_system_channel(plain, "EFS"))
    _job(aws, "pass-persistent-lustre", InputDataConfig=_file_system_channel(persistent, "FSxLustre"))
    _job(aws, "fail-scratch-lustre", InputDataConfig=_file_system_channel(scratch, "FSxLustre"))
    _job(aws, "na-deleted-file-system", InputDataConfig=_file_system_channel("fs-0123456789abcdef0", "EFS"))
    _job(aws, "na-s3-only")

    report = scan(aws, ["SM-TRAINING-010"])

    assert verdicts(report, "SM-TRAINING-010") == {
        "pass-encrypted-efs": Status.PASS,
        "fail-unencrypted-efs": Status.FAIL,
        "pass-persistent-lustre": Status.PASS,
        "fail-scratch-lustre": Status.FAIL,
    }
    detail = {f.resource_name: f.status_detail for f in report.findings}
    assert (
        detail["fail-scratch-lustre"]
        == f"FSx {scratch} (a SCRATCH_2 file system) is encrypted only with a key FSx owns"
    )
    assert report.scan.statistics.by_operation["efs:DescribeFileSystems"] == 3, "one call per referenced file system"


def test_refused_file_system_reads_are_errors(aws: boto3.Session) -> None:
    efs_id = aws.client("efs").create_file_system(CreationToken="plain")["FileSystemId"]
    lustre = _lustre(aws, LustreConfiguration={"DeploymentType": "SCRATCH_2"})
    _job(aws, "reads-efs", InputDataConfig=_file_system_channel(efs_id, "EFS"))
    _job(aws, "reads-lustre", InputDataConfig=_file_system_channel(lustre, "FSxLustre"))
    refuse(aws, "efs", "DescribeFileSystems")
    refuse(aws, "fsx", "DescribeFileSystems")

    report = scan(aws, ["SM-TRAINING-010"])

    assert verdicts(report, "SM-TRAINING-010") == {"reads-efs": Status.ERROR, "reads-lustre": Status.ERROR}
    missing = next(w for w in report.scan.warnings if w.startswith("missing permissions"))
    assert "elasticfilesystem:DescribeFileSystems" in missing and "fsx:DescribeFileSystems" in missing


def test_tuning_resource_config_is_read_like_a_training_definition(aws: boto3.Session) -> None:
    """A tuning job's HyperParameterTuningResourceConfig gives its instances and volume key: the key is followed to
    KMS, and the spot verdict names the definition as it does for ResourceConfig."""
    key_id = aws.client("kms").create_key()["KeyMetadata"]["KeyId"]
    definition = _definition(resources={"InstanceType": None, "InstanceCount": None, "VolumeSizeInGB": None})
    del definition["ResourceConfig"]
    definition["HyperParameterTuningResourceConfig"] = {
        "InstanceConfigs": [{"InstanceType": "ml.g5.xlarge", "InstanceCount": 2, "VolumeSizeInGB": 50}],
        "VolumeKmsKeyId": key_id,
        "AllocationStrategy": "Prioritized",
    }
    _tuning_job(aws, "tuned-on-alternatives", definition)

    report = scan(aws, ["KMS-ML-001", "SM-TRAINING-005"])

    assert set(verdicts(report, "KMS-ML-001")) == {key_id}
    assert verdicts(report, "SM-TRAINING-005") == {"tuned-on-alternatives": Status.FAIL}
