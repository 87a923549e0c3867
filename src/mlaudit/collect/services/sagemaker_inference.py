"""Inference components and inference experiments: each region's list, then one describe per resource (the
summaries hold neither a component's model or container nor an experiment's keys)."""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.answers import dig
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListThenDescribe
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.collect.services.sagemaker import environment_fields
from mlaudit.inventory import Identity, ModelContainer
from mlaudit.inventory.sagemaker_inference import ComputeRequirements, InferenceComponent, InferenceExperiment


def _inline_container(c: dict[str, Any] | None) -> tuple[ModelContainer, ...]:
    if not c:
        return ()
    image = dig(c, "DeployedImage", "SpecifiedImage") or dig(c, "DeployedImage", "ResolvedImage")
    return (
        ModelContainer(image=image, model_data_url=c.get("ArtifactUrl"), **environment_fields(c.get("Environment"))),
    )


def _compute(c: dict[str, Any] | None) -> ComputeRequirements | None:
    if not c:
        return None
    return ComputeRequirements(
        cpu_cores=c.get("NumberOfCpuCoresRequired"),
        accelerators=c.get("NumberOfAcceleratorDevicesRequired"),
        min_memory_mb=c.get("MinMemoryRequiredInMb"),
    )


def _component(identity: Identity, d: dict[str, Any]) -> InferenceComponent:
    specification = d.get("Specification") or {}
    runtime = d.get("RuntimeConfig") or {}
    return InferenceComponent(
        **identity,
        status=d.get("InferenceComponentStatus") or "Unknown",
        endpoint_name=d.get("EndpointName") or "",
        variant_name=d.get("VariantName"),
        model_name=specification.get("ModelName"),
        containers=_inline_container(specification.get("Container")),
        base_component_name=specification.get("BaseInferenceComponentName"),
        compute=_compute(specification.get("ComputeResourceRequirements")),
        desired_copy_count=runtime.get("DesiredCopyCount"),
        current_copy_count=runtime.get("CurrentCopyCount"),
        creation_time=d.get("CreationTime"),
    )


def _experiment(identity: Identity, d: dict[str, Any]) -> InferenceExperiment:
    storage = d.get("DataStorageConfig") or {}
    return InferenceExperiment(
        **identity,
        status=d.get("Status") or "Unknown",
        endpoint_name=dig(d, "EndpointMetadata", "EndpointName"),
        role_arn=d.get("RoleArn"),
        kms_key=d.get("KmsKey"),
        data_storage_destination=storage.get("Destination"),
        data_storage_kms_key=storage.get("KmsKey"),
        creation_time=d.get("CreationTime"),
    )


COLLECTORS = (
    PartCollector(
        InferenceComponent,
        ListThenDescribe(
            Operation("sagemaker:ListInferenceComponents"),
            "InferenceComponents",
            Operation("sagemaker:DescribeInferenceComponent"),
            Listed(id="InferenceComponentName", arn="InferenceComponentArn"),
            _component,
        ),
    ),
    PartCollector(
        InferenceExperiment,
        ListThenDescribe(
            Operation("sagemaker:ListInferenceExperiments"),
            "InferenceExperiments",
            Operation("sagemaker:DescribeInferenceExperiment"),
            Listed(id="Name"),
            _experiment,
        ),
    ),
)
