"""COMPREHEND-ML-* checks against Comprehend custom entity recognizers and document classifiers created in moto."""

from __future__ import annotations

from typing import Any

import boto3

from mlaudit.core.taxonomy import Status
from support import ROLE_ARN, refuse, scan, verdicts

KEY = "arn:aws:kms:us-east-1:123456789012:key/documents"
VPC = {"SecurityGroupIds": ["sg-0a1b2c3d"], "Subnets": ["subnet-0a1b2c3d"]}


def _recognizer(session: boto3.Session, name: str, **settings: Any) -> None:
    session.client("comprehend").create_entity_recognizer(
        RecognizerName=name,
        LanguageCode="en",
        DataAccessRoleArn=ROLE_ARN,
        InputDataConfig={
            "EntityTypes": [{"Type": "POLICY_NUMBER"}],
            "Documents": {"S3Uri": "s3://claims-documents/train/"},
            "EntityList": {"S3Uri": "s3://claims-documents/entities.csv"},
        },
        **settings,
    )


def _classifier(session: boto3.Session, name: str, **settings: Any) -> None:
    session.client("comprehend").create_document_classifier(
        DocumentClassifierName=name,
        LanguageCode="en",
        DataAccessRoleArn=ROLE_ARN,
        InputDataConfig={"S3Uri": "s3://claims-documents/labelled.csv"},
        **settings,
    )


def test_comprehend_models_are_encrypted_with_kms_keys(aws: boto3.Session) -> None:
    _recognizer(aws, "pass-recognizer-keys", VolumeKmsKeyId=KEY, ModelKmsKeyId=KEY)
    _recognizer(aws, "fail-recognizer-no-model-key", VolumeKmsKeyId=KEY)
    _classifier(aws, "pass-classifier-keys", VolumeKmsKeyId=KEY, ModelKmsKeyId=KEY)
    _classifier(aws, "fail-classifier-no-keys")

    report = scan(aws, ["COMPREHEND-ML-001"])

    assert verdicts(report, "COMPREHEND-ML-001") == {
        "pass-recognizer-keys": Status.PASS,
        "fail-recognizer-no-model-key": Status.FAIL,
        "pass-classifier-keys": Status.PASS,
        "fail-classifier-no-keys": Status.FAIL,
    }
    detail = {f.resource_name: f.status_detail for f in report.findings}
    assert detail["fail-recognizer-no-model-key"] == "no KMS key: ModelKmsKeyId (trained model)"
    types = {f.resource_name: f.resource_type for f in report.findings}
    assert types["pass-classifier-keys"] == "AWS::Comprehend::DocumentClassifier"


def test_comprehend_models_train_in_a_vpc(aws: boto3.Session) -> None:
    """Each version is its own model, named as AWS's ARN names it."""
    _recognizer(aws, "pass-recognizer-vpc", VpcConfig=VPC)
    _classifier(aws, "fail-classifier-no-vpc", VersionName="v2")

    report = scan(aws, ["COMPREHEND-ML-002"])

    assert verdicts(report, "COMPREHEND-ML-002") == {
        "pass-recognizer-vpc": Status.PASS,
        "fail-classifier-no-vpc (version v2)": Status.FAIL,
    }
    assert {f.resource_arn for f in report.findings if f.status is Status.FAIL} == {
        "arn:aws:comprehend:us-east-1:123456789012:document-classifier/fail-classifier-no-vpc/version/v2"
    }


def test_comprehend_models_reference_their_training_bucket(aws: boto3.Session) -> None:
    aws.client("s3").create_bucket(Bucket="claims-documents")
    _recognizer(aws, "claims")

    report = scan(aws, ["S3-ML-001"])

    assert set(verdicts(report, "S3-ML-001")) == {"claims-documents"}


def test_unlisted_comprehend_models_are_errors_for_the_region(aws: boto3.Session) -> None:
    _recognizer(aws, "claims")
    _classifier(aws, "routing")
    refuse(aws, "comprehend", "ListEntityRecognizers")
    refuse(aws, "comprehend", "ListDocumentClassifiers")

    report = scan(aws, ["COMPREHEND-ML-001"])

    assert verdicts(report, "COMPREHEND-ML-001") == {
        "all Comprehend entity recognizers": Status.ERROR,
        "all Comprehend document classifiers": Status.ERROR,
    }
