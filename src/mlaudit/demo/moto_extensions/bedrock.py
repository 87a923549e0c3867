"""Bedrock: guardrails and their versions, provisioned throughput, imported models and evaluation jobs, which moto
does not implement, and custom models' keys.

- create/list/get guardrail: the DRAFT (status READY at once), with the content-filter, sensitive-information and
  contextual grounding policies mlaudit reads, returned under their Get names (`filtersConfig` -> `filters`...).
  create_guardrail_version cuts numbered versions (1, 2...) from the draft as it is; get_guardrail with
  `guardrailVersion` answers that version, or ResourceNotFoundException as AWS does for one that does not exist.
- create/list provisioned model throughput: summaries only, with the commitment term asked for (OneMonth: 30 days,
  SixMonths: 182); `age_throughput` backdates one, as AWS would report it later.
- create_model_import_job imports the model at once (AWS takes minutes); list/get imported model, with the key the
  job named (`importedModelKmsKeyId`) as `modelKmsKeyArn`, or none.
- create/list/get evaluation job: status Completed at once, with the request's configuration.
- get_custom_model: moto invents a `modelKmsKeyArn` for every model; AWS returns one only when the customization
  job named a `customModelKmsKeyId`, so the override returns the job's key or none. get_model_customization_job
  likewise for `outputModelKmsKeyArn`, and answers the empty `validationDataConfig` AWS gives a job without
  validation data (moto leaves out the required member).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from moto.bedrock.exceptions import ResourceNotFoundException
from moto.bedrock.models import bedrock_backends
from moto.bedrock.responses import BedrockResponse
from moto.core.utils import unix_time
from moto.moto_api._internal import mock_random

from mlaudit.demo.moto_extensions.paging import page
from mlaudit.demo.moto_extensions.state import backend_state
from mlaudit.inventory import canonical_kms_key

RESPONSE_CLASS = BedrockResponse

_GUARDRAILS = "_mlaudit_guardrails"
_GUARDRAIL_VERSIONS = "_mlaudit_guardrail_versions"
_THROUGHPUTS = "_mlaudit_provisioned_throughputs"
_IMPORTED_MODELS = "_mlaudit_imported_models"
_EVALUATION_JOBS = "_mlaudit_evaluation_jobs"


def _store(response: BedrockResponse, name: str) -> dict[str, dict[str, Any]]:
    return backend_state(response.bedrock_backend, name)


def _key_arn(response: BedrockResponse, key: str | None) -> str | None:
    """AWS answers with the key's ARN whichever way the request named it."""
    return canonical_kms_key(key, "aws", response.region, response.current_account)


def create_guardrail(self: BedrockResponse) -> str:
    guardrail_id = "".join(mock_random.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(12))
    arn = f"arn:aws:bedrock:{self.region}:{self.current_account}:guardrail/{guardrail_id}"
    now = unix_time()
    content = self._get_param("contentPolicyConfig") or {}
    sensitive = self._get_param("sensitiveInformationPolicyConfig") or {}
    grounding = self._get_param("contextualGroundingPolicyConfig") or {}
    guardrail = {
        "name": self._get_param("name"),
        "description": self._get_param("description"),
        "guardrailId": guardrail_id,
        "guardrailArn": arn,
        "version": "DRAFT",
        "status": "READY",
        "contentPolicy": {"filters": content.get("filtersConfig") or []} if content else None,
        "sensitiveInformationPolicy": {
            "piiEntities": sensitive.get("piiEntitiesConfig") or [],
            "regexes": sensitive.get("regexesConfig") or [],
        }
        if sensitive
        else None,
        "contextualGroundingPolicy": {"filters": grounding.get("filtersConfig") or []} if grounding else None,
        "blockedInputMessaging": self._get_param("blockedInputMessaging"),
        "blockedOutputsMessaging": self._get_param("blockedOutputsMessaging"),
        "kmsKeyArn": _key_arn(self, self._get_param("kmsKeyId")),
        "createdAt": now,
        "updatedAt": now,
    }
    _store(self, _GUARDRAILS)[guardrail_id] = {k: v for k, v in guardrail.items() if v is not None}
    return json.dumps({"guardrailId": guardrail_id, "guardrailArn": arn, "version": "DRAFT", "createdAt": now})


def _guardrail(self: BedrockResponse, identifier: str) -> dict[str, Any]:
    for guardrail in _store(self, _GUARDRAILS).values():
        if identifier in (guardrail["guardrailId"], guardrail["guardrailArn"]):
            return guardrail
    raise ResourceNotFoundException(f"Guardrail {identifier} not found")


