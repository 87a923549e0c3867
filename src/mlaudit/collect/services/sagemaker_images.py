"""Custom SageMaker images and app image configs: one list call each per region (paginated); the summaries hold
everything the checks read, and their tags come from the tags collector."""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListOnly
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import Identity
from mlaudit.inventory.sagemaker_images import AppImageConfig, SageMakerImage

APP_IMAGE_CONFIGS = {
    "KernelGatewayImageConfig": "KernelGateway",
    "JupyterLabAppImageConfig": "JupyterLab",
    "CodeEditorAppImageConfig": "CodeEditor",
}
"""The app each configuration section of an app image config is for."""


def _image(identity: Identity, i: dict[str, Any]) -> SageMakerImage:
    return SageMakerImage(
        **identity,
        status=i.get("ImageStatus") or "Unknown",
        display_name=i.get("DisplayName"),
        description=i.get("Description"),
        creation_time=i.get("CreationTime"),
    )


def _app_image_config(identity: Identity, c: dict[str, Any]) -> AppImageConfig:
    return AppImageConfig(
        **identity,
        app_types=tuple(app for section, app in APP_IMAGE_CONFIGS.items() if c.get(section)),
        creation_time=c.get("CreationTime"),
    )


COLLECTORS = (
    PartCollector(
        SageMakerImage,
        ListOnly(
            Operation("sagemaker:ListImages"),
            "Images",
            Listed(id="ImageName", arn="ImageArn"),
            _image,
        ),
    ),
    PartCollector(
        AppImageConfig,
        ListOnly(
            Operation("sagemaker:ListAppImageConfigs"),
            "AppImageConfigs",
            Listed(id="AppImageConfigName", arn="AppImageConfigArn"),
            _app_image_config,
        ),
    ),
)
