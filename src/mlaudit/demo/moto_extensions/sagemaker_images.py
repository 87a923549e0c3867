"""SageMaker images and app image configs (create, list, describe, delete), which moto does not implement.

An image is CREATED at once (AWS creates it in moments; moto builds nothing); an app image config keeps the
configuration sections it was created with. Both keep the Tags of their create request, which ListTags answers
(`sagemaker_tags`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.sagemaker.exceptions import ResourceInUseException, ResourceNotFound
from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse
from moto.sagemaker.utils import arn_formatter

from mlaudit.demo.moto_extensions import sagemaker_tags
from mlaudit.demo.moto_extensions.paging import page
from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = SageMakerResponse

IMAGE_FIELDS = (
    "CreationTime",
    "Description",
    "DisplayName",
    "ImageArn",
    "ImageName",
    "ImageStatus",
    "LastModifiedTime",
)
CONFIG_SECTIONS = ("KernelGatewayImageConfig", "JupyterLabAppImageConfig", "CodeEditorAppImageConfig")


def _images(backend: SageMakerModelBackend) -> dict[str, dict[str, Any]]:
    return backend_state(backend, "images")


def _configs(backend: SageMakerModelBackend) -> dict[str, dict[str, Any]]:
    return backend_state(backend, "app_image_configs")


def _present(item: dict[str, Any], keys: tuple[str, ...] | None = None) -> dict[str, Any]:
    return {key: value for key, value in item.items() if value is not None and (keys is None or key in keys)}


def create_image(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("ImageName")
    if name in _images(self.sagemaker_backend):
        raise ResourceInUseException(message=f"Image {name} already exists")
    arn = arn_formatter("image", name, self.current_account, self.region)
    now = datetime.now(UTC)
    _images(self.sagemaker_backend)[name] = {
        "ImageName": name,
        "ImageArn": arn,
        "ImageStatus": "CREATED",
        "DisplayName": self._get_param("DisplayName"),
        "Description": self._get_param("Description"),
        "RoleArn": self._get_param("RoleArn"),
        "CreationTime": now,
        "LastModifiedTime": now,
    }
    sagemaker_tags.register(self.sagemaker_backend, arn, self._get_param("Tags"))
    return ActionResult({"ImageArn": arn})


def _image(self: SageMakerResponse) -> dict[str, Any]:
    name = self._get_param("ImageName")
    image = _images(self.sagemaker_backend).get(name)
    if image is None:
        raise ResourceNotFound(message=f"Image {name} does not exist")
    return image


def describe_image(self: SageMakerResponse) -> ActionResult:
    return ActionResult(_present(_image(self)))


def list_images(self: SageMakerResponse) -> ActionResult:
    contains = self._get_param("NameContains") or ""
    images = [_present(i, IMAGE_FIELDS) for i in _images(self.sagemaker_backend).values() if contains in i["ImageName"]]
    return ActionResult(page(self, "Images", images))


def delete_image(self: SageMakerResponse) -> ActionResult:
    image = _image(self)
    del _images(self.sagemaker_backend)[image["ImageName"]]
    sagemaker_tags.forget(self.sagemaker_backend, image["ImageArn"])
    return EmptyResult()


def create_app_image_config(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("AppImageConfigName")
    if name in _configs(self.sagemaker_backend):
        raise ResourceInUseException(message=f"AppImageConfig {name} already exists")
    arn = arn_formatter("app-image-config", name, self.current_account, self.region)
    now = datetime.now(UTC)
    _configs(self.sagemaker_backend)[name] = {
        "AppImageConfigArn": arn,
        "AppImageConfigName": name,
        "CreationTime": now,
        "LastModifiedTime": now,
        **{section: self._get_param(section) for section in CONFIG_SECTIONS},
    }
    sagemaker_tags.register(self.sagemaker_backend, arn, self._get_param("Tags"))
    return ActionResult({"AppImageConfigArn": arn})


def _config(self: SageMakerResponse) -> dict[str, Any]:
    name = self._get_param("AppImageConfigName")
    config = _configs(self.sagemaker_backend).get(name)
    if config is None:
        raise ResourceNotFound(message=f"AppImageConfig {name} does not exist")
    return config


def describe_app_image_config(self: SageMakerResponse) -> ActionResult:
    return ActionResult(_present(_config(self)))


def list_app_image_configs(self: SageMakerResponse) -> ActionResult:
    contains = self._get_param("NameContains") or ""
    configs = [_present(c) for c in _configs(self.sagemaker_backend).values() if contains in c["AppImageConfigName"]]
    return ActionResult(page(self, "AppImageConfigs", configs))


def delete_app_image_config(self: SageMakerResponse) -> ActionResult:
    config = _config(self)
    del _configs(self.sagemaker_backend)[config["AppImageConfigName"]]
    sagemaker_tags.forget(self.sagemaker_backend, config["AppImageConfigArn"])
    return EmptyResult()


OPERATIONS = {
    "create_image": create_image,
    "describe_image": describe_image,
    "list_images": list_images,
    "delete_image": delete_image,
    "create_app_image_config": create_app_image_config,
    "describe_app_image_config": describe_app_image_config,
    "list_app_image_configs": list_app_image_configs,
    "delete_app_image_config": delete_app_image_config,
}