def list_guardrails(self: BedrockResponse) -> str:
    """Without an identifier, the DRAFT of every guardrail (as AWS lists them); with one, that guardrail."""
    identifier = self._get_param("guardrailIdentifier")
    guardrails = [_guardrail(self, unquote(identifier))] if identifier else list(_store(self, _GUARDRAILS).values())
    keys = {
        "guardrailId": "id",
        "guardrailArn": "arn",
        "status": "status",
        "name": "name",
        "version": "version",
        "description": "description",
        "createdAt": "createdAt",
        "updatedAt": "updatedAt",
    }
    summaries = [{out: g[key] for key, out in keys.items() if key in g} for g in guardrails]
    return json.dumps(page(self, "guardrails", summaries, token="nextToken", size="maxResults"))


def get_guardrail(self: BedrockResponse) -> str:
    draft = _guardrail(self, unquote(self._get_param("guardrailIdentifier")))
    version = self._get_param("guardrailVersion")
    if version in (None, "DRAFT"):
        return json.dumps(draft)
    cut = _store(self, _GUARDRAIL_VERSIONS).get(f"{draft['guardrailId']}:{version}")
    if cut is None:
        raise ResourceNotFoundException(f"Guardrail {draft['guardrailId']} version {version} not found")
    return json.dumps(cut)


def create_guardrail_version(self: BedrockResponse) -> str:
    draft = _guardrail(self, unquote(self._get_param("guardrailIdentifier")))
    versions = _store(self, _GUARDRAIL_VERSIONS)
    number = str(1 + sum(1 for key in versions if key.startswith(f"{draft['guardrailId']}:")))
    versions[f"{draft['guardrailId']}:{number}"] = {**draft, "version": number, "updatedAt": unix_time()}
    return json.dumps({"guardrailId": draft["guardrailId"], "version": number})


def create_provisioned_model_throughput(self: BedrockResponse) -> str:
    name = self._get_param("provisionedModelName")
    arn = f"arn:aws:bedrock:{self.region}:{self.current_account}:provisioned-model/{mock_random.get_random_hex(12)}"
    model = self._get_param("modelId")
    units = self._get_param("modelUnits")
    now = unix_time()
    commitment = self._get_param("commitmentDuration")
    throughput = {
        "provisionedModelName": name,
        "provisionedModelArn": arn,
        "modelArn": model,
        "desiredModelArn": model,
        "foundationModelArn": model,
        "modelUnits": units,
        "desiredModelUnits": units,
        "status": "InService",
        "creationTime": now,
        "lastModifiedTime": now,
    }
    if commitment:
        term = COMMITMENT_DAYS[commitment] * 86400
        throughput |= {"commitmentDuration": commitment, "commitmentExpirationTime": now + term}
    _store(self, _THROUGHPUTS)[arn] = throughput
    return json.dumps({"provisionedModelArn": arn})


COMMITMENT_DAYS = {"OneMonth": 30, "SixMonths": 182}


def age_throughput(account_id: str, region: str, name: str, created: datetime) -> None:
    """Give provisioned throughput the creation time AWS would report after the fact (its commitment, if any,
    runs from then). Raises KeyError if it is not in this process's moto (a remote moto server cannot be reached)."""
    throughputs = backend_state(bedrock_backends[account_id][region], _THROUGHPUTS)
    throughput = next(t for t in throughputs.values() if t["provisionedModelName"] == name)
    shift = created.timestamp() - throughput["creationTime"]
    for key in ("creationTime", "lastModifiedTime", "commitmentExpirationTime"):
        if key in throughput:
            throughput[key] += shift


def list_provisioned_model_throughputs(self: BedrockResponse) -> str:
    throughputs = list(_store(self, _THROUGHPUTS).values())
    return json.dumps(page(self, "provisionedModelSummaries", throughputs, token="nextToken", size="maxResults"))


def create_model_import_job(self: BedrockResponse) -> str:
    name = self._get_param("importedModelName")
    prefix = f"arn:aws:bedrock:{self.region}:{self.current_account}"
    job_arn = f"{prefix}:model-import-job/{mock_random.get_random_hex(12)}"
    model = {
        "modelArn": f"{prefix}:imported-model/{mock_random.get_random_hex(12)}",
        "modelName": name,
        "jobName": self._get_param("jobName"),
        "jobArn": job_arn,
        "modelDataSource": self._get_param("modelDataSource"),
        "creationTime": unix_time(),
        "modelArchitecture": "llama3",
        "modelKmsKeyArn": _key_arn(self, self._get_param("importedModelKmsKeyId")),
        "instructSupported": True,
    }
    _store(self, _IMPORTED_MODELS)[name] = {k: v for k, v in model.items() if v is not None}
    return json.dumps({"jobArn": job_arn})


def _imported_model(self: BedrockResponse, identifier: str) -> dict[str, Any]:
    for model in _store(self, _IMPORTED_MODELS).values():
        if identifier in (model["modelName"], model["modelArn"]):
            return model
    raise ResourceNotFoundException(f"Imported model {identifier} not found")


def list_imported_models(self: BedrockResponse) -> str:
    keys = ("modelArn", "modelName", "creationTime", "instructSupported", "modelArchitecture")
    summaries = [{k: m[k] for k in keys if k in m} for m in _store(self, _IMPORTED_MODELS).values()]
    return json.dumps(page(self, "modelSummaries", summaries, token="nextToken", size="maxResults"))


