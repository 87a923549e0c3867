"""CloudWatch Logs records for the log groups that ML workloads write to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind


class LogGroup(Record):
    """A log group written by ML workloads: SageMaker's (`/aws/sagemaker/...`: training, processing and transform
    jobs, endpoints, notebooks) and the one Bedrock model invocation logging delivers to."""

    part: ClassVar[str] = "logs.log_group"
    service: ClassVar[str] = "logs"
    resource_type: ClassVar[str] = "AWS::Logs::LogGroup"
    label: ClassVar[str] = "ML log groups"
    arn_resource: ClassVar[str] = "log-group:{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.KMS_KEY})

    kms_key_id: str | None = None
    """The key ARN; None means CloudWatch Logs' own service-managed encryption."""
    retention_days: int | None = None
    """None means the events never expire."""
    written_by: tuple[str, ...] = ()
    """Why the group was collected, for people: `SageMaker`, `Bedrock model invocation logging`."""

    def references(self) -> Iterator[Reference]:
        ref = self.kms_key_ref(self.kms_key_id)
        if ref:
            yield ref
