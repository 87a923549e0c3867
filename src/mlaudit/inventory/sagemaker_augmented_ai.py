"""Amazon Augmented AI (A2I): flow definitions, which send a model's low-confidence predictions, with the input
they were made on, to human reviewers, and store the reviewers' answers in S3."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, kms_refs, role_refs, s3_refs


class FlowDefinition(Record):
    part: ClassVar[str] = "sagemaker.flow_definition"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::FlowDefinition"
    label: ClassVar[str] = "A2I flow definitions"
    arn_resource: ClassVar[str] = "flow-definition/{lower_id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.IAM_ROLE, RefKind.S3, RefKind.KMS_KEY})

    status: str
    """Initializing, Active, Failed or Deleting."""
    creation_time: datetime | None = None
    role_arn: str | None = None
    output_s3_uri: str | None = None
    """Where the human loops' input and the reviewers' answers are stored."""
    output_kms_key_id: str | None = None
    workteam_arn: str | None = None

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from s3_refs(self.output_s3_uri)
        yield from kms_refs(self, self.output_kms_key_id)
