"""SageMaker model package versions: moto (5.2) ignores the ModelCard of create_model_package, so
describe_model_package never shows the model card attached to a version, and it leaves out a version's
ModelPackageName, which AWS answers (the group's name). The overrides return both, as AWS does."""

from __future__ import annotations

from moto.core.responses import ActionResult
from moto.sagemaker.responses import SageMakerResponse

from mlaudit.demo.moto_extensions.round_trip import Operation, result_field, round_trip

RESPONSE_CLASS = SageMakerResponse
OPERATIONS: dict[str, object] = {}
_KEEP_MODEL_CARD = round_trip(
    "create_model_package",
    "describe_model_package",
    "ModelCard",
    key=result_field("ModelPackageArn"),
    backend="sagemaker_backend",
)


def _describe_version(describe_model_package: Operation) -> Operation:
    describe = _KEEP_MODEL_CARD["describe_model_package"](describe_model_package)

    def wrapped(self: SageMakerResponse) -> ActionResult:
        result = describe(self)
        if isinstance(result.result, dict) and "ModelPackageGroupName" in result.result:
            result.result.setdefault("ModelPackageName", result.result["ModelPackageGroupName"])
        return result

    return wrapped


OVERRIDES = {
    "create_model_package": _KEEP_MODEL_CARD["create_model_package"],
    "describe_model_package": _describe_version,
}
