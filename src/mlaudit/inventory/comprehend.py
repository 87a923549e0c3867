"""Amazon Comprehend custom models: entity recognizers and document classifiers, trained on the account's own
documents (often customer correspondence, contracts, medical notes) and kept by Comprehend as model artefacts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, kms_refs, role_refs, s3_refs
from mlaudit.inventory.network import security_group_refs, subnet_refs


def model_name(arn: str, kind: str) -> str:
    """`...:document-classifier/tickets/version/v2` -> `tickets (version v2)`; an unversioned model by its name."""
    resource = arn.split(f":{kind}/", 1)[-1]
    name, _, version = resource.partition("/version/")
    return f"{name} (version {version})" if version else name


class ComprehendModel(Record):
    """A custom Comprehend model (each version its own). Each kind is its own part, as AWS lists them apart."""

    service: ClassVar[str] = "comprehend"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset(
        {RefKind.IAM_ROLE, RefKind.S3, RefKind.KMS_KEY, RefKind.SUBNET, RefKind.SECURITY_GROUP}
    )

    status: str
    """SUBMITTED, TRAINING, DELETING, STOP_REQUESTED, STOPPED, IN_ERROR, TRAINED or TRAINED_WITH_WARNING."""
    submit_time: datetime | None = None
    role_arn: str | None = None
    """DataAccessRoleArn: the role Comprehend reads the training documents with."""
    input_s3_uris: tuple[str, ...] = ()
    volume_kms_key_id: str | None = None
    """The key of the storage volume of the instances that train (and later run) the model."""
    model_kms_key_id: str | None = None
    """The key the trained model is encrypted with."""
    vpc_subnets: tuple[str, ...] = ()
    vpc_security_group_ids: tuple[str, ...] = ()

    @property
    def judged(self) -> bool:
        """Models that failed or are being deleted hold no trained model to protect."""
        return self.status not in ("IN_ERROR", "DELETING")

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from s3_refs(*self.input_s3_uris)
        yield from kms_refs(self, self.volume_kms_key_id, self.model_kms_key_id)
        yield from subnet_refs(self, *self.vpc_subnets)
        yield from security_group_refs(self, *self.vpc_security_group_ids)


class ComprehendEntityRecognizer(ComprehendModel):
    part: ClassVar[str] = "comprehend.entity_recognizer"
    resource_type: ClassVar[str] = "AWS::Comprehend::EntityRecognizer"
    label: ClassVar[str] = "Comprehend entity recognizers"
    arn_resource: ClassVar[str] = "entity-recognizer/{id}"


class ComprehendDocumentClassifier(ComprehendModel):
    part: ClassVar[str] = "comprehend.document_classifier"
    resource_type: ClassVar[str] = "AWS::Comprehend::DocumentClassifier"
    label: ClassVar[str] = "Comprehend document classifiers"
    arn_resource: ClassVar[str] = "document-classifier/{id}"


COMPREHEND_MODEL_TYPES: tuple[type[ComprehendModel], ...] = (ComprehendEntityRecognizer, ComprehendDocumentClassifier)
