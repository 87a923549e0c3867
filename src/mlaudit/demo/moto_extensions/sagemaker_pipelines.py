"""SageMaker pipeline executions where moto falls short (moto 5.2).

- `list_pipeline_executions` ignores `SortBy`, `SortOrder` and `MaxResults` (AWS lists newest first by default)
  and reports a missing failure reason as the string "None": wrapped to page and sort as AWS does.
- moto runs no pipeline: every execution it starts has Succeeded, now. `record_pipeline_execution` sets what
  SageMaker would report after the run (status, failure reason, start time), for the demo and the tests; it reaches
  the backend directly, so it needs moto in this process (`mock_aws` or the demo's `ThreadedMotoServer`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult
from moto.sagemaker.models import sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

from mlaudit.demo.moto_extensions.paging import page

RESPONSE_CLASS = SageMakerResponse

Operation = Callable[[SageMakerResponse], ActionResult]

_SORT_KEYS = {"CreationTime": "StartTime", "PipelineExecutionArn": "PipelineExecutionArn"}


def _list_pipeline_executions(list_executions: Operation) -> Operation:
    def list_sorted_and_paged(self: SageMakerResponse) -> ActionResult:
        summaries: list[dict[str, Any]] = list(list_executions(self).result["PipelineExecutionSummaries"])  # type: ignore[index]
        for summary in summaries:
            if summary.get("PipelineExecutionFailureReason") in (None, "None", ""):
                summary.pop("PipelineExecutionFailureReason", None)
        sort_key = _SORT_KEYS[self._get_param("SortBy") or "CreationTime"]
        summaries.sort(
            key=lambda s: s[sort_key], reverse=(self._get_param("SortOrder") or "Descending") == "Descending"
        )
        return ActionResult(page(self, "PipelineExecutionSummaries", summaries, default_size=50))

    return list_sorted_and_paged


def record_pipeline_execution(
    region: str,
    execution_arn: str,
    status: str,
    failure_reason: str | None = None,
    started: datetime | None = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> None:
    """Record how an execution started with `start_pipeline_execution` went (Succeeded, Failed, Stopped...), and
    when it started, as SageMaker would report it."""
    pipeline_name = execution_arn.split(":pipeline/", 1)[1].split("/", 1)[0]
    pipeline = sagemaker_backends[account_id][region].pipelines[pipeline_name]
    execution: Any = pipeline.pipeline_executions[execution_arn]  # moto types its unset attributes as None
    execution.pipeline_execution_status = status
    execution.pipeline_execution_failure_reason = failure_reason
    if started is not None:
        started = started.astimezone(UTC).replace(tzinfo=None)  # moto keeps naive UTC times
        execution.creation_time = execution.start_time = execution.last_modified_time = started
        pipeline.last_execution_time = max(e.start_time for e in pipeline.pipeline_executions.values())


OPERATIONS: dict[str, Operation] = {}
OVERRIDES = {"list_pipeline_executions": _list_pipeline_executions}