def get_imported_model(self: BedrockResponse) -> str:
    return json.dumps(_imported_model(self, unquote(self._get_param("modelIdentifier"))))


def create_evaluation_job(self: BedrockResponse) -> str:
    name = self._get_param("jobName")
    arn = f"arn:aws:bedrock:{self.region}:{self.current_account}:evaluation-job/{mock_random.get_random_hex(12)}"
    config = self._get_param("evaluationConfig") or {}
    job = {
        "jobName": name,
        "status": "Completed",
        "jobArn": arn,
        "roleArn": self._get_param("roleArn"),
        "customerEncryptionKeyId": self._get_param("customerEncryptionKeyId"),
        "jobType": "Human" if "human" in config else "Automated",
        "applicationType": self._get_param("applicationType") or "ModelEvaluation",
        "evaluationConfig": config,
        "inferenceConfig": self._get_param("inferenceConfig"),
        "outputDataConfig": self._get_param("outputDataConfig"),
        "creationTime": unix_time(),
    }
    _store(self, _EVALUATION_JOBS)[arn] = {k: v for k, v in job.items() if v is not None}
    return json.dumps({"jobArn": arn})


def _task_types(job: dict[str, Any]) -> list[str]:
    metrics = (job["evaluationConfig"].get("automated") or job["evaluationConfig"].get("human") or {}).get(
        "datasetMetricConfigs"
    ) or []
    return sorted({metric["taskType"] for metric in metrics})


def list_evaluation_jobs(self: BedrockResponse) -> str:
    after = self._get_param("creationTimeAfter")
    jobs = [j for j in _store(self, _EVALUATION_JOBS).values() if after is None or j["creationTime"] > _epoch(after)]
    keys = ("jobArn", "jobName", "status", "creationTime", "jobType", "applicationType")
    summaries = [{**{k: j[k] for k in keys if k in j}, "evaluationTaskTypes": _task_types(j)} for j in jobs]
    return json.dumps(page(self, "jobSummaries", summaries, token="nextToken", size="maxResults"))


def _epoch(timestamp: datetime | str) -> float:
    """A request's timestamp (as moto parsed it, or ISO 8601 as botocore sends it in a query string) as seconds
    since the epoch."""
    if isinstance(timestamp, datetime):
        return timestamp.timestamp()
    return datetime.fromisoformat(unquote(timestamp).replace("Z", "+00:00")).timestamp()


def get_evaluation_job(self: BedrockResponse) -> str:
    identifier = unquote(self._get_param("jobIdentifier"))
    for job in _store(self, _EVALUATION_JOBS).values():
        if identifier in (job["jobArn"], job["jobName"]):
            return json.dumps(job)
    raise ResourceNotFoundException(f"Evaluation job {identifier} not found")


def _custom_model_key(get_custom_model: Callable[[BedrockResponse], str]) -> Callable[[BedrockResponse], str]:
    def wrapped(self: BedrockResponse) -> str:
        described = json.loads(get_custom_model(self))
        backend = self.bedrock_backend
        job = next((j for j in backend.model_customization_jobs.values() if j.job_arn == described.get("jobArn")), None)
        described.pop("modelKmsKeyArn", None)
        key = _key_arn(self, job.custom_model_kms_key_id if job else None)
        return json.dumps({**described, **({"modelKmsKeyArn": key} if key else {})})

    return wrapped


def _customization_job_as_aws_answers(
    get_job: Callable[[BedrockResponse], str],
) -> Callable[[BedrockResponse], str]:
    def wrapped(self: BedrockResponse) -> str:
        described = json.loads(get_job(self))
        backend = self.bedrock_backend
        job = next((j for j in backend.model_customization_jobs.values() if j.job_arn == described.get("jobArn")), None)
        described.pop("outputModelKmsKeyArn", None)
        key = _key_arn(self, job.custom_model_kms_key_id if job else None)
        if not described.get("validationDataConfig"):
            described["validationDataConfig"] = {"validators": []}
        return json.dumps({**described, **({"outputModelKmsKeyArn": key} if key else {})})

    return wrapped


OPERATIONS = {
    "create_guardrail": create_guardrail,
    "list_guardrails": list_guardrails,
    "get_guardrail": get_guardrail,
    "create_guardrail_version": create_guardrail_version,
    "create_provisioned_model_throughput": create_provisioned_model_throughput,
    "list_provisioned_model_throughputs": list_provisioned_model_throughputs,
    "create_model_import_job": create_model_import_job,
    "list_imported_models": list_imported_models,
    "get_imported_model": get_imported_model,
    "create_evaluation_job": create_evaluation_job,
    "list_evaluation_jobs": list_evaluation_jobs,
    "get_evaluation_job": get_evaluation_job,
}
OVERRIDES = {
    "get_custom_model": _custom_model_key,
    "get_model_customization_job": _customization_job_as_aws_answers,
}
