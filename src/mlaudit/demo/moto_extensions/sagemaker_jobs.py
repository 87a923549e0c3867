"""SageMaker processing jobs: moto (5.2) accepts ProcessingResources on create_processing_job but neither keeps nor
returns it, so describe_processing_job loses the instance type and the storage volume's KMS key. The overrides
return the ProcessingResources the job was created with, as AWS does."""

from __future__ import annotations

from moto.sagemaker.responses import SageMakerResponse

from mlaudit.demo.moto_extensions.round_trip import request_param, round_trip

RESPONSE_CLASS = SageMakerResponse
OPERATIONS: dict[str, object] = {}
OVERRIDES = round_trip(
    "create_processing_job",
    "describe_processing_job",
    "ProcessingResources",
    key=request_param("ProcessingJobName"),
    backend="sagemaker_backend",
)
