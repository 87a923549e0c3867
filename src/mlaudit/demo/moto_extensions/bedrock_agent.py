"""Agents for Bedrock: knowledge-base data sources, agent aliases and versions, agent updates, prompts and flows,
which moto does not implement, and agents' guardrails.

- create/list/get data source: stored per knowledge base, status AVAILABLE, with the data source configuration
  and server-side encryption configuration as given.
- create_agent/get_agent: moto drops `guardrailConfiguration`; the overrides keep it per agent and return it.
- update_agent: the draft's role, model, key and guardrail as given (status NOT_PREPARED, as AWS leaves it).
- create_agent_alias: as AWS, an alias created without `routingConfiguration` cuts a new numbered version from the
  draft as it is (role, key, guardrail...) and routes to it; with one, it routes where told. list_agent_aliases
  answers summaries (status PREPARED), get_agent_version a version cut so (ResourceNotFoundException otherwise).
- create/list/get prompt and flow: the working draft (`DRAFT`), with the key and role given; flows are Prepared.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from moto.bedrockagent.exceptions import ResourceNotFoundException
from moto.bedrockagent.responses import AgentsforBedrockResponse
from moto.core.utils import unix_time
from moto.moto_api._internal import mock_random

from mlaudit.demo.moto_extensions.paging import page
from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = AgentsforBedrockResponse

_DATA_SOURCES = "_mlaudit_data_sources"
_AGENT_GUARDRAILS = "_mlaudit_agent_guardrails"
_ALIASES = "_mlaudit_agent_aliases"
_VERSIONS = "_mlaudit_agent_versions"
_PROMPTS = "_mlaudit_prompts"
_FLOWS = "_mlaudit_flows"
VERSION_FIELDS = (
    "agentId",
    "agentName",
    "agentArn",
    "instruction",
    "agentStatus",
    "foundationModel",
    "description",
    "idleSessionTTLInSeconds",
    "agentResourceRoleArn",
    "customerEncryptionKeyArn",
    "createdAt",
    "updatedAt",
    "guardrailConfiguration",
)
"""The members of GetAgentVersion's `agentVersion` that a draft's description gives."""

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


def _random_id() -> str:
    return mock_random.get_random_string(length=10, include_digits=True, lower_case=False)


def _draft(self: AgentsforBedrockResponse, agent_id: str) -> dict[str, Any]:
    """The agent's draft as GetAgent describes it (guardrail included)."""
    agent = self.bedrockagent_backend.get_agent(agent_id)
    described = dict(agent.to_dict())
    guardrail = _store(self, _AGENT_GUARDRAILS).get(agent_id)
    return {**described, **({"guardrailConfiguration": guardrail} if guardrail else {})}


def update_agent(self: AgentsforBedrockResponse) -> str:
    agent_id = self._get_param("agentId")
    agent = self.bedrockagent_backend.get_agent(agent_id)
    agent.agent_name = self._get_param("agentName")
    agent.foundation_model = self._get_param("foundationModel")
    agent.agent_resource_role_arn = self._get_param("agentResourceRoleArn")
    agent.customer_encryption_key_arn = self._get_param("customerEncryptionKeyArn")
    agent.agent_status = "NOT_PREPARED"
    agent.updated_at = unix_time()
    guardrails = _store(self, _AGENT_GUARDRAILS)
    guardrails.pop(agent_id, None)
    if self._get_param("guardrailConfiguration"):
        guardrails[agent_id] = self._get_param("guardrailConfiguration")
    return json.dumps({"agent": _draft(self, agent_id)})


def _cut_version(self: AgentsforBedrockResponse, agent_id: str) -> str:
    """A new numbered version of the agent: its draft as it is now."""
    versions = _store(self, _VERSIONS).setdefault(agent_id, {})
    number = str(len(versions) + 1)
    draft = _draft(self, agent_id)
    versions[number] = {
        **{k: draft[k] for k in VERSION_FIELDS if draft.get(k) is not None},
        "version": number,
        "agentStatus": "PREPARED",
        "idleSessionTTLInSeconds": draft.get("idleSessionTTLInSeconds") or 600,
    }
    return number


def create_agent_alias(self: AgentsforBedrockResponse) -> str:
    agent_id = self._get_param("agentId")
    routing = self._get_param("routingConfiguration") or [{"agentVersion": _cut_version(self, agent_id)}]
    alias_id = _random_id()
    now = unix_time()
    alias = {
        "agentId": agent_id,
        "agentAliasId": alias_id,
        "agentAliasName": self._get_param("agentAliasName"),
        "agentAliasArn": f"arn:aws:bedrock:{self.region}:{self.current_account}:agent-alias/{agent_id}/{alias_id}",
        "routingConfiguration": routing,
        "createdAt": now,
        "updatedAt": now,
        "agentAliasStatus": "PREPARED",
        "aliasInvocationState": "ACCEPT_INVOCATIONS",
    }
    _store(self, _ALIASES).setdefault(agent_id, {})[alias_id] = alias
    return json.dumps({"agentAlias": alias})


