"""Bedrock AgentCore Control: custom browsers and code interpreters, which moto does not implement (moto has
runtimes, gateways and memories), and runtimes' ARNs.

- create/list/get browser and code interpreter: status READY at once, with the network configuration, execution
  role and (browsers) recording configuration as given. ListBrowsers and ListCodeInterpreters with `type` SYSTEM
  answer nothing: the AWS built-in tools are AWS's, not the account's.
- list_agent_runtimes/get_agent_runtime: moto answers ARNs of its own making (`agent/<uuid>:<version>`); the
  overrides answer AWS's, `runtime/<agent runtime id>`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.bedrockagentcorecontrol.exceptions import ResourceNotFoundException
from moto.bedrockagentcorecontrol.responses import BedrockAgentCoreControlResponse
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random

from mlaudit.demo.moto_extensions.paging import page
from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = BedrockAgentCoreControlResponse

Operation = Callable[[BedrockAgentCoreControlResponse], ActionResult]
_BROWSERS = "agentcore_browsers"
_CODE_INTERPRETERS = "agentcore_code_interpreters"
SUMMARY_FIELDS = ("name", "description", "status", "createdAt", "lastUpdatedAt")


def _store(response: BedrockAgentCoreControlResponse, name: str) -> dict[str, dict[str, Any]]:
    return backend_state(response.backend, name)


def _create(response: BedrockAgentCoreControlResponse, store: str, kind: str, resource: str) -> dict[str, Any]:
    """A custom tool (`kind` browser or codeInterpreter), READY at once, stored by id."""
    params = response._get_params()
    tool_id = f"{params['name']}-{mock_random.get_random_string(length=10, include_digits=True, lower_case=True)}"
    now = utcnow()
    tool = {
        f"{kind}Id": tool_id,
        f"{kind}Arn": f"arn:aws:bedrock-agentcore:{response.region}:{response.current_account}:{resource}/{tool_id}",
        "name": params["name"],
        "description": params.get("description"),
        "executionRoleArn": params.get("executionRoleArn"),
        "networkConfiguration": params["networkConfiguration"],
        "recording": params.get("recording"),
        "status": "READY",
        "createdAt": now,
        "lastUpdatedAt": now,
    }
    tool = {k: v for k, v in tool.items() if v is not None}
    _store(response, store)[tool_id] = tool
    return tool


def _list(response: BedrockAgentCoreControlResponse, store: str, kind: str, key: str) -> ActionResult:
    tools = [] if response._get_param("type") == "SYSTEM" else list(_store(response, store).values())
    fields = (f"{kind}Id", f"{kind}Arn", *SUMMARY_FIELDS)
    summaries = [{k: t[k] for k in fields if k in t} for t in tools]
    return ActionResult(page(response, key, summaries, token="nextToken", size="maxResults"))


def _get(response: BedrockAgentCoreControlResponse, store: str, kind: str) -> ActionResult:
    tool_id = response._get_param(f"{kind}Id")
    tool = _store(response, store).get(tool_id)
    if tool is None:
        raise ResourceNotFoundException(f"{kind} {tool_id} not found")
    return ActionResult(tool)


def create_browser(self: BedrockAgentCoreControlResponse) -> ActionResult:
    browser = _create(self, _BROWSERS, "browser", "browser-custom")
    keys = ("browserId", "browserArn", "createdAt", "status")
    return ActionResult({k: browser[k] for k in keys})


def list_browsers(self: BedrockAgentCoreControlResponse) -> ActionResult:
    return _list(self, _BROWSERS, "browser", "browserSummaries")


def get_browser(self: BedrockAgentCoreControlResponse) -> ActionResult:
    return _get(self, _BROWSERS, "browser")


def create_code_interpreter(self: BedrockAgentCoreControlResponse) -> ActionResult:
    interpreter = _create(self, _CODE_INTERPRETERS, "codeInterpreter", "code-interpreter-custom")
    keys = ("codeInterpreterId", "codeInterpreterArn", "createdAt", "status")
    return ActionResult({k: interpreter[k] for k in keys})


def list_code_interpreters(self: BedrockAgentCoreControlResponse) -> ActionResult:
    return _list(self, _CODE_INTERPRETERS, "codeInterpreter", "codeInterpreterSummaries")


def get_code_interpreter(self: BedrockAgentCoreControlResponse) -> ActionResult:
    return _get(self, _CODE_INTERPRETERS, "codeInterpreter")


def _aws_arn(runtime: dict[str, Any]) -> None:
    prefix = runtime["agentRuntimeArn"].split(":agent/", 1)[0]
    runtime["agentRuntimeArn"] = f"{prefix}:runtime/{runtime['agentRuntimeId']}"


def _runtime_arns(operation: Operation) -> Operation:
    def wrapped(self: BedrockAgentCoreControlResponse) -> ActionResult:
        result = operation(self)
        answer = result.result if isinstance(result.result, dict) else {}
        for runtime in answer.get("agentRuntimes") or ([answer] if "agentRuntimeArn" in answer else []):
            _aws_arn(runtime)
        return result

    return wrapped


OPERATIONS = {
    "create_browser": create_browser,
    "list_browsers": list_browsers,
    "get_browser": get_browser,
    "create_code_interpreter": create_code_interpreter,
    "list_code_interpreters": list_code_interpreters,
    "get_code_interpreter": get_code_interpreter,
}
OVERRIDES = {"list_agent_runtimes": _runtime_arns, "get_agent_runtime": _runtime_arns}
