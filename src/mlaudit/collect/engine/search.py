"""Reading SageMaker resources from `sagemaker:Search`: 100 records a page, each with the resource's tags, instead of
one describe or one ListTags call per resource (docs/benchmark.md, "Batch reads: Search and GetResources").

Search answers from an index that lags behind the resources by seconds: a resource created or changed just before
the scan may be missing from it, or shown as it was. What exists is therefore always known from the resource's own
list, and a listed resource that Search does not return is read the per-resource way.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.service_model import service_model

SEARCH = Operation("sagemaker:Search")

CLOCK_MARGIN = timedelta(seconds=1)
"""How much earlier than the oldest resource wanted a creation-time bound starts, so that no rounding of the
index's times leaves one out (one that still is gets read the per-resource way)."""


def record_path(resource: str) -> tuple[str, ...]:
    """Where a `SearchRecord` holds the resource: under its member, or, where that member wraps it with more
    (`ModelDashboardModel`: the Model, its endpoints, its monitoring), under the member's member of the same name."""
    shape = service_model("sagemaker").shape_for("SearchRecord").members[resource]
    return (resource, resource) if shape.name != resource and resource in shape.members else (resource,)


def record_shape(resource: str) -> Any:
    """botocore's shape of the resource as Search returns it."""
    shape = service_model("sagemaker").shape_for("SearchRecord")
    for key in record_path(resource):
        shape = shape.members[key]
    return shape


def arn_key(resource: str) -> str:
    """The member of the resource's record holding its ARN (`TrainingJobArn`)."""
    return f"{resource}Arn"


def searched(ctx: CollectContext, resource: str, created_from: datetime | None = None) -> dict[str, dict[str, Any]]:
    """Every record Search returns for `resource` in the context's account and region, by ARN; with `created_from`,
    only those created since (a training job's history is never walked). Raises `CallFailed` as a list does."""
    params: dict[str, Any] = {"Resource": resource}
    if created_from is not None:
        bound = (created_from - CLOCK_MARGIN).isoformat()
        params["SearchExpression"] = {
            "Filters": [{"Name": "CreationTime", "Operator": "GreaterThanOrEqualTo", "Value": bound}]
        }
    path, key = record_path(resource), arn_key(resource)
    found: dict[str, dict[str, Any]] = {}
    for result in ctx.paginate(SEARCH, "Results", **params):
        record = result
        for member in path:
            record = record.get(member) or {}
        if record.get(key):
            found[record[key]] = record
    return found
