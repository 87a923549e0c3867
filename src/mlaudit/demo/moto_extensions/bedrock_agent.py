"""Agents for Bedrock: knowledge-base data sources, which moto does not implement, and agents' guardrails.

- create/list/get data source: stored per knowledge base, status AVAILABLE, with the data source configuration
  and server-side encryption configuration as given.
- create_agent/get_agent: moto drops `guardrailConfiguration`; the overrides keep it per agent and return it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from moto.bedrockagent.exceptions import ResourceNotFoundException
from moto.bedrockagent.responses import AgentsforBedrockResponse
from moto.core.utils import unix_time
from moto.moto_api._internal import mock_random

from mlaudit.demo.moto_extensions.paging import page
from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = AgentsforBedrockResponse

_DATA_SOURCES = "_mlaudit_data_sources"
_AGENT_GUARDRAILS = "_mlaudit_agent_guardrails"

Operation = Callable[[AgentsforBedrockResponse], str]


def _store(response: AgentsforBedrockResponse, name: str) -> dict[str, Any]:
    return backend_state(response.bedrockagent_backend, name)


def _data_sources(response: AgentsforBedrockResponse) -> dict[str, dict[str, Any]]:
    """The data sources of the knowledge base in the request's path (which must exist)."""
    knowledge_base_id = response._get_param("knowledgeBaseId")
    response.bedrockagent_backend.get_knowledge_base(knowledge_base_id)
    return _store(response, _DATA_SOURCES).setdefault(knowledge_base_id, {})


def create_data_source(self: AgentsforBedrockResponse) -> str:
    data_source_id = mock_random.get_random_string(length=10, include_digits=True, lower_case=False)
    now = unix_time()
    data_source = {
        "knowledgeBaseId": self._get_param("knowledgeBaseId"),
        "dataSourceId": data_source_id,
        "name": self._get_param("name"),
        "status": "AVAILABLE",
        "description": self._get_param("description"),
        "dataSourceConfiguration": self._get_param("dataSourceConfiguration"),
        "serverSideEncryptionConfiguration": self._get_param("serverSideEncryptionConfiguration"),
        "dataDeletionPolicy": self._get_param("dataDeletionPolicy") or "DELETE",
        "createdAt": now,
        "updatedAt": now,
    }
    data_source = {k: v for k, v in data_source.items() if v is not None}
    _data_sources(self)[data_source_id] = data_source
    return json.dumps({"dataSource": data_source})


def list_data_sources(self: AgentsforBedrockResponse) -> str:
    keys = ("knowledgeBaseId", "dataSourceId", "name", "status", "description", "updatedAt")
    summaries = [{k: d[k] for k in keys if k in d} for d in _data_sources(self).values()]
    return json.dumps(page(self, "dataSourceSummaries", summaries, token="nextToken", size="maxResults"))


def get_data_source(self: AgentsforBedrockResponse) -> str:
    data_source_id = self._get_param("dataSourceId")
    data_source = _data_sources(self).get(data_source_id)
    if data_source is None:
        raise ResourceNotFoundException(f"Data source {data_source_id} not found")
    return json.dumps({"dataSource": data_source})


def _keep_guardrail(create_agent: Operation) -> Operation:
    def wrapped(self: AgentsforBedrockResponse) -> str:
        created = json.loads(create_agent(self))
        guardrail = self._get_param("guardrailConfiguration")
        if guardrail:
            _store(self, _AGENT_GUARDRAILS)[created["agent"]["agentId"]] = guardrail
            created["agent"]["guardrailConfiguration"] = guardrail
        return json.dumps(created)

    return wrapped


def _return_guardrail(get_agent: Operation) -> Operation:
    def wrapped(self: AgentsforBedrockResponse) -> str:
        described = json.loads(get_agent(self))
        guardrail = _store(self, _AGENT_GUARDRAILS).get(described["agent"]["agentId"])
        if guardrail:
            described["agent"]["guardrailConfiguration"] = guardrail
        return json.dumps(described)

    return wrapped


OPERATIONS = {
    "create_data_source": create_data_source,
    "list_data_sources": list_data_sources,
    "get_data_source": get_data_source,
}
OVERRIDES = {"create_agent": _keep_guardrail, "get_agent": _return_guardrail}
