"""SageMaker Pipelines records: the pipelines of a region, and the newest executions of each."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, Value, role_refs


class Pipeline(Record):
    part: ClassVar[str] = "sagemaker.pipeline"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::Pipeline"
    label: ClassVar[str] = "pipelines"
    arn_resource: ClassVar[str] = "pipeline/{lower_id}"
    taggable: ClassVar[bool] = True
    search_resource: ClassVar[str | None] = "Pipeline"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.IAM_ROLE})

    role_arn: str | None = None
    creation_time: datetime | None = None

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)


class PipelineExecution(Value):
    """One run of a pipeline, as ListPipelineExecutions summarises it."""

    status: str
    """Executing, Stopping, Stopped, Failed, Succeeded or CompletedWithFailures."""
    start_time: datetime | None = None
    failure_reason: str | None = None


class PipelineRecentExecutions(Record):
    """A pipeline's newest executions, newest first (aspect of Pipeline, same ARN). Only a few are listed: the
    history of a pipeline that runs hourly is never walked."""

    part: ClassVar[str] = "sagemaker.pipeline_recent_executions"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::Pipeline"
    label: ClassVar[str] = "recent pipeline executions"

    listed_at: datetime
    """When the executions were listed: staleness is judged from then, so a snapshot judges as it was scanned."""
    executions: tuple[PipelineExecution, ...] = ()