def list_agent_aliases(self: AgentsforBedrockResponse) -> str:
    agent_id = self._get_param("agentId")
    self.bedrockagent_backend.get_agent(agent_id)
    keys = ("agentAliasId", "agentAliasName", "routingConfiguration", "agentAliasStatus", "createdAt", "updatedAt")
    aliases = _store(self, _ALIASES).get(agent_id, {}).values()
    summaries = [{**{k: a[k] for k in keys}, "aliasInvocationState": a["aliasInvocationState"]} for a in aliases]
    return json.dumps(page(self, "agentAliasSummaries", summaries, token="nextToken", size="maxResults"))


def get_agent_version(self: AgentsforBedrockResponse) -> str:
    agent_id, number = self._get_param("agentId"), self._get_param("agentVersion")
    version = _store(self, _VERSIONS).get(agent_id, {}).get(number)
    if version is None:
        raise ResourceNotFoundException(f"Agent {agent_id} has no version {number}")
    return json.dumps({"agentVersion": version})


def _draft_resource(self: AgentsforBedrockResponse, store: str, kind: str, **fields: Any) -> dict[str, Any]:
    """A prompt's or flow's working draft, stored by id."""
    resource_id = _random_id()
    now = unix_time()
    resource = {
        "name": self._get_param("name"),
        "description": self._get_param("description"),
        "customerEncryptionKeyArn": self._get_param("customerEncryptionKeyArn"),
        "id": resource_id,
        "arn": f"arn:aws:bedrock:{self.region}:{self.current_account}:{kind}/{resource_id}",
        "version": "DRAFT",
        "createdAt": now,
        "updatedAt": now,
        **fields,
    }
    resource = {k: v for k, v in resource.items() if v is not None}
    _store(self, store)[resource_id] = resource
    return resource


def _stored(self: AgentsforBedrockResponse, store: str, param: str) -> dict[str, Any]:
    identifier = unquote(self._get_param(param))
    for resource in _store(self, store).values():
        if identifier in (resource["id"], resource["arn"]):
            return resource
    raise ResourceNotFoundException(f"{identifier} not found")


def _summaries(self: AgentsforBedrockResponse, store: str, key: str, fields: tuple[str, ...]) -> str:
    summaries = [{k: r[k] for k in fields if k in r} for r in _store(self, store).values()]
    return json.dumps(page(self, key, summaries, token="nextToken", size="maxResults"))


SUMMARY_FIELDS = ("name", "description", "id", "arn", "version", "createdAt", "updatedAt")


def create_prompt(self: AgentsforBedrockResponse) -> str:
    return json.dumps(_draft_resource(self, _PROMPTS, "prompt", variants=self._get_param("variants")))


def list_prompts(self: AgentsforBedrockResponse) -> str:
    return _summaries(self, _PROMPTS, "promptSummaries", SUMMARY_FIELDS)


def get_prompt(self: AgentsforBedrockResponse) -> str:
    return json.dumps(_stored(self, _PROMPTS, "promptIdentifier"))


def create_flow(self: AgentsforBedrockResponse) -> str:
    role = self._get_param("executionRoleArn")
    return json.dumps(_draft_resource(self, _FLOWS, "flow", executionRoleArn=role, status="Prepared"))


def list_flows(self: AgentsforBedrockResponse) -> str:
    return _summaries(self, _FLOWS, "flowSummaries", (*SUMMARY_FIELDS, "status"))


def get_flow(self: AgentsforBedrockResponse) -> str:
    return json.dumps(_stored(self, _FLOWS, "flowIdentifier"))


OPERATIONS = {
    "create_data_source": create_data_source,
    "list_data_sources": list_data_sources,
    "get_data_source": get_data_source,
    "update_agent": update_agent,
    "create_agent_alias": create_agent_alias,
    "list_agent_aliases": list_agent_aliases,
    "get_agent_version": get_agent_version,
    "create_prompt": create_prompt,
    "list_prompts": list_prompts,
    "get_prompt": get_prompt,
    "create_flow": create_flow,
    "list_flows": list_flows,
    "get_flow": get_flow,
}
OVERRIDES = {"create_agent": _keep_guardrail, "get_agent": _return_guardrail}
