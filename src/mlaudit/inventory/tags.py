"""Resource tags: their own part, collected only when a check needs them, for the parts whose records are
`taggable`."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from mlaudit.inventory.base import Record


class ResourceTags(Record):
    """The tags of one taggable record, keyed by the same ARN and name."""

    part: ClassVar[str] = "tags.resource_tags"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::*"
    label: ClassVar[str] = "resource tags"

    tags: dict[str, str] = Field(default_factory=dict)
