"""Notebook instance fields that moto 5.x drops: it ignores PlatformIdentifier and
InstanceMetadataServiceConfiguration at create, and describes an unset RootAccess as absent.

`create_notebook_instance` keeps what it was given for those fields on moto's notebook object, and
`describe_notebook_instance` returns them as AWS does, with AWS's documented defaults for those never given:
RootAccess Enabled, PlatformIdentifier notebook-al2023-v1, and IMDSv1 allowed (minimum version 1).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.responses import SageMakerResponse

RESPONSE_CLASS = SageMakerResponse

AWS_DEFAULTS: dict[str, Any] = {
    "RootAccess": "Enabled",
    "PlatformIdentifier": "notebook-al2023-v1",
    "InstanceMetadataServiceConfiguration": {"MinimumInstanceMetadataServiceVersion": "1"},
}
"""What AWS reports for a notebook created without these fields (the SageMaker API reference's defaults)."""

_GIVEN = "_mlaudit_given"
"""The attribute of moto's notebook object holding the fields moto ignored at create."""

Operation = Callable[[SageMakerResponse], ActionResult]


def _notebook(response: SageMakerResponse) -> Any:
    return response.sagemaker_backend.get_notebook_instance(response._get_param("NotebookInstanceName"))


def create_notebook_instance(original: Operation) -> Operation:
    def create(self: SageMakerResponse) -> ActionResult:
        result = original(self)
        given = {field: self._get_param(field) for field in AWS_DEFAULTS}
        setattr(_notebook(self), _GIVEN, {field: value for field, value in given.items() if value is not None})
        return result

    return create


def describe_notebook_instance(original: Operation) -> Operation:
    def describe(self: SageMakerResponse) -> ActionResult:
        described = original(self).result
        assert isinstance(described, dict)
        present = {field: value for field, value in described.items() if value is not None}
        return ActionResult({**AWS_DEFAULTS, **present, **getattr(_notebook(self), _GIVEN, {})})

    return describe


OPERATIONS: dict[str, Callable[..., Any]] = {}
OVERRIDES = {
    "create_notebook_instance": create_notebook_instance,
    "describe_notebook_instance": describe_notebook_instance,
}
