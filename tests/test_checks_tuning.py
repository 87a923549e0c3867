"""SM-TUNING-* checks against hyperparameter tuning jobs created in moto."""

from __future__ import annotations

from typing import Any

import boto3

from mlaudit.core.taxonomy import Status
from support import ROLE_ARN, scan, verdicts

DEFINITION = {
    "AlgorithmSpecification": {
        "TrainingImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/xgboost:1",
        "TrainingInputMode": "File",
    },
    "RoleArn": ROLE_ARN,
    "OutputDataConfig": {"S3OutputPath": "s3://model-artefacts/tuning/"},
    "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50},
    "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
}


def _tuning_job(session: boto3.Session, name: str, strategy: str, **config: Any) -> None:
    session.client("sagemaker").create_hyper_parameter_tuning_job(
        HyperParameterTuningJobName=name,
        HyperParameterTuningJobConfig={
            "Strategy": strategy,
            "ResourceLimits": {"MaxNumberOfTrainingJobs": 20, "MaxParallelTrainingJobs": 4},
            **config,
        },
        TrainingJobDefinition=DEFINITION,
    )


def test_tuning_job_early_stopping(aws: boto3.Session) -> None:
    _tuning_job(aws, "pass-bayesian-auto", "Bayesian", TrainingJobEarlyStoppingType="Auto")
    _tuning_job(aws, "pass-hyperband", "Hyperband", StrategyConfig={"HyperbandStrategyConfig": {"MinResource": 1}})
    _tuning_job(aws, "fail-random-off", "Random", TrainingJobEarlyStoppingType="Off")
    _tuning_job(aws, "fail-bayesian-default", "Bayesian")
    _tuning_job(aws, "na-grid-search", "Grid")

    report = scan(aws, ["SM-TUNING-001"])

    assert verdicts(report, "SM-TUNING-001") == {
        "pass-bayesian-auto": Status.PASS,
        "pass-hyperband": Status.PASS,
        "fail-random-off": Status.FAIL,
        "fail-bayesian-default": Status.FAIL,
    }
    detail = {f.resource_name: f.status_detail for f in report.findings}
    assert (
        detail["fail-bayesian-default"] == "Bayesian search with early stopping Off: every training job runs to the end"
    )
