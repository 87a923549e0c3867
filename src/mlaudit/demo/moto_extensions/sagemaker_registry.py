"""SageMaker model package versions: moto (5.2) ignores the ModelCard of create_model_package, so
describe_model_package never shows the model card attached to a version. The overrides return the ModelCard the
version was created with, as AWS does."""

from __future__ import annotations

from moto.sagemaker.responses import SageMakerResponse

from mlaudit.demo.moto_extensions.round_trip import result_field, round_trip

RESPONSE_CLASS = SageMakerResponse
OPERATIONS: dict[str, object] = {}
OVERRIDES = round_trip(
    "create_model_package",
    "describe_model_package",
    "ModelCard",
    key=result_field("ModelPackageArn"),
    backend="sagemaker_backend",
)
