"""Training, processing and batch transform jobs, and what the registry records about the models they produce.

The fraud-detection team trains distributed, isolated, encrypted and tracked jobs on spot capacity, prepares its
features and back-tests in locked-down jobs, registers a version with its evaluation reports and documents the
model in a model card. The churn model's owners run the same jobs with every default, and someone deployed the
churn candidate that still waits for approval. The recommendations team took spot capacity without checkpoints for
its distributed training. The intern fine-tuned on GPUs in us-west-2, where capacity was free, and registered
nothing there.
"""

from __future__ import annotations

import json
from typing import Any

from mlaudit.demo.estate.base import ECR, FRAUD_ROLE, RECS_ROLE, SANDBOX_ROLE, Estate, Region, role_arn

AFTER = ("foundation",)
"""Areas whose resources this one uses (roles, buckets, models)."""

SANDBOX_REGION = "us-west-2"
"""Where the intern trained: no endpoint, no registry, nothing but the job and its bucket."""


def _training_job(
    region: Region,
    name: str,
    role: str,
    data_uri: str,
    output_uri: str,
    instances: tuple[str, int] = ("ml.m5.2xlarge", 1),
    encrypted: bool = False,
    **settings: Any,
) -> None:
    """A training job with every AWS default unless told otherwise; `encrypted` sets the output and volume keys."""
    instance_type, count = instances
    output: dict[str, Any] = {"S3OutputPath": output_uri}
    resources: dict[str, Any] = {"InstanceType": instance_type, "InstanceCount": count, "VolumeSizeInGB": 100}
    if encrypted:
        output["KmsKeyId"] = resources["VolumeKmsKeyId"] = region.key_arn
    region.sm.create_training_job(
        TrainingJobName=name,
        AlgorithmSpecification={"TrainingImage": region.image("pytorch-training:2.3"), "TrainingInputMode": "File"},
        RoleArn=role_arn(role),
        InputDataConfig=[
            {"ChannelName": "train", "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": data_uri}}}
        ],
        OutputDataConfig=output,
        ResourceConfig=resources,
        StoppingCondition={"MaxRuntimeInSeconds": 86400, "MaxWaitTimeInSeconds": 172800},
        **settings,
    )


def _processing_job(region: Region, name: str, role: str, input_uri: str, output_uri: str, locked_down: bool) -> None:
    """A feature-engineering job: with KMS keys and network isolation when `locked_down`, AWS defaults otherwise."""
    cluster: dict[str, Any] = {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 30}
    outputs: dict[str, Any] = {
        "Outputs": [
            {
                "OutputName": "features",
                "S3Output": {"S3Uri": output_uri, "LocalPath": "/opt/ml/processing/output", "S3UploadMode": "EndOfJob"},
            }
        ]
    }
    if locked_down:
        cluster["VolumeKmsKeyId"] = outputs["KmsKeyId"] = region.key_arn
    region.sm.create_processing_job(
        ProcessingJobName=name,
        RoleArn=role_arn(role),
        AppSpecification={"ImageUri": region.image("sklearn-processing:1.2")},
        ProcessingInputs=[
            {
                "InputName": "raw",
                "S3Input": {"S3Uri": input_uri, "LocalPath": "/opt/ml/processing/input", "S3DataType": "S3Prefix"},
            }
        ],
        ProcessingOutputConfig=outputs,
        ProcessingResources={"ClusterConfig": cluster},
        NetworkConfig={"EnableNetworkIsolation": locked_down},
    )


def _transform_job(region: Region, name: str, model: str, input_uri: str, output_uri: str, encrypted: bool) -> None:
    output: dict[str, Any] = {"S3OutputPath": output_uri}
    resources: dict[str, Any] = {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1}
    if encrypted:
        output["KmsKeyId"] = resources["VolumeKmsKeyId"] = region.key_arn
    region.sm.create_transform_job(
        TransformJobName=name,
        ModelName=model,
        TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": input_uri}}},
        TransformOutput=output,
        TransformResources=resources,
    )


