"""SageMaker Pipelines: the automated, repeatable path from data to a registered model."""

from __future__ import annotations

from datetime import timedelta

from mlaudit.inventory import RegionScope
from mlaudit.inventory.sagemaker_pipelines import Pipeline, PipelineRecentExecutions
from mlaudit.sdk import CheckContext, Outcome, Pillar, Remediation, Setting, Severity, check, failed, ml_lens, passed
from mlaudit.sdk.wording import names

FAILED_EXECUTION_STATUSES = frozenset({"Failed", "CompletedWithFailures"})


@check(
    id="SM-PIPELINE-001",
    name="no-ml-pipelines",
    title="Regions that train or host models should build them with SageMaker Pipelines",
    severity=Severity.LOW,
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    resource=RegionScope,
    uses=(Pipeline,),
    service="sagemaker",
    rationale="""Models trained and deployed by hand cannot be reproduced, reviewed or retrained on a schedule: the
    steps live in a notebook or in someone's head. A pipeline makes preparation, training, evaluation and
    registration one versioned, repeatable workflow. Judged only in regions with endpoints or training jobs in the
    lookback window; teams that orchestrate with Step Functions, Airflow or Kubeflow instead will see this finding
    and may exclude the check.""",
    judges="""One finding per region with endpoints (in any status) or training jobs of the lookback window; other
    regions get none. Any pipeline passes the region, whatever its state (SM-PIPELINE-002 judges that).""",
    remediation=Remediation(
        text="Define the training workflow (processing, training, evaluation, model registration) as a SageMaker "
        "pipeline, with the SageMaker Python SDK or a JSON definition, and run it instead of manual jobs.",
        cli="aws sagemaker create-pipeline --pipeline-name <name> --pipeline-definition file://pipeline.json "
        "--role-arn <role-arn>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/pipelines.html",
    ),
    references=(ml_lens("MLOE-12"), ml_lens("MLREL-06"), ml_lens("MLPER-16")),
)
def no_ml_pipelines(region: RegionScope, ctx: CheckContext) -> Outcome | None:
    if not (region.endpoints or region.training_jobs):
        return None
    pipelines = ctx.all(Pipeline)
    if pipelines:
        return passed(f"{len(pipelines)} pipeline(s): " + names(sorted(p.name for p in pipelines)))
    return failed(
        f"{region.endpoints} endpoint(s) and {region.training_jobs} recent training job(s), but no SageMaker pipeline"
    )


@check(
    id="SM-PIPELINE-002",
    name="pipeline-failing-or-stale",
    title="Pipelines should have run recently, and their newest execution should not have failed",
    severity=Severity.LOW,
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    resource=Pipeline,
    uses=(PipelineRecentExecutions,),
    settings={
        "staleness_days": Setting(
            default=90, description="days without an execution after which a pipeline is stale", minimum=1
        )
    },
    rationale="""A pipeline whose newest run failed, or that has not run for months, no longer produces the models in
    production: they go stale while the pipeline looks like automation on paper. Only the newest executions are
    read; a newest execution that is Failed, or CompletedWithFailures (it finished with failed steps: a status of
    the current service model, PipelineExecutionStatus), counts as failed, and a pipeline younger than the staleness
    window that has never run is not judged yet.""",
    judges="""Every pipeline, on its newest executions only. A newest execution that Failed or CompletedWithFailures
    fails, as does no execution for staleness_days; a pipeline younger than staleness_days that never ran gets no
    finding.""",
    remediation=Remediation(
        text="Read the failed execution's failing step and fix it, then run the pipeline again; schedule regular runs "
        "(an EventBridge schedule or a data-arrival trigger) or delete pipelines that are no longer used.",
        cli="aws sagemaker list-pipeline-execution-steps --pipeline-execution-arn <execution-arn> && "
        "aws sagemaker start-pipeline-execution --pipeline-name <pipeline>",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListPipelineExecutionSteps.html",
        placeholders={"pipeline": "resource_name"},
    ),
    references=(ml_lens("MLOE-12"), ml_lens("MLPER-16"), ml_lens("MLREL-06")),
)
def pipeline_failing_or_stale(pipeline: Pipeline, ctx: CheckContext) -> Outcome | None:
    recent = ctx.require(PipelineRecentExecutions, pipeline.arn)
    days = ctx.setting("staleness_days")
    window = timedelta(days=days)
    if not recent.executions:
        if pipeline.creation_time and recent.listed_at - pipeline.creation_time < window:
            return None
        return failed("the pipeline has never run")
    newest = recent.executions[0]
    started = f"{newest.start_time:%Y-%m-%d}" if newest.start_time else "at an unknown time"
    if newest.status in FAILED_EXECUTION_STATUSES:
        failures = sum(e.status in FAILED_EXECUTION_STATUSES for e in recent.executions)
        reason = f": {newest.failure_reason}" if newest.failure_reason else ""
        return failed(
            f"the newest execution (started {started}) is {newest.status}{reason} "
            f"({failures} of the last {len(recent.executions)} executions failed)"
        )
    if newest.start_time and recent.listed_at - newest.start_time > window:
        return failed(f"no execution in the last {days} days: the newest started {started} ({newest.status})")
    return passed(f"the newest execution started {started} and is {newest.status}")
