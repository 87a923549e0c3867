"""Tags of the SageMaker resources the extensions add (images, app image configs, inference components and
experiments): moto's ListTags and AddTags look a resource up among its own kinds and fail (HTTP 500) on any other
ARN. The extensions register each resource they create, with the Tags of its create request; AddTags (overridden
here) and ListTags (`list_registered`, which the one `list_tags` override asks first) answer for those ARNs as AWS
does, and every other ARN goes to moto."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.responses import SageMakerResponse

from mlaudit.demo.moto_extensions.paging import page
from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = SageMakerResponse

Operation = Callable[[SageMakerResponse], ActionResult]


def _tags(backend: object) -> dict[str, list[dict[str, str]]]:
    return backend_state(backend, "extension_tags")


def register(backend: object, arn: str, tags: list[dict[str, str]] | None) -> None:
    """A resource an extension created, with the tags it was created with."""
    _tags(backend)[arn] = list(tags or [])


def list_registered(response: SageMakerResponse) -> ActionResult | None:
    """ListTags answered for a resource an extension registered (paged); None for every other ARN. The one
    `list_tags` override (`sagemaker_features`) asks this first."""
    tags = _tags(response.sagemaker_backend).get(response._get_param("ResourceArn"))
    return None if tags is None else ActionResult(page(response, "Tags", tags, default_size=50))


def _add_tags(add_tags: Operation) -> Operation:
    def wrapped(self: SageMakerResponse) -> ActionResult:
        tags = _tags(self.sagemaker_backend).get(self._get_param("ResourceArn"))
        if tags is None:
            return add_tags(self)
        added: list[dict[str, Any]] = self._get_param("Tags") or []
        keys = {tag["Key"] for tag in added}
        tags[:] = [tag for tag in tags if tag["Key"] not in keys] + added
        return ActionResult({"Tags": tags})

    return wrapped


OPERATIONS: dict[str, Operation] = {}
OVERRIDES = {"add_tags": _add_tags}
