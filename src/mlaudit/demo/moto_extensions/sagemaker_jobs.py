"""SageMaker processing and training jobs: fields moto (5.2) accepts on create and then drops, returned by the
describe calls as AWS returns them.

- create/describe processing job: ProcessingResources (the instance type and the storage volume's KMS key) and
  Environment.
- create/describe training job: Environment, ProfilerConfig and ProfilerRuleConfigurations; and, for a job that has
  ended, TrainingTimeInSeconds and BillableTimeInSeconds, which AWS reports from its start and end.

moto runs no job: it starts and ends each one at creation. `record_training_time` sets how long one trained, as
SageMaker would report after running it; it reaches the backend directly, so it needs moto in this process
(`mock_aws` or the demo's `ThreadedMotoServer`).
"""

from __future__ import annotations

from datetime import timedelta

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult
from moto.sagemaker.models import sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

from mlaudit.demo.moto_extensions.round_trip import Operation, request_param, round_trip

RESPONSE_CLASS = SageMakerResponse
OPERATIONS: dict[str, object] = {}
ENDED = frozenset({"Completed", "Failed", "Stopped"})

_PROCESSING = round_trip(
    "create_processing_job",
    "describe_processing_job",
    ("ProcessingResources", "Environment"),
    key=request_param("ProcessingJobName"),
    backend="sagemaker_backend",
)
_TRAINING = round_trip(
    "create_training_job",
    "describe_training_job",
    ("Environment", "ProfilerConfig", "ProfilerRuleConfigurations"),
    key=request_param("TrainingJobName"),
    backend="sagemaker_backend",
)


def _describe_training_job(describe_training_job: Operation) -> Operation:
    describe = _TRAINING["describe_training_job"](describe_training_job)

    def wrapped(self: SageMakerResponse) -> ActionResult:
        result = describe(self)
        job = self.sagemaker_backend.training_jobs.get(self._get_param("TrainingJobName"))
        if job is not None and job.training_job_status in ENDED and isinstance(result.result, dict):
            seconds = int((job.training_end_time - job.training_start_time).total_seconds())
            result.result["TrainingTimeInSeconds"] = result.result["BillableTimeInSeconds"] = seconds
        return result

    return wrapped


def record_training_time(region: str, job_name: str, hours: float, account_id: str = DEFAULT_ACCOUNT_ID) -> None:
    """Record that the job trained for `hours` before it ended, as SageMaker would after running it."""
    job = sagemaker_backends[account_id][region].training_jobs[job_name]
    job.training_start_time = job.training_end_time - timedelta(hours=hours)


OVERRIDES = {
    **_PROCESSING,
    "create_training_job": _TRAINING["create_training_job"],
    "describe_training_job": _describe_training_job,
}