def _evaluated_version(region: Region, group: str, reports_uri: str) -> None:
    """An approved version registered with its evaluation step's quality and bias reports."""
    report = {"ContentType": "application/json"}
    region.sm.create_model_package(
        ModelPackageGroupName=group,
        ModelApprovalStatus="Approved",
        InferenceSpecification={
            "Containers": [{"Image": region.image(f"{group}:latest")}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
        },
        ModelMetrics={
            "ModelQuality": {"Statistics": {**report, "S3Uri": f"{reports_uri}quality.json"}},
            "Bias": {"PostTrainingReport": {**report, "S3Uri": f"{reports_uri}bias.json"}},
        },
    )


def seed(estate: Estate) -> None:
    """Jobs for every team, an evaluated and documented fraud model, a churn candidate served before approval, and
    the intern's lone GPU job in a region without a registry."""
    east = estate.east
    _training_job(
        east,
        "fraud-xgb-train-distributed-2026-11",
        FRAUD_ROLE,
        "s3://acme-fraud-training-data/2026-11/",
        "s3://acme-fraud-model-artifacts/training/",
        instances=("ml.m5.2xlarge", 2),
        encrypted=True,
        VpcConfig=east.vpc_config(),
        EnableNetworkIsolation=True,
        EnableInterContainerTrafficEncryption=True,
        EnableManagedSpotTraining=True,
        CheckpointConfig={"S3Uri": "s3://acme-fraud-model-artifacts/checkpoints/distributed/"},
        ExperimentConfig={"ExperimentName": "fraud-detection", "TrialName": "xgb-distributed-2026-11"},
    )
    _processing_job(
        east,
        "fraud-features-2026-11",
        FRAUD_ROLE,
        "s3://acme-fraud-training-data/raw/",
        "s3://acme-fraud-training-data/features/",
        locked_down=True,
    )
    _processing_job(
        east,
        "churn-features-legacy",
        SANDBOX_ROLE,
        "s3://acme-churn-legacy/raw/",
        "s3://acme-churn-legacy/features/",
        locked_down=False,
    )
    _transform_job(
        east,
        "fraud-backtest-2026-11",
        "fraud-xgb-v7",
        "s3://acme-fraud-training-data/backtest/",
        "s3://acme-fraud-model-artifacts/backtest/",
        encrypted=True,
    )
    _transform_job(
        east,
        "churn-monthly-scoring",
        "churn-legacy-2019",
        "s3://acme-churn-legacy/customers/",
        "s3://acme-churn-legacy/scores/",
        encrypted=False,
    )

    _evaluated_version(east, "fraud-detection", "s3://acme-fraud-model-artifacts/evaluation/v4/")
    east.sm.create_model_card(
        ModelCardName="fraud-detection",
        ModelCardStatus="Approved",
        Content=json.dumps({"model_overview": {"model_description": "Card-payment fraud scoring (XGBoost)"}}),
    )
    churn_candidate = east.sm.list_model_packages(ModelPackageGroupName="churn-prediction")["ModelPackageSummaryList"][
        0
    ]
    east.model(
        "churn-v2-candidate", SANDBOX_ROLE, {"ModelPackageName": churn_candidate["ModelPackageArn"]}, in_vpc=False
    )
    east.endpoint("churn-scoring-v2", "churn-v2-candidate", instance_type=None)

    west = estate.west
    _training_job(
        west,
        "recs-ranker-train-distributed-2026-11",
        RECS_ROLE,
        "s3://acme-recs-features-eu/training/",
        "s3://acme-recs-features-eu/models/",
        instances=("ml.g4dn.12xlarge", 4),
        encrypted=True,
        VpcConfig=west.vpc_config(),
        EnableManagedSpotTraining=True,
    )

    sandbox = estate.client("sagemaker", SANDBOX_REGION)
    estate.client("s3", SANDBOX_REGION).create_bucket(
        Bucket="acme-intern-gpu-scratch", CreateBucketConfiguration={"LocationConstraint": SANDBOX_REGION}
    )
    sandbox.create_training_job(
        TrainingJobName="intern-llm-finetune",
        AlgorithmSpecification={
            "TrainingImage": f"{ECR.format(region=SANDBOX_REGION)}/huggingface-pytorch-training:2.1",
            "TrainingInputMode": "File",
        },
        RoleArn=role_arn(SANDBOX_ROLE),
        OutputDataConfig={"S3OutputPath": "s3://acme-intern-gpu-scratch/output/"},
        ResourceConfig={"InstanceType": "ml.g5.2xlarge", "InstanceCount": 1, "VolumeSizeInGB": 200},
        StoppingCondition={"MaxRuntimeInSeconds": 86400},
    )
