"""SageMaker Search where moto falls short (moto 5.2): moto's `search` answers every match in one page whatever
`MaxResults` asks, knows no `Model` resource, compares a filter's value for equality whatever its operator
(`GreaterThanOrEqualTo` on `CreationTime` finds nothing), and puts moto's whole object in each record.

For the resources mlaudit reads from Search (the record types that set `search_resource`), it is answered here as AWS
answers: the records whose `CreationTime` passes the filters mlaudit sends, 100 a page (`MaxResults`), each holding
what the resource's describe answers that botocore's `SearchRecord` shape has, and its tags; a Model under
`Model.Model` (`ModelDashboardModel`). Any other resource, or a filter on another property, goes to moto.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.responses import SageMakerResponse

from mlaudit.collect.engine.search import record_path, record_shape
from mlaudit.demo.moto_extensions import sagemaker_features
from mlaudit.demo.moto_extensions.paging import page

RESPONSE_CLASS = SageMakerResponse

Operation = Callable[[SageMakerResponse], ActionResult]

BACKEND_STORES = {
    "Model": "_models",
    "Endpoint": "endpoints",
    "TrainingJob": "training_jobs",
    "HyperParameterTuningJob": "hyper_parameter_tuning_jobs",
    "ModelPackageGroup": "model_package_groups",
    "Pipeline": "pipelines",
    "FeatureGroup": "feature_groups",
}
"""Where moto's backend keeps each kind of resource mlaudit searches."""

DESCRIBED: dict[str, Callable[[Any], dict[str, Any]]] = {
    "HyperParameterTuningJob": lambda job: job.describe(),
    "FeatureGroup": lambda group: sagemaker_features.as_described(group, group.describe()),
}
"""What the resource's describe answers, where that is not moto's `response_object` (and what our extensions
change in it)."""

COMPARISONS: dict[str, Callable[[datetime, datetime], bool]] = {
    "GreaterThanOrEqualTo": lambda value, bound: value >= bound,
    "GreaterThan": lambda value, bound: value > bound,
    "LessThanOrEqualTo": lambda value, bound: value <= bound,
    "LessThan": lambda value, bound: value < bound,
}


def _time(value: Any) -> datetime:
    """A creation time as moto keeps it (a datetime, or its text), or as a filter gives it (ISO 8601), in UTC."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def as_shape(value: Any, shape: Any) -> Any:
    """`value` holding only what `shape` has, as AWS answers it: no unknown member, no empty structure, no None."""
    if shape.type_name == "structure" and isinstance(value, dict):
        kept = {key: as_shape(item, shape.members[key]) for key, item in value.items() if key in shape.members}
        return {key: item for key, item in kept.items() if item is not None and item != {}}
    if shape.type_name == "list" and isinstance(value, list):
        return [as_shape(item, shape.member) for item in value]
    if shape.type_name == "map" and isinstance(value, dict):
        return {key: as_shape(item, shape.value) for key, item in value.items()}
    return value


def _record(resource: str, found: Any) -> dict[str, Any]:
    answer = dict(DESCRIBED[resource](found) if resource in DESCRIBED else found.response_object)
    answer["Tags"] = list(getattr(found, "tags", None) or [])
    record: dict[str, Any] = as_shape(answer, record_shape(resource))
    for member in reversed(record_path(resource)):
        record = {member: record}
    return record


def _passes(found: Any, filters: list[dict[str, Any]]) -> bool:
    return all(COMPARISONS[f["Operator"]](_time(found.creation_time), _time(f["Value"])) for f in filters)


def _answered_here(resource: str | None, filters: list[dict[str, Any]]) -> bool:
    return resource in BACKEND_STORES and all(
        f.get("Name") == "CreationTime" and f.get("Operator") in COMPARISONS for f in filters
    )


def _search(search: Operation) -> Operation:
    def wrapped(self: SageMakerResponse) -> ActionResult:
        resource = self._get_param("Resource")
        filters = list((self._get_param("SearchExpression") or {}).get("Filters") or [])
        if not _answered_here(resource, filters):
            return search(self)
        store = getattr(self.sagemaker_backend, BACKEND_STORES[resource])
        matches = [_record(resource, found) for found in store.values() if _passes(found, filters)]
        return ActionResult(page(self, "Results", matches))

    return wrapped


OPERATIONS: dict[str, Operation] = {}
OVERRIDES = {"search": _search}
