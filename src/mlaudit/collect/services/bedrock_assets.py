"""Collectors of Bedrock's other assets: prompts and flows (bedrock-agent), imported models, model customization and
evaluation jobs (created within the scan's lookback window) and provisioned throughput (bedrock)."""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.answers import dig
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListOnly, ListThenDescribe
from mlaudit.collect.engine.spec import LOOKBACK, PartCollector
from mlaudit.inventory import Identity
from mlaudit.inventory.bedrock_assets import (
    EvaluationJob,
    Flow,
    ImportedModel,
    ModelCustomizationJob,
    Prompt,
    ProvisionedThroughput,
)


def _created_since(ctx: CollectContext) -> dict[str, Any]:
    """Bedrock's jobs are listed from the scan's lookback window on (`creationTimeAfter`)."""
    return {"creationTimeAfter": ctx.since}


def _prompt(identity: Identity, d: dict[str, Any]) -> Prompt:
    return Prompt(
        **identity,
        prompt_id=d.get("id") or identity["arn"].rsplit("/", 1)[-1],
        kms_key_arn=d.get("customerEncryptionKeyArn"),
    )


def _flow(identity: Identity, d: dict[str, Any]) -> Flow:
    return Flow(
        **identity,
        flow_id=d.get("id") or identity["arn"].rsplit("/", 1)[-1],
        status=d.get("status") or "UNKNOWN",
        role_arn=d.get("executionRoleArn"),
        kms_key_arn=d.get("customerEncryptionKeyArn"),
    )


def _imported_model(identity: Identity, d: dict[str, Any]) -> ImportedModel:
    return ImportedModel(
        **identity,
        kms_key_arn=d.get("modelKmsKeyArn"),
        source_s3_uri=dig(d, "modelDataSource", "s3DataSource", "s3Uri"),
        creation_time=d.get("creationTime"),
    )


def _customization_job(identity: Identity, d: dict[str, Any]) -> ModelCustomizationJob:
    return ModelCustomizationJob(
        **identity,
        status=d.get("status"),
        customization_type=d.get("customizationType"),
        role_arn=d.get("roleArn"),
        training_data_s3_uri=dig(d, "trainingDataConfig", "s3Uri"),
        output_s3_uri=dig(d, "outputDataConfig", "s3Uri"),
        output_model_kms_key_arn=d.get("outputModelKmsKeyArn"),
        subnet_ids=tuple(dig(d, "vpcConfig", "subnetIds") or ()),
        security_group_ids=tuple(dig(d, "vpcConfig", "securityGroupIds") or ()),
        creation_time=d.get("creationTime"),
    )


def _evaluation_job(identity: Identity, d: dict[str, Any]) -> EvaluationJob:
    return EvaluationJob(
        **identity,
        status=d.get("status") or "UNKNOWN",
        job_type=d.get("jobType"),
        role_arn=d.get("roleArn"),
        kms_key_id=d.get("customerEncryptionKeyId"),
        output_s3_uri=dig(d, "outputDataConfig", "s3Uri"),
        creation_time=d.get("creationTime"),
    )


def _throughput(identity: Identity, d: dict[str, Any]) -> ProvisionedThroughput:
    return ProvisionedThroughput(
        **identity,
        status=d.get("status") or "UNKNOWN",
        model_arn=d.get("modelArn"),
        model_units=d.get("modelUnits") or 0,
        commitment=d.get("commitmentDuration"),
        commitment_expiration=d.get("commitmentExpirationTime"),
        creation_time=d.get("creationTime"),
    )


def _job_id(arn_key: str) -> Listed:
    """Job summaries name the job and give its ARN, whose last segment is the job's id."""
    return Listed(id="jobName", name="jobName", arn=arn_key)


COLLECTORS = (
    PartCollector(
        Prompt,
        ListThenDescribe(
            Operation("bedrock-agent:ListPrompts"),
            "promptSummaries",
            Operation("bedrock-agent:GetPrompt"),
            Listed(id="id", name="name", arn="arn"),
            _prompt,
            keys={"promptIdentifier": "id"},
        ),
    ),
    PartCollector(
        Flow,
        ListThenDescribe(
            Operation("bedrock-agent:ListFlows"),
            "flowSummaries",
            Operation("bedrock-agent:GetFlow"),
            Listed(id="id", name="name", arn="arn"),
            _flow,
            keys={"flowIdentifier": "id"},
        ),
    ),
    PartCollector(
        ImportedModel,
        ListThenDescribe(
            Operation("bedrock:ListImportedModels"),
            "modelSummaries",
            Operation("bedrock:GetImportedModel"),
            Listed(id="modelName", name="modelName", arn="modelArn"),
            _imported_model,
            keys={"modelIdentifier": "modelArn"},
        ),
    ),
    PartCollector(
        ModelCustomizationJob,
        ListThenDescribe(
            Operation("bedrock:ListModelCustomizationJobs"),
            "modelCustomizationJobSummaries",
            Operation("bedrock:GetModelCustomizationJob"),
            _job_id("jobArn"),
            _customization_job,
            keys={"jobIdentifier": "jobName"},
            list_params=_created_since,
        ),
        history=LOOKBACK,
    ),
    PartCollector(
        EvaluationJob,
        ListThenDescribe(
            Operation("bedrock:ListEvaluationJobs"),
            "jobSummaries",
            Operation("bedrock:GetEvaluationJob"),
            _job_id("jobArn"),
            _evaluation_job,
            keys={"jobIdentifier": "jobArn"},
            list_params=_created_since,
        ),
        history=LOOKBACK,
    ),
    PartCollector(
        ProvisionedThroughput,
        ListOnly(
            Operation("bedrock:ListProvisionedModelThroughputs"),
            "provisionedModelSummaries",
            Listed(id="provisionedModelName", name="provisionedModelName", arn="provisionedModelArn"),
            _throughput,
        ),
    ),
)
