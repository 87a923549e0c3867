"""Custom SageMaker images and app image configurations: the container images a team brings to Studio (kernels,
JupyterLab, Code Editor) and how each is run."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record


class SageMakerImage(Record):
    part: ClassVar[str] = "sagemaker.image"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::Image"
    label: ClassVar[str] = "SageMaker images"
    arn_resource: ClassVar[str] = "image/{lower_id}"
    taggable: ClassVar[bool] = True

    status: str
    display_name: str | None = None
    description: str | None = None
    creation_time: datetime | None = None


class AppImageConfig(Record):
    part: ClassVar[str] = "sagemaker.app_image_config"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::AppImageConfig"
    label: ClassVar[str] = "app image configs"
    arn_resource: ClassVar[str] = "app-image-config/{lower_id}"
    taggable: ClassVar[bool] = True

    app_types: tuple[str, ...] = ()
    """The apps it configures: KernelGateway, JupyterLab, CodeEditor."""
    creation_time: datetime | None = None
