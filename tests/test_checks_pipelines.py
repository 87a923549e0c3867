"""SM-PIPELINE-* checks against pipelines and executions created in moto (execution results through mlaudit's moto
extension, since moto runs no pipeline)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import boto3
import botocore.session

from mlaudit.checks.pipelines import FAILED_EXECUTION_STATUSES
from mlaudit.core.taxonomy import Status
from mlaudit.demo.estate.lifecycle_requests import PIPELINE_DEFINITION
from mlaudit.demo.moto_extensions.sagemaker_pipelines import record_pipeline_execution
from support import ROLE_ARN, create_endpoint, create_model, refuse, scan, select, verdicts


def _pipeline(session: boto3.Session, name: str, *outcomes: tuple[str, int], region: str = "us-east-1") -> None:
    """A pipeline with one execution per (status, days ago), oldest first."""
    sagemaker = session.client("sagemaker", region_name=region)
    sagemaker.create_pipeline(PipelineName=name, PipelineDefinition=PIPELINE_DEFINITION, RoleArn=ROLE_ARN)
    now = datetime.now(UTC)
    for status, days_ago in outcomes:
        execution = sagemaker.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]
        reason = "Step Train failed" if status == "Failed" else None
        record_pipeline_execution(region, execution, status, reason, started=now - timedelta(days=days_ago, minutes=1))


def test_regions_that_train_or_host_models_need_pipelines(aws: boto3.Session) -> None:
    for region in ("us-east-1", "eu-west-1"):
        create_model(aws, "m", region=region)
        create_endpoint(aws, "e", "m", region=region)
    _pipeline(aws, "retrain")
    aws.client("sagemaker", region_name="ap-south-1").create_notebook_instance(
        NotebookInstanceName="notebook-only", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN
    )

    report = scan(aws, ["SM-PIPELINE-001"], regions=("us-east-1", "eu-west-1", "ap-south-1"))

    assert verdicts(report, "SM-PIPELINE-001") == {"us-east-1": Status.PASS, "eu-west-1": Status.FAIL}
    assert "1 endpoint(s)" in next(f.status_detail for f in report.findings if f.status is Status.FAIL)


def test_pipelines_whose_newest_execution_failed_or_that_are_stale(aws: boto3.Session) -> None:
    _pipeline(aws, "pass-recent", ("Succeeded", 3))
    _pipeline(aws, "pass-recovered", ("Failed", 10), ("Succeeded", 2))
    _pipeline(aws, "fail-newest-failed", *[("Succeeded", 20 - day) for day in range(6)], ("Failed", 1))
    _pipeline(aws, "fail-stale", ("Succeeded", 120))
    _pipeline(aws, "fail-completed-with-failures", ("Succeeded", 5), ("CompletedWithFailures", 1))
    _pipeline(aws, "na-never-run-yet")

    report = scan(aws, ["SM-PIPELINE-002"])
    strict = scan(aws, ["SM-PIPELINE-002"], settings={"SM-PIPELINE-002": {"staleness_days": 0}})

    assert verdicts(report, "SM-PIPELINE-002") == {
        "pass-recent": Status.PASS,
        "pass-recovered": Status.PASS,
        "fail-newest-failed": Status.FAIL,
        "fail-stale": Status.FAIL,
        "fail-completed-with-failures": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert "Step Train failed (1 of the last 5 executions failed)" in details["fail-newest-failed"], (
        "only the newest 5 are read"
    )
    assert "no execution in the last 90 days" in details["fail-stale"]
    assert set(verdicts(strict, "SM-PIPELINE-002").values()) == {Status.FAIL}
    assert "never run" in next(f.status_detail for f in strict.findings if f.resource_name == "na-never-run-yet")


def test_pipelines_that_cannot_be_listed_are_errors(aws: boto3.Session) -> None:
    create_model(aws, "m")
    create_endpoint(aws, "e", "m")
    refuse(aws, "sagemaker", "ListPipelines")

    report = scan(aws, ["SM-PIPELINE-001", "SM-PIPELINE-002"])

    assert verdicts(report, "SM-PIPELINE-001") == {"us-east-1": Status.ERROR}
    assert verdicts(report, "SM-PIPELINE-002") == {"all pipelines": Status.ERROR}
    assert all("ListPipelines" in f.status_detail for f in report.findings)


def test_a_pipeline_whose_executions_cannot_be_listed_is_an_error_for_it_alone(aws: boto3.Session) -> None:
    _pipeline(aws, "readable", ("Succeeded", 1))
    _pipeline(aws, "hidden", ("Succeeded", 1))
    refuse(aws, "sagemaker", "ListPipelineExecutions", only_for='"hidden"')

    report = scan(aws, ["SM-PIPELINE-002"])

    assert verdicts(report, "SM-PIPELINE-002") == {"readable": Status.PASS, "hidden": Status.ERROR}
    assert "ListPipelineExecutions" in next(f.status_detail for f in report.findings if f.status is Status.ERROR)


def test_the_statuses_the_check_names_are_the_service_models() -> None:
    """SM-PIPELINE-002 treats and names only statuses botocore's model has (PipelineExecutionStatus)."""
    model = botocore.session.get_session().get_service_model("sagemaker")
    statuses = set(model.shape_for("PipelineExecutionStatus").enum)
    assert statuses >= FAILED_EXECUTION_STATUSES
    rationale = select(["SM-PIPELINE-002"])[0].metadata.rationale
    named = set(
        re.findall(r"\b(?:Executing|Stopping|Stopped|Failed|Succeeded|[A-Z][a-z]+With[A-Z][a-z]+)\b", rationale)
    )
    assert named and named <= statuses, named - statuses
