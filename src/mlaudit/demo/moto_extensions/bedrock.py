"""Bedrock: guardrails and provisioned throughput, which moto does not implement, and custom models' keys.

- create/list/get guardrail: the DRAFT version only (status READY at once), with the content-filter and
  sensitive-information policies mlaudit reads, returned under their Get names (`filtersConfig` -> `filters`...).
- create/list provisioned model throughput: summaries only.
- get_custom_model: moto invents a `modelKmsKeyArn` for every model; AWS returns one only when the customization
  job named a `customModelKmsKeyId`, so the override returns the job's key or none.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from moto.bedrock.exceptions import ResourceNotFoundException
from moto.bedrock.responses import BedrockResponse
from moto.core.utils import unix_time
from moto.moto_api._internal import mock_random

from mlaudit.demo.moto_extensions.paging import page
from mlaudit.demo.moto_extensions.state import backend_state
from mlaudit.inventory import canonical_kms_key

RESPONSE_CLASS = BedrockResponse

_GUARDRAILS = "_mlaudit_guardrails"
_THROUGHPUTS = "_mlaudit_provisioned_throughputs"


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
    return json.dumps(_guardrail(self, unquote(self._get_param("guardrailIdentifier"))))


def create_provisioned_model_throughput(self: BedrockResponse) -> str:
    name = self._get_param("provisionedModelName")
    arn = f"arn:aws:bedrock:{self.region}:{self.current_account}:provisioned-model/{mock_random.get_random_hex(12)}"
    model = self._get_param("modelId")
    units = self._get_param("modelUnits")
    now = unix_time()
    _store(self, _THROUGHPUTS)[arn] = {
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
    return json.dumps({"provisionedModelArn": arn})


def list_provisioned_model_throughputs(self: BedrockResponse) -> str:
    throughputs = list(_store(self, _THROUGHPUTS).values())
    return json.dumps(page(self, "provisionedModelSummaries", throughputs, token="nextToken", size="maxResults"))


def _custom_model_key(get_custom_model: Callable[[BedrockResponse], str]) -> Callable[[BedrockResponse], str]:
    def wrapped(self: BedrockResponse) -> str:
        described = json.loads(get_custom_model(self))
        backend = self.bedrock_backend
        job = next((j for j in backend.model_customization_jobs.values() if j.job_arn == described.get("jobArn")), None)
        described.pop("modelKmsKeyArn", None)
        key = _key_arn(self, job.custom_model_kms_key_id if job else None)
        return json.dumps({**described, **({"modelKmsKeyArn": key} if key else {})})

    return wrapped


OPERATIONS = {
    "create_guardrail": create_guardrail,
    "list_guardrails": list_guardrails,
    "get_guardrail": get_guardrail,
    "create_provisioned_model_throughput": create_provisioned_model_throughput,
    "list_provisioned_model_throughputs": list_provisioned_model_throughputs,
}
OVERRIDES = {"get_custom_model": _custom_model_key}
