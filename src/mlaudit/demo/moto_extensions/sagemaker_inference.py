"""SageMaker models and endpoints: the fields moto drops, and the endpoint states it cannot reach (moto 5.x).

- `create_model` ignores EnableNetworkIsolation, so `describe_model` always says False: the override keeps it.
  moto also answers an empty VpcConfig for a model outside a VPC, where AWS has none: the override drops it.
- `create_endpoint` ignores DeploymentConfig, and does not copy the config's AsyncInferenceConfig, so
  `describe_endpoint` never has LastDeploymentConfig nor AsyncInferenceConfig: the override keeps both, and moto's
  describe returns them under those names (moto answers with every attribute of its object). moto copies the
  config's DataCaptureConfig as is, where AWS answers its summary (CaptureStatus, CurrentSamplingPercentage...)
  and nothing without data capture: the override gives the summary.
- `describe_endpoint_config` answers an empty DataCaptureConfig when none was asked for: the override drops it.
  `create_endpoint_config` ignores ShadowProductionVariants, ExecutionRoleArn, VpcConfig and EnableNetworkIsolation:
  the overrides keep them, and `create_endpoint` gives the endpoint its shadow variants, as AWS does. moto also
  refuses (KeyError) a production variant without ModelName, which is how an endpoint that hosts inference components
  is configured: the override creates such a config as AWS does, requiring its ExecutionRoleArn and the models that
  its other variants name.
- moto creates every endpoint now and InService. What AWS does to an endpoint afterwards has no API: time passes
  (an endpoint's CreationTime is months old), or a deployment fails (EndpointStatus Failed with a FailureReason,
  for instance when the container fails its health check). `set_endpoint_state` records such a history in moto's
  backend, in this process (tests run moto in-process, and so does the demo's server); nothing is invented
  behind the caller's back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import FakeEndpointConfig, sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse
from moto.sagemaker.utils import arn_formatter

from mlaudit.demo.moto_extensions.round_trip import compose, kept, request_param, round_trip, without_empty

RESPONSE_CLASS = SageMakerResponse

Operation = Callable[[SageMakerResponse], ActionResult]


def _keep_network_isolation(create_model: Operation) -> Operation:
    def wrapped(self: SageMakerResponse) -> ActionResult:
        result = create_model(self)
        model = self.sagemaker_backend.describe_model(self._get_param("ModelName"))
        model.enable_network_isolation = bool(self._get_param("EnableNetworkIsolation"))
        return result

    return wrapped


def _capture_summary(capture: dict[str, Any]) -> dict[str, Any]:
    """What DescribeEndpoint answers about the data capture its config asked for."""
    enabled = capture.get("EnableCapture", False)
    summary = {
        "EnableCapture": enabled,
        "CaptureStatus": "Started" if enabled else "Stopped",
        "CurrentSamplingPercentage": capture.get("InitialSamplingPercentage"),
        "DestinationS3Uri": capture.get("DestinationS3Uri"),
        "KmsKeyId": capture.get("KmsKeyId"),
    }
    return {key: value for key, value in summary.items() if value is not None}


def _keep_endpoint_fields(create_endpoint: Operation) -> Operation:
    def wrapped(self: SageMakerResponse) -> ActionResult:
        result = create_endpoint(self)
        endpoint: Any = self.sagemaker_backend.endpoints[self._get_param("EndpointName")]  # attributes moto lacks
        deployment: dict[str, Any] | None = self._get_param("DeploymentConfig")
        if deployment:
            endpoint.last_deployment_config = deployment
        config = self.sagemaker_backend.describe_endpoint_config(endpoint.endpoint_config_name)
        if config.get("AsyncInferenceConfig"):
            endpoint.async_inference_config = config["AsyncInferenceConfig"]
        capture = config.get("DataCaptureConfig")
        endpoint.data_capture_config = _capture_summary(capture) if capture else {}
        shadows = kept(self.sagemaker_backend, "ShadowProductionVariants", endpoint.endpoint_config_name)
        if shadows:
            endpoint.shadow_production_variants = endpoint._process_production_variants(shadows)
        return result

    return wrapped


KEPT_CONFIG_FIELDS = ("ShadowProductionVariants", "ExecutionRoleArn", "VpcConfig", "EnableNetworkIsolation")
_KEEP_CONFIG_FIELDS = [
    round_trip(
        "create_endpoint_config",
        "describe_endpoint_config",
        field,
        key=request_param("EndpointConfigName"),
        backend="sagemaker_backend",
    )
    for field in KEPT_CONFIG_FIELDS
]


def _require_models(response: SageMakerResponse, variants: list[dict[str, Any]]) -> None:
    for variant in variants:
        name = variant.get("ModelName")
        if name and name not in response.sagemaker_backend._models:
            arn = arn_formatter("model", name, response.current_account, response.region)
            raise ValidationError(message=f"Could not find model '{arn}'.")


_FAKE_ENDPOINT_CONFIG: Any = FakeEndpointConfig
"""moto's endpoint config, as moto itself makes one (its CloudFormation base declares an abstract `is_created`)."""


