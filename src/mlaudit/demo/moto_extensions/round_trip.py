"""Overrides for moto operations that accept a request field and then drop it: keep the field when the resource is
created and return it when the resource is described, as AWS does; and for describe operations that answer an empty
structure where AWS answers none. Modules build their `OVERRIDES` with them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult, BaseResponse

from mlaudit.demo.moto_extensions.state import backend_state

Operation = Callable[[Any], ActionResult]
Override = Callable[[Operation], Operation]
ResourceKey = Callable[[Any, ActionResult], "str | None"]
"""Which resource a call is about, from the request (`response._get_param`) or moto's result."""


def _kept(backend: object, field: str) -> dict[str, Any]:
    return backend_state(backend, f"kept_{field}")


def kept(backend: object, field: str, resource: str) -> Any:
    """The value of `field` a round trip kept for `resource` when it was created (None when it was not given)."""
    return _kept(backend, field).get(resource)


def result_field(name: str) -> ResourceKey:
    """The resource is named by a field of moto's result (e.g. the ARN a create call returns)."""
    return lambda _, result: result.result.get(name) if isinstance(result.result, dict) else None


def request_param(name: str) -> ResourceKey:
    """The resource is named by a request parameter (e.g. the job name)."""
    return lambda response, _: response._get_param(name)


def round_trip(
    create: str, describe: str, field: str | tuple[str, ...], key: ResourceKey, backend: str
) -> dict[str, Override]:
    """`OVERRIDES` entries that keep `field` (or each of several fields) of the `create` request and add it to the
    `describe` result; `backend` names the response class's property for the region's backend
    (`sagemaker_backend`)."""
    fields = (field,) if isinstance(field, str) else field

    def keep(original: Operation) -> Operation:
        def wrapped(self: BaseResponse) -> ActionResult:
            result = original(self)
            resource = key(self, result)
            for name in fields:
                value = self._get_param(name)
                if value and resource:
                    _kept(getattr(self, backend), name)[resource] = value
            return result

        return wrapped

    def give_back(original: Operation) -> Operation:
        def wrapped(self: BaseResponse) -> ActionResult:
            result = original(self)
            resource = key(self, result) or ""
            for name in fields:
                value = _kept(getattr(self, backend), name).get(resource)
                if value and isinstance(result.result, dict):
                    result.result[name] = value
            return result

        return wrapped

    return {create: keep, describe: give_back}


def without_empty(field: str) -> Override:
    """An override of a describe call that leaves out `field` when moto answers it empty (`{}`), as AWS does: an
    empty structure misses the members the service model marks required."""

    def override(describe: Operation) -> Operation:
        def wrapped(self: BaseResponse) -> ActionResult:
            result = describe(self)
            if isinstance(result.result, dict) and result.result.get(field) == {}:
                del result.result[field]
            return result

        return wrapped

    return override


def compose(*overrides: Override) -> Override:
    """One override applying several to the same operation, the first outermost (moto takes one per operation)."""

    def override(original: Operation) -> Operation:
        for wrap in reversed(overrides):
            original = wrap(original)
        return original

    return override
