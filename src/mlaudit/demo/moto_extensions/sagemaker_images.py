"""SageMaker images and app image configs (create, list, describe, delete), which moto does not implement.

An image is CREATED at once (AWS creates it in moments; moto builds nothing); an app image config keeps the
configuration sections it was created with. Both keep the Tags of their create request, which ListTags answers
(`sagemaker_tags`). The two kinds are stored and answered alike, each described by a `_Kind`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ResourceInUseException
from moto.sagemaker.responses import SageMakerResponse
from moto.sagemaker.utils import arn_formatter

from mlaudit.demo.moto_extensions import sagemaker_tags
from mlaudit.demo.moto_extensions.paging import page
from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = SageMakerResponse

CONFIG_SECTIONS = ("KernelGatewayImageConfig", "JupyterLabAppImageConfig", "CodeEditorAppImageConfig")


@dataclass(frozen=True)
class _Kind:
    """One kind of resource: the request parameter naming it, its ARN's type and field, the list answer's key, the
    fields its create request gives it, and those a list summary leaves out."""

    label: str
    name: str
    arn_type: str
    arn_field: str
    items: str
    given: Callable[[SageMakerResponse], dict[str, Any]]
    not_summarised: tuple[str, ...] = ()

    def _store(self, response: SageMakerResponse) -> dict[str, dict[str, Any]]:
        return backend_state(response.sagemaker_backend, self.arn_type)

    def create(self, response: SageMakerResponse) -> ActionResult:
        name = response._get_param(self.name)
        if name in self._store(response):
            raise ResourceInUseException(message=f"{self.label} {name} already exists")
        arn = arn_formatter(self.arn_type, name, response.current_account, response.region)
        now = datetime.now(UTC)
        self._store(response)[name] = {
            self.name: name,
            self.arn_field: arn,
            **self.given(response),
            "CreationTime": now,
            "LastModifiedTime": now,
        }
        sagemaker_tags.register(response.sagemaker_backend, arn, response._get_param("Tags"))
        return ActionResult({self.arn_field: arn})

    def list(self, response: SageMakerResponse) -> ActionResult:
        contains = response._get_param("NameContains") or ""
        summaries = [
            {key: value for key, value in resource.items() if value is not None and key not in self.not_summarised}
            for resource in self._store(response).values()
            if contains in resource[self.name]
        ]
        return ActionResult(page(response, self.items, summaries))


IMAGE = _Kind(
    label="Image",
    name="ImageName",
    arn_type="image",
    arn_field="ImageArn",
    items="Images",
    given=lambda r: {
        "ImageStatus": "CREATED",
        "DisplayName": r._get_param("DisplayName"),
        "Description": r._get_param("Description"),
        "RoleArn": r._get_param("RoleArn"),
    },
    not_summarised=("RoleArn",),
)
APP_IMAGE_CONFIG = _Kind(
    label="AppImageConfig",
    name="AppImageConfigName",
    arn_type="app-image-config",
    arn_field="AppImageConfigArn",
    items="AppImageConfigs",
    given=lambda r: {section: r._get_param(section) for section in CONFIG_SECTIONS},
)

Operation = Callable[[SageMakerResponse], ActionResult]


def _operations(kind: _Kind, singular: str, plural: str) -> dict[str, Operation]:
    """A kind's operations as moto calls them: functions that become methods of its response class."""
    return {
        f"create_{singular}": lambda self: kind.create(self),
        f"list_{plural}": lambda self: kind.list(self),
    }


OPERATIONS = _operations(IMAGE, "image", "images") | _operations(
    APP_IMAGE_CONFIG, "app_image_config", "app_image_configs"
)
