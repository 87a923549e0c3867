"""What endpoints host besides a model per variant: inference components (models, or inline containers, placed on
an endpoint's instances with their own compute and copies) and inference experiments (shadow tests)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, Value, kms_refs, role_refs, s3_refs
from mlaudit.inventory.sagemaker import ModelContainer


class ComputeRequirements(Value):
    """ComputeResourceRequirements: what one copy of an inference component takes from an instance."""

    cpu_cores: float | None = None
    accelerators: float | None = None
    min_memory_mb: int | None = None


class InferenceComponent(Record):
    part: ClassVar[str] = "sagemaker.inference_component"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::InferenceComponent"
    label: ClassVar[str] = "inference components"
    arn_resource: ClassVar[str] = "inference-component/{lower_id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.S3})

    status: str
    endpoint_name: str
    variant_name: str | None = None
    model_name: str | None = None
    """The SageMaker model the component deploys; None when it defines its container inline."""
    containers: tuple[ModelContainer, ...] = ()
    """The inline container (Specification.Container), as a model's container: empty when it names a model."""
    base_component_name: str | None = None
    """An adapter component's base component, whose compute it shares."""
    compute: ComputeRequirements | None = None
    desired_copy_count: int | None = None
    current_copy_count: int | None = None
    creation_time: datetime | None = None

    @property
    def in_service(self) -> bool:
        return self.status == "InService"

    def references(self) -> Iterator[Reference]:
        yield from s3_refs(*(c.model_data_url for c in self.containers))


class InferenceExperiment(Record):
    """A shadow test: a shadow variant receiving a copy of an endpoint's traffic for a while."""

    part: ClassVar[str] = "sagemaker.inference_experiment"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::InferenceExperiment"
    label: ClassVar[str] = "inference experiments"
    arn_resource: ClassVar[str] = "inference-experiment/{lower_id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.IAM_ROLE, RefKind.S3, RefKind.KMS_KEY})

    status: str
    endpoint_name: str | None = None
    role_arn: str | None = None
    kms_key: str | None = None
    """KmsKey: encrypts the storage volumes of the instances that host the experiment's variants."""
    data_storage_destination: str | None = None
    """DataStorageConfig.Destination: where captured requests and responses go; None without data capture."""
    data_storage_kms_key: str | None = None
    creation_time: datetime | None = None

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from s3_refs(self.data_storage_destination)
        yield from kms_refs(self, self.kms_key, self.data_storage_kms_key)
