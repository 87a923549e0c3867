"""SageMaker inference components and inference experiments (create, list, describe, delete), which moto does not
implement.

A component is created on an existing endpoint's variant, as AWS requires, and is InService at once with its
copies placed (moto places nothing); its description answers the Specification AWS answers: the model it names, or
its inline container with the image it was given as DeployedImage. An experiment is created on an existing
endpoint and, without a Schedule, runs at once, as AWS starts it; its description answers the endpoint's metadata,
the variants with their status, and the keys it was given.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ResourceNotFound, ValidationError
from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse
from moto.sagemaker.utils import arn_formatter

from mlaudit.demo.moto_extensions import sagemaker_tags
from mlaudit.demo.moto_extensions.paging import page
from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = SageMakerResponse

COMPONENT_SUMMARY = (
    "CreationTime",
    "InferenceComponentArn",
    "InferenceComponentName",
    "EndpointArn",
    "EndpointName",
    "VariantName",
    "InferenceComponentStatus",
    "LastModifiedTime",
)
EXPERIMENT_SUMMARY = (
    "Name",
    "Type",
    "Schedule",
    "Status",
    "StatusReason",
    "Description",
    "CreationTime",
    "CompletionTime",
    "LastModifiedTime",
    "RoleArn",
)


def _components(backend: SageMakerModelBackend) -> dict[str, dict[str, Any]]:
    return backend_state(backend, "inference_components")


def _experiments(backend: SageMakerModelBackend) -> dict[str, dict[str, Any]]:
    return backend_state(backend, "inference_experiments")


def _endpoint(self: SageMakerResponse, name: str) -> Any:
    endpoint = self.sagemaker_backend.endpoints.get(name)
    if endpoint is None:
        arn = arn_formatter("endpoint", name, self.current_account, self.region)
        raise ValidationError(message=f"Could not find endpoint '{arn}'.")
    return endpoint


def _require_component_variant(self: SageMakerResponse, endpoint: Any, variant: str) -> None:
    """The variant must exist on the endpoint and host inference components (name no model), as AWS requires."""
    config = self.sagemaker_backend.endpoint_configs[endpoint.endpoint_config_name]
    configured = {v["VariantName"]: v for v in config.production_variants}
    if variant not in configured:
        raise ValidationError(message=f"Could not find variant '{variant}' on endpoint '{endpoint.endpoint_name}'.")
    if configured[variant].get("ModelName"):
        raise ValidationError(
            message=f"Variant '{variant}' of endpoint '{endpoint.endpoint_name}' hosts a model, not inference components."
        )


def _specification_summary(specification: dict[str, Any], now: datetime) -> dict[str, Any]:
    """What DescribeInferenceComponent answers of the Specification it was created with: the container's Image as
    the image it deployed."""
    summary = {key: value for key, value in specification.items() if key != "Container"}
    container = dict(specification.get("Container") or {})
    image = container.pop("Image", None)
    if image:
        container["DeployedImage"] = {"SpecifiedImage": image, "ResolvedImage": image, "ResolutionTime": now}
    return summary | ({"Container": container} if container else {})


def create_inference_component(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("InferenceComponentName")
    endpoint = _endpoint(self, self._get_param("EndpointName"))
    variant = self._get_param("VariantName") or endpoint.production_variants[0]["VariantName"]
    _require_component_variant(self, endpoint, variant)
    specification: dict[str, Any] = self._get_param("Specification") or {}
    model = specification.get("ModelName")
    if model and model not in self.sagemaker_backend._models:
        arn = arn_formatter("model", model, self.current_account, self.region)
        raise ValidationError(message=f"Could not find model '{arn}'.")
    copies = (self._get_param("RuntimeConfig") or {}).get("CopyCount")
    arn = arn_formatter("inference-component", name, self.current_account, self.region)
    now = datetime.now(UTC)
    _components(self.sagemaker_backend)[name] = {
        "InferenceComponentName": name,
        "InferenceComponentArn": arn,
        "EndpointName": endpoint.endpoint_name,
        "EndpointArn": endpoint.arn,
        "VariantName": variant,
        "Specification": _specification_summary(specification, now),
        "RuntimeConfig": {"DesiredCopyCount": copies, "CurrentCopyCount": copies} if copies is not None else None,
        "CreationTime": now,
        "LastModifiedTime": now,
        "InferenceComponentStatus": "InService",
    }
    sagemaker_tags.register(self.sagemaker_backend, arn, self._get_param("Tags"))
    return ActionResult({"InferenceComponentArn": arn})


def _component(self: SageMakerResponse) -> dict[str, Any]:
    name = self._get_param("InferenceComponentName")
    component = _components(self.sagemaker_backend).get(name)
    if component is None:
        raise ValidationError(message=f"Could not find inference component '{name}'.")
    return component


def describe_inference_component(self: SageMakerResponse) -> ActionResult:
    return ActionResult({key: value for key, value in _component(self).items() if value is not None})


def _matches_component(self: SageMakerResponse, component: dict[str, Any]) -> bool:
    wanted = {
        "EndpointName": self._get_param("EndpointNameEquals"),
        "VariantName": self._get_param("VariantNameEquals"),
        "InferenceComponentStatus": self._get_param("StatusEquals"),
    }
    contains = self._get_param("NameContains") or ""
    return contains in component["InferenceComponentName"] and all(
        value is None or component[key] == value for key, value in wanted.items()
    )


def list_inference_components(self: SageMakerResponse) -> ActionResult:
    summaries = [
        {key: component[key] for key in COMPONENT_SUMMARY}
        for component in _components(self.sagemaker_backend).values()
        if _matches_component(self, component)
    ]
    return ActionResult(page(self, "InferenceComponents", summaries))


def _model_variants(variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [variant | {"Status": "InService"} for variant in variants]


def create_inference_experiment(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("Name")
    endpoint = _endpoint(self, self._get_param("EndpointName"))
    arn = arn_formatter("inference-experiment", name, self.current_account, self.region)
    now = datetime.now(UTC)
    schedule = self._get_param("Schedule")
    _experiments(self.sagemaker_backend)[name] = {
        "Arn": arn,
        "Name": name,
        "Type": self._get_param("Type"),
        "Schedule": schedule,
        "Status": "Created" if schedule else "Running",
        "Description": self._get_param("Description"),
        "CreationTime": now,
        "LastModifiedTime": now,
        "RoleArn": self._get_param("RoleArn"),
        "EndpointMetadata": {
            "EndpointName": endpoint.endpoint_name,
            "EndpointConfigName": endpoint.endpoint_config_name,
            "EndpointStatus": endpoint.endpoint_status,
        },
        "ModelVariants": _model_variants(self._get_param("ModelVariants") or []),
        "DataStorageConfig": self._get_param("DataStorageConfig"),
        "ShadowModeConfig": self._get_param("ShadowModeConfig"),
        "KmsKey": self._get_param("KmsKey"),
    }
    sagemaker_tags.register(self.sagemaker_backend, arn, self._get_param("Tags"))
    return ActionResult({"InferenceExperimentArn": arn})


def describe_inference_experiment(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("Name")
    experiment = _experiments(self.sagemaker_backend).get(name)
    if experiment is None:
        raise ResourceNotFound(message=f"Inference experiment {name} does not exist.")
    return ActionResult({key: value for key, value in experiment.items() if value is not None})


def list_inference_experiments(self: SageMakerResponse) -> ActionResult:
    status = self._get_param("StatusEquals")
    summaries = [
        {key: experiment[key] for key in EXPERIMENT_SUMMARY if experiment.get(key) is not None}
        for experiment in _experiments(self.sagemaker_backend).values()
        if status is None or experiment["Status"] == status
    ]
    return ActionResult(page(self, "InferenceExperiments", summaries))


OPERATIONS = {
    "create_inference_component": create_inference_component,
    "describe_inference_component": describe_inference_component,
    "list_inference_components": list_inference_components,
    "create_inference_experiment": create_inference_experiment,
    "describe_inference_experiment": describe_inference_experiment,
    "list_inference_experiments": list_inference_experiments,
}
