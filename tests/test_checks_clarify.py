"""SM-CLARIFY-* checks: SageMaker Clarify processing jobs in the regions that train, created in moto."""

from __future__ import annotations

import boto3

from mlaudit.core.taxonomy import Status
from support import ROLE_ARN, refuse, scan, verdicts

CLARIFY = "205585389593.dkr.ecr.{region}.amazonaws.com/sagemaker-clarify-processing:1.0"


def _training_job(session: boto3.Session, region: str) -> None:
    session.client("sagemaker", region_name=region).create_training_job(
        TrainingJobName="churn-train",
        AlgorithmSpecification={"TrainingImage": "xgboost:1", "TrainingInputMode": "File"},
        RoleArn=ROLE_ARN,
        OutputDataConfig={"S3OutputPath": "s3://model-artefacts/churn/"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )


def _processing_job(session: boto3.Session, region: str, name: str, image: str) -> None:
    session.client("sagemaker", region_name=region).create_processing_job(
        ProcessingJobName=name,
        RoleArn=ROLE_ARN,
        AppSpecification={"ImageUri": image.format(region=region)},
        ProcessingResources={
            "ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 20}
        },
    )


def test_regions_that_train_run_clarify(aws: boto3.Session) -> None:
    _training_job(aws, "us-east-1")
    _processing_job(aws, "us-east-1", "churn-bias", CLARIFY)
    _training_job(aws, "eu-west-1")
    _processing_job(aws, "eu-west-1", "churn-features", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/sklearn:1")
    _processing_job(aws, "us-west-2", "lonely-bias", CLARIFY)  # no training there: not judged

    report = scan(aws, ["SM-CLARIFY-001"], regions=("us-east-1", "eu-west-1", "us-west-2"))

    assert verdicts(report, "SM-CLARIFY-001") == {"us-east-1": Status.PASS, "eu-west-1": Status.FAIL}
    detail = {f.resource_name: f.status_detail for f in report.findings}
    assert detail["us-east-1"] == "1 Clarify processing job(s) in the lookback window: churn-bias"
    assert detail["eu-west-1"] == "1 training job(s) in the lookback window, but no SageMaker Clarify job"


def test_unlisted_processing_jobs_are_an_error_for_the_region(aws: boto3.Session) -> None:
    _training_job(aws, "us-east-1")
    refuse(aws, "sagemaker", "ListProcessingJobs")

    report = scan(aws, ["SM-CLARIFY-001"])

    assert verdicts(report, "SM-CLARIFY-001") == {"us-east-1": Status.ERROR}
