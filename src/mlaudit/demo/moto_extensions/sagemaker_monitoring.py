"""SageMaker monitoring schedules (create, list, describe, stop), which moto does not implement.

moto runs no monitoring job, so a schedule never has an execution of its own. `record_monitoring_execution` sets
what SageMaker's scheduler would report after running one (`LastMonitoringExecutionSummary`), for the demo and the
tests; it reaches the backend directly, so it needs moto in this process (`mock_aws` or the demo's
`ThreadedMotoServer`).

moto answers an empty StoppingCondition for a data quality or model bias job definition created without one, where
AWS answers none: the overrides leave it out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import SageMakerModelBackend, sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

from mlaudit.demo.moto_extensions.paging import page
from mlaudit.demo.moto_extensions.round_trip import without_empty
from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = SageMakerResponse


def _schedules(backend: SageMakerModelBackend) -> dict[str, dict[str, Any]]:
    return backend_state(backend, "monitoring_schedules")


def _endpoint_of(config: dict[str, Any]) -> str | None:
    inputs = (config.get("MonitoringJobDefinition") or {}).get("MonitoringInputs") or []
    for monitoring_input in inputs:
        endpoint = (monitoring_input.get("EndpointInput") or {}).get("EndpointName")
        if endpoint:
            return endpoint
    return None


def create_monitoring_schedule(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("MonitoringScheduleName")
    config = self._get_param("MonitoringScheduleConfig") or {}
    arn = f"arn:aws:sagemaker:{self.region}:{self.current_account}:monitoring-schedule/{name.lower()}"
    now = datetime.now(UTC)
    _schedules(self.sagemaker_backend)[name] = {
        "MonitoringScheduleArn": arn,
        "MonitoringScheduleName": name,
        "MonitoringScheduleStatus": "Scheduled",
        "MonitoringType": config.get("MonitoringType") or "DataQuality",
        "CreationTime": now,
        "LastModifiedTime": now,
        "MonitoringScheduleConfig": config,
        "MonitoringJobDefinitionName": config.get("MonitoringJobDefinitionName"),
        "EndpointName": _endpoint_of(config) or self._get_param("EndpointName"),
    }
    return ActionResult({"MonitoringScheduleArn": arn})


def _summary(schedule: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "MonitoringScheduleName",
        "MonitoringScheduleArn",
        "CreationTime",
        "LastModifiedTime",
        "MonitoringScheduleStatus",
        "EndpointName",
        "MonitoringJobDefinitionName",
        "MonitoringType",
    )
    return {k: schedule[k] for k in keys if schedule.get(k) is not None}


def list_monitoring_schedules(self: SageMakerResponse) -> ActionResult:
    endpoint = self._get_param("EndpointName")
    status = self._get_param("StatusEquals")
    summaries = [
        _summary(s)
        for s in _schedules(self.sagemaker_backend).values()
        if (endpoint is None or s.get("EndpointName") == endpoint)
        and (status is None or s["MonitoringScheduleStatus"] == status)
    ]
    return ActionResult(page(self, "MonitoringScheduleSummaries", summaries))


def _get(self: SageMakerResponse) -> dict[str, Any]:
    name = self._get_param("MonitoringScheduleName")
    schedule = _schedules(self.sagemaker_backend).get(name)
    if schedule is None:
        raise ValidationError(message=f"Monitoring schedule {name} does not exist")
    return schedule


def describe_monitoring_schedule(self: SageMakerResponse) -> ActionResult:
    """As AWS: the schedule with its full config and, once a job has run, `LastMonitoringExecutionSummary`."""
    return ActionResult({k: v for k, v in _get(self).items() if v is not None})


def stop_monitoring_schedule(self: SageMakerResponse) -> ActionResult:
    _get(self)["MonitoringScheduleStatus"] = "Stopped"
    return ActionResult({})


def record_monitoring_execution(
    region: str,
    schedule_name: str,
    status: str,
    failure_reason: str | None = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> None:
    """Record that the schedule's latest job ended with `status` (Completed, CompletedWithViolations, Failed...),
    as SageMaker would after running it."""
    schedule = _schedules(sagemaker_backends[account_id][region])[schedule_name]
    now = datetime.now(UTC)
    schedule["LastMonitoringExecutionSummary"] = {
        key: value
        for key, value in {
            "MonitoringScheduleName": schedule_name,
            "ScheduledTime": now.replace(minute=0, second=0, microsecond=0),
            "CreationTime": now,
            "LastModifiedTime": now,
            "MonitoringExecutionStatus": status,
            "EndpointName": schedule.get("EndpointName"),
            "FailureReason": failure_reason,
            "MonitoringJobDefinitionName": schedule.get("MonitoringJobDefinitionName"),
            "MonitoringType": schedule.get("MonitoringType"),
        }.items()
        if value is not None
    }


OPERATIONS = {
    "create_monitoring_schedule": create_monitoring_schedule,
    "list_monitoring_schedules": list_monitoring_schedules,
    "describe_monitoring_schedule": describe_monitoring_schedule,
    "stop_monitoring_schedule": stop_monitoring_schedule,
}
OVERRIDES = {
    "describe_data_quality_job_definition": without_empty("StoppingCondition"),
    "describe_model_bias_job_definition": without_empty("StoppingCondition"),
}
