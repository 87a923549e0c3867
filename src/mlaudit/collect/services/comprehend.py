"""Comprehend collectors: custom entity recognizers and document classifiers, whose list answers hold every
property (no describe call). Comprehend is offered in fewer regions than SageMaker: where botocore's endpoint data
says it is not offered, the scheduler skips these parts (their service is `comprehend`) and says so."""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.answers import dig
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListOnly
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import Identity, Record
from mlaudit.inventory.comprehend import (
    ComprehendDocumentClassifier,
    ComprehendEntityRecognizer,
    model_name,
)


def _uris(*found: Any) -> tuple[str, ...]:
    return tuple(uri for uri in found if uri)


def _manifests(config: dict[str, Any]) -> list[Any]:
    return [manifest.get("S3Uri") for manifest in config.get("AugmentedManifests") or ()]


def _fields(identity: Identity, p: dict[str, Any], kind: str) -> dict[str, Any]:
    """What both kinds of model say alike (their names come from their ARNs)."""
    return {
        **Identity(**{**identity, "name": model_name(identity["arn"], kind)}),
        "status": p.get("Status") or "Unknown",
        "submit_time": p.get("SubmitTime"),
        "role_arn": p.get("DataAccessRoleArn"),
        "volume_kms_key_id": p.get("VolumeKmsKeyId"),
        "model_kms_key_id": p.get("ModelKmsKeyId"),
        "vpc_subnets": tuple(dig(p, "VpcConfig", "Subnets") or ()),
        "vpc_security_group_ids": tuple(dig(p, "VpcConfig", "SecurityGroupIds") or ()),
    }


def _recognizer(identity: Identity, p: dict[str, Any]) -> Record:
    """An entity recognizer trains from documents, annotations or an entity list, or augmented manifests."""
    config = p.get("InputDataConfig") or {}
    inputs = _uris(
        dig(config, "Documents", "S3Uri"),
        dig(config, "Documents", "TestS3Uri"),
        dig(config, "Annotations", "S3Uri"),
        dig(config, "Annotations", "TestS3Uri"),
        dig(config, "EntityList", "S3Uri"),
        *_manifests(config),
    )
    return ComprehendEntityRecognizer(**_fields(identity, p, "entity-recognizer"), input_s3_uris=inputs)


def _classifier(identity: Identity, p: dict[str, Any]) -> Record:
    """A document classifier trains from labelled documents (and test data), or augmented manifests."""
    config = p.get("InputDataConfig") or {}
    inputs = _uris(
        config.get("S3Uri"),
        config.get("TestS3Uri"),
        dig(config, "Documents", "S3Uri"),
        dig(config, "Documents", "TestS3Uri"),
        *_manifests(config),
    )
    return ComprehendDocumentClassifier(**_fields(identity, p, "document-classifier"), input_s3_uris=inputs)


COLLECTORS = (
    PartCollector(
        ComprehendEntityRecognizer,
        ListOnly(
            Operation("comprehend:ListEntityRecognizers"),
            "EntityRecognizerPropertiesList",
            Listed(id="EntityRecognizerArn", arn="EntityRecognizerArn"),
            _recognizer,
        ),
    ),
    PartCollector(
        ComprehendDocumentClassifier,
        ListOnly(
            Operation("comprehend:ListDocumentClassifiers"),
            "DocumentClassifierPropertiesList",
            Listed(id="DocumentClassifierArn", arn="DocumentClassifierArn"),
            _classifier,
        ),
    ),
)
