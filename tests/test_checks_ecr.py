"""ECR-ML-* checks against the ECR repositories (created in moto) whose images models and jobs run."""

from __future__ import annotations

from typing import Any

import boto3

from mlaudit.core.taxonomy import Status
from support import ACCOUNT_ID, ROLE_ARN, create_model, refuse, scan, verdicts

REGISTRY = f"{ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com"


def _repository(session: boto3.Session, name: str, **settings: Any) -> None:
    session.client("ecr").create_repository(repositoryName=name, **settings)


def _served(session: boto3.Session, repository: str) -> None:
    """A model whose container runs the repository's image."""
    create_model(session, f"model-{repository.replace('/', '-')}", Image=f"{REGISTRY}/{repository}:1.0")


def test_ml_image_repositories_are_scanned(aws: boto3.Session) -> None:
    _repository(aws, "pass-scan-on-push", imageScanningConfiguration={"scanOnPush": True})
    _repository(aws, "fail-never-scanned")
    for name in ("pass-scan-on-push", "fail-never-scanned"):
        _served(aws, name)
    _repository(aws, "not-used-by-ml")

    report = scan(aws, ["ECR-ML-001"])

    assert verdicts(report, "ECR-ML-001") == {"pass-scan-on-push": Status.PASS, "fail-never-scanned": Status.FAIL}
    assert "model/model-fail-never-scanned" in next(f.status_detail for f in report.findings if f.status is Status.FAIL)


def test_enhanced_scanning_rules_decide_and_ignore_the_repository_setting(aws: boto3.Session) -> None:
    aws.client("ecr").put_registry_scanning_configuration(
        scanType="ENHANCED",
        rules=[
            {"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "ml/*", "filterType": "WILDCARD"}]}
        ],
    )
    _repository(aws, "ml/pass-matched-by-rule")
    _repository(aws, "fail-scan-on-push-ignored", imageScanningConfiguration={"scanOnPush": True})
    for name in ("ml/pass-matched-by-rule", "fail-scan-on-push-ignored"):
        _served(aws, name)

    report = scan(aws, ["ECR-ML-001"])

    assert verdicts(report, "ECR-ML-001") == {
        "ml/pass-matched-by-rule": Status.PASS,
        "fail-scan-on-push-ignored": Status.FAIL,
    }
    assert next(f.status_detail for f in report.findings if f.status is Status.PASS) == (
        "images are scanned: enhanced scanning (continuous scan) by a registry rule"
    )


def test_ml_image_repositories_have_immutable_tags(aws: boto3.Session) -> None:
    _repository(aws, "pass-immutable", imageTagMutability="IMMUTABLE")
    _repository(aws, "fail-mutable")
    for name in ("pass-immutable", "fail-mutable"):
        _served(aws, name)

    report = scan(aws, ["ml-image-repository-tags-mutable"])

    assert verdicts(report, "ECR-ML-002") == {"pass-immutable": Status.PASS, "fail-mutable": Status.FAIL}


def test_ml_image_repositories_use_customer_managed_keys(aws: boto3.Session) -> None:
    key = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    _repository(aws, "pass-customer-key", encryptionConfiguration={"encryptionType": "KMS", "kmsKey": key})
    _repository(aws, "fail-aes256")
    for name in ("pass-customer-key", "fail-aes256"):
        _served(aws, name)

    report = scan(aws, ["ECR-ML-003"])

    assert verdicts(report, "ECR-ML-003") == {"pass-customer-key": Status.PASS, "fail-aes256": Status.FAIL}
    assert next(f.status_detail for f in report.findings if f.status is Status.FAIL) == (
        "images are encrypted with keys Amazon S3 manages (AES256), not a key you control"
    )


def test_images_of_jobs_are_followed_and_other_registries_are_not(aws: boto3.Session) -> None:
    """Training and processing images name repositories too; an AWS image (another account), an image in another
    region and a Docker Hub image name none that can be judged here; a deleted repository is simply absent."""
    _repository(aws, "trainer")
    _repository(aws, "featurizer")
    sagemaker = aws.client("sagemaker")
    sagemaker.create_training_job(
        TrainingJobName="train",
        AlgorithmSpecification={"TrainingImage": f"{REGISTRY}/trainer:2", "TrainingInputMode": "File"},
        RoleArn=ROLE_ARN,
        OutputDataConfig={"S3OutputPath": "s3://artefacts/out/"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )
    sagemaker.create_processing_job(
        ProcessingJobName="featurize",
        RoleArn=ROLE_ARN,
        AppSpecification={"ImageUri": f"{REGISTRY}/featurizer@sha256:{'0' * 64}"},
        ProcessingResources={
            "ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 10}
        },
    )
    create_model(aws, "aws-image", Image="763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3")
    create_model(aws, "other-region", Image=f"{ACCOUNT_ID}.dkr.ecr.eu-west-1.amazonaws.com/trainer:2")
    create_model(aws, "docker-hub", Image="pytorch/torchserve:latest")
    create_model(aws, "deleted", Image=f"{REGISTRY}/deleted-repository:1")

    report = scan(aws, ["ECR-ML-002"])

    assert verdicts(report, "ECR-ML-002") == {"trainer": Status.FAIL, "featurizer": Status.FAIL}
    assert report.scan.statistics.by_operation["ecr:DescribeRepositories"] == 3, (
        "one call per repository of the account"
    )


def test_refused_repository_reads_are_errors(aws: boto3.Session) -> None:
    _repository(aws, "refused")
    _served(aws, "refused")
    refuse(aws, "ecr", "DescribeRepositories")

    report = scan(aws, ["ECR-ML-002"])

    assert verdicts(report, "ECR-ML-002") == {"refused": Status.ERROR}


def test_refused_registry_scanning_reads_are_errors(aws: boto3.Session) -> None:
    _repository(aws, "scanned")
    _served(aws, "scanned")
    refuse(aws, "ecr", "GetRegistryScanningConfiguration")

    report = scan(aws, ["ECR-ML-001"])

    assert verdicts(report, "ECR-ML-001") == {"scanned": Status.ERROR}
    assert "ecr:GetRegistryScanningConfiguration" in report.findings[0].status_detail
