"""Comprehend collectors: custom entity recognizers and document classifiers, whose list answers hold every
property (no describe call). Comprehend is offered in fewer regions than SageMaker: where botocore's endpoint data
says it is not offered, the scheduler skips these parts (their service is `comprehend`) and says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlaudit.collect.engine.answers import dig
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListOnly
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import Identity, Record
from mlaudit.inventory.comprehend import (
    ComprehendDocumentClassifier,
    ComprehendEntityRecognizer,
    ComprehendModel,
    model_name,
)


def _input_uris(config: dict[str, Any]) -> tuple[str, ...]:
    """The S3 locations a model trains from: documents, annotations, entity lists, test data, augmented manifests."""
    uris = [
        config.get("S3Uri"),
        config.get("TestS3Uri"),
        dig(config, "Documents", "S3Uri"),
        dig(config, "Annotations", "S3Uri"),
        dig(config, "EntityList", "S3Uri"),
        *(manifest.get("S3Uri") for manifest in config.get("AugmentedManifests") or ()),
    ]
    return tuple(uri for uri in uris if uri)


def _builder(record_type: type[ComprehendModel], kind: str) -> Callable[[Identity, dict[str, Any]], Record]:
    def build(identity: Identity, p: dict[str, Any]) -> Record:
        vpc = p.get("VpcConfig") or {}
        named = Identity(**{**identity, "name": model_name(identity["arn"], kind)})
        return record_type(
            **named,
            status=p.get("Status") or "Unknown",
            submit_time=p.get("SubmitTime"),
            role_arn=p.get("DataAccessRoleArn"),
            input_s3_uris=_input_uris(p.get("InputDataConfig") or {}),
            volume_kms_key_id=p.get("VolumeKmsKeyId"),
            model_kms_key_id=p.get("ModelKmsKeyId"),
            vpc_subnets=tuple(vpc.get("Subnets") or ()),
            vpc_security_group_ids=tuple(vpc.get("SecurityGroupIds") or ()),
        )

    return build


COLLECTORS = (
    PartCollector(
        ComprehendEntityRecognizer,
        ListOnly(
            Operation("comprehend:ListEntityRecognizers"),
            "EntityRecognizerPropertiesList",
            Listed(id="EntityRecognizerArn", arn="EntityRecognizerArn"),
            _builder(ComprehendEntityRecognizer, "entity-recognizer"),
        ),
    ),
    PartCollector(
        ComprehendDocumentClassifier,
        ListOnly(
            Operation("comprehend:ListDocumentClassifiers"),
            "DocumentClassifierPropertiesList",
            Listed(id="DocumentClassifierArn", arn="DocumentClassifierArn"),
            _builder(ComprehendDocumentClassifier, "document-classifier"),
        ),
    ),
)
