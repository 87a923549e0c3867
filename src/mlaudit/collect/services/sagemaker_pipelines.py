"""SageMaker Pipelines collectors: the pipeline list, and each pipeline's newest executions (never its history)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import ForEachRecord, Listed, ListOnly, same_identity
from mlaudit.collect.engine.spec import History, PartCollector
from mlaudit.inventory import Identity, Record
from mlaudit.inventory.sagemaker_pipelines import Pipeline, PipelineExecution, PipelineRecentExecutions

RECENT_EXECUTIONS = 5
"""How many of a pipeline's executions are listed, newest first."""


LIST_PIPELINE_EXECUTIONS = Operation("sagemaker:ListPipelineExecutions")


def _pipeline(identity: Identity, p: dict[str, Any]) -> Pipeline:
    return Pipeline(
        **identity,
        role_arn=p.get("RoleArn"),
        creation_time=p.get("CreationTime"),
    )


def _recent_executions(ctx: CollectContext, pipeline: Record) -> PipelineRecentExecutions:
    summaries = ctx.paginate(
        LIST_PIPELINE_EXECUTIONS,
        "PipelineExecutionSummaries",
        PipelineName=pipeline.name,
        SortBy="CreationTime",
        SortOrder="Descending",
        PaginationConfig={"MaxItems": RECENT_EXECUTIONS, "PageSize": RECENT_EXECUTIONS},
    )
    return PipelineRecentExecutions(
        **same_identity(pipeline),
        listed_at=datetime.now(UTC),
        executions=tuple(
            PipelineExecution(
                status=s.get("PipelineExecutionStatus") or "Unknown",
                start_time=s.get("StartTime"),
                failure_reason=s.get("PipelineExecutionFailureReason") or None,
            )
            for s in summaries
        ),
    )


COLLECTORS = (
    PartCollector(
        Pipeline,
        ListOnly(
            Operation("sagemaker:ListPipelines"),
            "PipelineSummaries",
            Listed(id="PipelineName", arn="PipelineArn"),
            _pipeline,
        ),
    ),
    PartCollector(
        PipelineRecentExecutions,
        ForEachRecord((Pipeline,), LIST_PIPELINE_EXECUTIONS, _recent_executions),
        aspect_of=Pipeline,
        history=History(newest=RECENT_EXECUTIONS, per="pipeline"),
    ),
)
