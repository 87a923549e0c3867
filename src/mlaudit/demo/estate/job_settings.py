"""The settings of jobs issue 17 judges: processing in a VPC, environments, profiling, file systems, tuning,
Clarify, human review and Comprehend.

The fraud team runs its distributed feature job in its VPC with encrypted traffic and nothing secret in its
environment, analyses its model with Clarify, trains its graph model on GPUs for hours from an encrypted EFS file
system with TensorBoard profiling, tunes with early stopping, sends doubtful claims to human review with its own
key to its own reviewers and trains a Comprehend entity recognizer with keys in its VPC. The recommendations team backfills features on
three instances in SageMaker's network with a warehouse password in the environment, trains from a scratch FSx for
Lustre file system, tunes without early stopping and left its Comprehend classifier on AWS's keys; the churn
model's owners send retention reviews to Mechanical Turk's public workforce on AWS's keys. The intern fine-tunes a language model for nine hours on GPUs with a Hugging Face token in the job's
environment and nothing watching the GPUs.
"""

from __future__ import annotations

from typing import Any

from mlaudit.demo.estate.base import ECR, FRAUD_ROLE, RECS_ROLE, SANDBOX_ROLE, Estate, Region, role_arn
from mlaudit.demo.estate.jobs import SANDBOX_REGION
from mlaudit.demo.moto_extensions.sagemaker_jobs import record_training_time
from mlaudit.demo.server import DEMO_ACCOUNT_ID

AFTER = ("foundation", "jobs")
"""Areas whose resources this one uses (roles, buckets, the intern's sandbox bucket)."""

CLARIFY_IMAGE = "205585389593.dkr.ecr.{region}.amazonaws.com/sagemaker-clarify-processing:1.0"
"""SageMaker Clarify's processing image, in AWS's account."""
EXAMPLE_HF_TOKEN = "hf_" + "EXAMPLEtokenNOTreal" * 2
"""A Hugging Face token's shape, built so that secret scanners do not flag this file."""


def _processing_job(
    region: Region, name: str, role: str, image: str, instances: int, locked_down: bool, **settings: Any
) -> None:
    """A processing job from the raw data to features: in the VPC, encrypted and isolated when `locked_down`."""
    cluster: dict[str, Any] = {"InstanceCount": instances, "InstanceType": "ml.m5.2xlarge", "VolumeSizeInGB": 50}
    outputs: dict[str, Any] = {
        "Outputs": [
            {
                "OutputName": "out",
                "S3Output": {
                    "S3Uri": settings.pop("output_uri"),
                    "LocalPath": "/opt/ml/processing/output",
                    "S3UploadMode": "EndOfJob",
                },
            }
        ]
    }
    network: dict[str, Any] = {"EnableNetworkIsolation": locked_down}
    if locked_down:
        cluster["VolumeKmsKeyId"] = outputs["KmsKeyId"] = region.key_arn
        network |= {"EnableInterContainerTrafficEncryption": True, "VpcConfig": region.vpc_config()}
    region.sm.create_processing_job(
        ProcessingJobName=name,
        RoleArn=role_arn(role),
        AppSpecification={"ImageUri": image},
        ProcessingOutputConfig=outputs,
        ProcessingResources={"ClusterConfig": cluster},
        NetworkConfig=network,
        **settings,
    )