def _accept_inference_component_variants(create_endpoint_config: Operation) -> Operation:
    """A config whose variants name no model hosts inference components: AWS requires its ExecutionRoleArn (the
    components' models run as it) and the models its shadow variants name."""

    def wrapped(self: SageMakerResponse) -> ActionResult:
        variants: list[dict[str, Any]] = self._get_param("ProductionVariants") or []
        if all(variant.get("ModelName") for variant in variants):
            return create_endpoint_config(self)
        if not self._get_param("ExecutionRoleArn"):
            raise ValidationError(
                message="ExecutionRoleArn is required for an endpoint configuration whose production variants "
                "do not specify ModelName"
            )
        _require_models(self, variants + (self._get_param("ShadowProductionVariants") or []))
        name = self._get_param("EndpointConfigName")
        config = _FAKE_ENDPOINT_CONFIG(
            account_id=self.current_account,
            region_name=self.region,
            endpoint_config_name=name,
            production_variants=variants,
            async_inference_config=self._get_param("AsyncInferenceConfig"),
            data_capture_config=self._get_param("DataCaptureConfig"),
            tags=self._get_param("Tags"),
            kms_key_id=self._get_param("KmsKeyId"),
        )
        self.sagemaker_backend.endpoint_configs[name] = config
        return ActionResult({"EndpointConfigArn": config.endpoint_config_arn})

    return wrapped


OPERATIONS: dict[str, Operation] = {}

OVERRIDES = {
    "create_model": _keep_network_isolation,
    "describe_model": without_empty("VpcConfig"),
    "create_endpoint_config": compose(
        *(trip["create_endpoint_config"] for trip in _KEEP_CONFIG_FIELDS), _accept_inference_component_variants
    ),
    "describe_endpoint_config": compose(
        *(trip["describe_endpoint_config"] for trip in _KEEP_CONFIG_FIELDS), without_empty("DataCaptureConfig")
    ),
    "create_endpoint": _keep_endpoint_fields,
    "describe_endpoint": without_empty("DataCaptureConfig"),
}


def set_endpoint_state(
    account_id: str,
    region: str,
    name: str,
    *,
    status: str | None = None,
    failure_reason: str | None = None,
    created: datetime | None = None,
) -> None:
    """Give an existing moto endpoint the status, failure reason or creation time AWS would report after the
    fact. Raises KeyError if the endpoint is not in this process's moto (a remote moto server cannot be reached)."""
    endpoint: Any = sagemaker_backends[account_id][region].endpoints[name]  # moto types unset attributes as None
    if status is not None:
        endpoint.endpoint_status = status
    if failure_reason is not None:
        endpoint.failure_reason = failure_reason
    if created is not None:
        # moto keeps naive UTC times
        endpoint.creation_time = endpoint.last_modified_time = created.astimezone(UTC).replace(tzinfo=None)