def _training_definition(region: Region, role: str, instance_type: str, **settings: Any) -> dict[str, Any]:
    return {
        "AlgorithmSpecification": {"TrainingImage": region.image("pytorch-training:2.3"), "TrainingInputMode": "File"},
        "RoleArn": role_arn(role),
        "OutputDataConfig": {"S3OutputPath": settings.pop("output_uri"), "KmsKeyId": region.key_arn},
        "ResourceConfig": {
            "InstanceType": instance_type,
            "InstanceCount": 1,
            "VolumeSizeInGB": 200,
            "VolumeKmsKeyId": region.key_arn,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
        **settings,
    }


def _file_system_channel(file_system_id: str, file_system_type: str) -> list[dict[str, Any]]:
    source = {
        "FileSystemId": file_system_id,
        "FileSystemType": file_system_type,
        "FileSystemAccessMode": "ro",
        "DirectoryPath": "/datasets",
    }
    return [{"ChannelName": "train", "DataSource": {"FileSystemDataSource": source}}]


def _tuning_job(region: Region, name: str, role: str, strategy: str, early_stopping: str, output_uri: str) -> None:
    region.sm.create_hyper_parameter_tuning_job(
        HyperParameterTuningJobName=name,
        HyperParameterTuningJobConfig={
            "Strategy": strategy,
            "ResourceLimits": {"MaxNumberOfTrainingJobs": 40, "MaxParallelTrainingJobs": 4},
            "TrainingJobEarlyStoppingType": early_stopping,
        },
        TrainingJobDefinition=_training_definition(
            region, role, "ml.m5.2xlarge", output_uri=output_uri, VpcConfig=region.vpc_config()
        ),
    )


def _flow_definition(
    region: Region, name: str, role: str, output_uri: str, key: str | None, workteam: str | None = None
) -> None:
    """A human review flow, for a private work team of the account unless `workteam` names another."""
    resource = f"arn:aws:sagemaker:{region.region}:{DEMO_ACCOUNT_ID}"
    region.sm.create_flow_definition(
        FlowDefinitionName=name,
        HumanLoopConfig={
            "WorkteamArn": workteam or f"{resource}:workteam/private-crowd/{name}",
            "HumanTaskUiArn": f"{resource}:human-task-ui/{name}",
            "TaskTitle": "Review the prediction",
            "TaskDescription": "Confirm or correct the model's answer",
            "TaskCount": 1,
        },
        OutputConfig={"S3OutputPath": output_uri, **({"KmsKeyId": key} if key else {})},
        RoleArn=role_arn(role),
    )


def _fraud_team(estate: Estate) -> None:
    east = estate.east
    _processing_job(
        east,
        "fraud-features-distributed-2026-11",
        FRAUD_ROLE,
        east.image("sklearn-processing:1.2"),
        instances=2,
        locked_down=True,
        output_uri="s3://acme-fraud-training-data/features-distributed/",
        Environment={
            "FEATURE_WINDOW_DAYS": "30",
            "WAREHOUSE_SECRET": f"arn:aws:secretsmanager:{east.region}:{DEMO_ACCOUNT_ID}:secret:fraud-warehouse",
        },
    )
    _processing_job(
        east,
        "fraud-xgb-bias-report-2026-11",
        FRAUD_ROLE,
        CLARIFY_IMAGE.format(region=east.region),
        instances=1,
        locked_down=True,
        output_uri="s3://acme-fraud-model-artifacts/clarify/",
    )
    efs = estate.client("efs").create_file_system(
        CreationToken="fraud-graph-datasets", Encrypted=True, KmsKeyId=east.key_arn
    )["FileSystemId"]
    east.sm.create_training_job(
        TrainingJobName="fraud-gnn-train-gpu-2026-11",
        **_training_definition(
            east,
            FRAUD_ROLE,
            "ml.p4d.24xlarge",
            output_uri="s3://acme-fraud-model-artifacts/gnn/",
            InputDataConfig=_file_system_channel(efs, "EFS"),
            VpcConfig=east.vpc_config(),
            EnableNetworkIsolation=True,
            TensorBoardOutputConfig={
                "S3OutputPath": "s3://acme-fraud-model-artifacts/tensorboard/",
                "LocalPath": "/opt/ml/output/tensorboard",
            },
            ExperimentConfig={"ExperimentName": "fraud-detection", "TrialName": "gnn-2026-11"},
        ),
    )
    record_training_time(east.region, "fraud-gnn-train-gpu-2026-11", hours=5)
    _tuning_job(
        east, "fraud-xgb-tuning-2026-11", FRAUD_ROLE, "Bayesian", "Auto", "s3://acme-fraud-model-artifacts/tuning/"
    )
    _flow_definition(east, "fraud-claims-review", FRAUD_ROLE, "s3://acme-fraud-model-artifacts/reviews/", east.key_arn)
    public_workforce = f"arn:aws:sagemaker:{east.region}:394669845002:workteam/public-crowd/default"
    _flow_definition(
        east, "churn-retention-review", SANDBOX_ROLE, "s3://acme-churn-legacy/reviews/", None, public_workforce
    )
    estate.client("comprehend").create_entity_recognizer(
        RecognizerName="fraud-merchant-entities",
        LanguageCode="en",
        DataAccessRoleArn=role_arn(FRAUD_ROLE),
        InputDataConfig={
            "EntityTypes": [{"Type": "MERCHANT"}],
            "Documents": {"S3Uri": "s3://acme-fraud-training-data/merchants/documents/"},
            "EntityList": {"S3Uri": "s3://acme-fraud-training-data/merchants/entities.csv"},
        },
        VolumeKmsKeyId=east.key_arn,
        ModelKmsKeyId=east.key_arn,
        VpcConfig={"SecurityGroupIds": [east.security_group], "Subnets": east.subnets},
    )


def _recs_team(estate: Estate) -> None:
    west = estate.west
    _processing_job(
        west,
        "recs-feature-backfill",
        RECS_ROLE,
        west.image("sklearn-processing:1.2"),
        instances=3,
        locked_down=False,
        output_uri="s3://acme-recs-features-eu/backfill/",
        Environment={"WAREHOUSE_USER": "recs", "WAREHOUSE_PASSWORD": "Recs-2026-backfill"},
    )
    scratch = estate.client("fsx", west.region).create_file_system(
        FileSystemType="LUSTRE",
        StorageCapacity=1200,
        SubnetIds=west.subnets[:1],
        LustreConfiguration={"DeploymentType": "SCRATCH_2"},
    )["FileSystem"]["FileSystemId"]
    west.sm.create_training_job(
        TrainingJobName="recs-ranker-train-lustre-2026-11",
        **_training_definition(
            west,
            RECS_ROLE,
            "ml.m5.4xlarge",
            output_uri="s3://acme-recs-features-eu/models/",
            InputDataConfig=_file_system_channel(scratch, "FSxLustre"),
            VpcConfig=west.vpc_config(),
        ),
    )
    _tuning_job(west, "recs-ranker-tuning-2026-11", RECS_ROLE, "Random", "Off", "s3://acme-recs-features-eu/tuning/")
    estate.client("comprehend", west.region).create_document_classifier(
        DocumentClassifierName="recs-review-topics",
        VersionName="v1",
        LanguageCode="en",
        DataAccessRoleArn=role_arn(RECS_ROLE),
        InputDataConfig={"S3Uri": "s3://acme-recs-features-eu/reviews/labelled.csv"},
    )


def _intern(estate: Estate) -> None:
    estate.client("sagemaker", SANDBOX_REGION).create_training_job(
        TrainingJobName="intern-llama-finetune-v2",
        AlgorithmSpecification={
            "TrainingImage": f"{ECR.format(region=SANDBOX_REGION)}/huggingface-pytorch-training:2.1",
            "TrainingInputMode": "File",
        },
        RoleArn=role_arn(SANDBOX_ROLE),
        OutputDataConfig={"S3OutputPath": "s3://acme-intern-gpu-scratch/llama/"},
        ResourceConfig={"InstanceType": "ml.g5.12xlarge", "InstanceCount": 1, "VolumeSizeInGB": 500},
        StoppingCondition={"MaxRuntimeInSeconds": 86400},
        Environment={"HF_TOKEN": EXAMPLE_HF_TOKEN, "MODEL_ID": "meta-llama/Llama-3.1-8B"},
    )
    record_training_time(SANDBOX_REGION, "intern-llama-finetune-v2", hours=9)


def seed(estate: Estate) -> None:
    _fraud_team(estate)
    _recs_team(estate)
    _intern(estate)
