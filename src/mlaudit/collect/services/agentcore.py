"""Amazon Bedrock AgentCore collectors (the bedrock-agentcore-control API): runtimes, gateways, memories, and custom
browsers and code interpreters (AWS's built-in ones, `type` SYSTEM, are not the account's).

Their records' service is `bedrock-agentcore` (ARNs and IAM actions); botocore's endpoint data lists no region for
it, so where mlaudit calls AWS's own endpoints the scan skips these parts with that reason (`scan.skipped`).
"""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.answers import dig
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListThenDescribe
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import Identity
from mlaudit.inventory.agentcore import (
    AgentCoreBrowser,
    AgentCoreCodeInterpreter,
    AgentCoreGateway,
    AgentCoreMemory,
    AgentRuntime,
)

CONTROL = "bedrock-agentcore-control"


def _custom(ctx: CollectContext) -> dict[str, Any]:
    """Only the account's own tools."""
    return {"type": "CUSTOM"}


def _network(configuration: dict[str, Any], vpc_key: str) -> dict[str, Any]:
    vpc = configuration.get(vpc_key) or {}
    return {
        "network_mode": configuration.get("networkMode"),
        "subnet_ids": tuple(vpc.get("subnets") or ()),
        "security_group_ids": tuple(vpc.get("securityGroups") or ()),
    }


def _runtime(identity: Identity, d: dict[str, Any]) -> AgentRuntime:
    return AgentRuntime(
        **identity,
        runtime_id=d.get("agentRuntimeId") or identity["arn"].rsplit("/", 1)[-1],
        version=d.get("agentRuntimeVersion"),
        status=d.get("status") or "UNKNOWN",
        role_arn=d.get("roleArn"),
        **_network(d.get("networkConfiguration") or {}, "networkModeConfig"),
    )


def _s3_uri(location: dict[str, Any]) -> str | None:
    bucket = location.get("bucket")
    return f"s3://{bucket}/{location.get('prefix') or ''}" if bucket else None


def _browser(identity: Identity, d: dict[str, Any]) -> AgentCoreBrowser:
    return AgentCoreBrowser(
        **identity,
        browser_id=d.get("browserId") or identity["arn"].rsplit("/", 1)[-1],
        status=d.get("status") or "UNKNOWN",
        role_arn=d.get("executionRoleArn"),
        recording_enabled=bool(dig(d, "recording", "enabled")),
        recording_s3_uri=_s3_uri(dig(d, "recording", "s3Location") or {}),
        **_network(d.get("networkConfiguration") or {}, "vpcConfig"),
    )


def _code_interpreter(identity: Identity, d: dict[str, Any]) -> AgentCoreCodeInterpreter:
    return AgentCoreCodeInterpreter(
        **identity,
        code_interpreter_id=d.get("codeInterpreterId") or identity["arn"].rsplit("/", 1)[-1],
        status=d.get("status") or "UNKNOWN",
        role_arn=d.get("executionRoleArn"),
        **_network(d.get("networkConfiguration") or {}, "vpcConfig"),
    )


def _gateway(identity: Identity, d: dict[str, Any]) -> AgentCoreGateway:
    return AgentCoreGateway(
        **identity,
        gateway_id=d.get("gatewayId") or identity["arn"].rsplit("/", 1)[-1],
        status=d.get("status") or "UNKNOWN",
        authorizer_type=d.get("authorizerType"),
        role_arn=d.get("roleArn"),
        kms_key_arn=d.get("kmsKeyArn"),
    )


def _memory(identity: Identity, response: dict[str, Any]) -> AgentCoreMemory:
    d = response.get("memory") or {}
    return AgentCoreMemory(
        **identity,
        memory_id=d.get("id") or identity["arn"].rsplit("/", 1)[-1],
        status=d.get("status") or "UNKNOWN",
        role_arn=d.get("memoryExecutionRoleArn"),
        kms_key_arn=d.get("encryptionKeyArn"),
    )


COLLECTORS = (
    PartCollector(
        AgentRuntime,
        ListThenDescribe(
            Operation(f"{CONTROL}:ListAgentRuntimes"),
            "agentRuntimes",
            Operation(f"{CONTROL}:GetAgentRuntime"),
            Listed(id="agentRuntimeId", name="agentRuntimeName", arn="agentRuntimeArn"),
            _runtime,
        ),
    ),
    PartCollector(
        AgentCoreGateway,
        ListThenDescribe(
            Operation(f"{CONTROL}:ListGateways"),
            "items",
            Operation(f"{CONTROL}:GetGateway"),
            Listed(id="gatewayId", name="name"),
            _gateway,
            keys={"gatewayIdentifier": "gatewayId"},
        ),
    ),
    PartCollector(
        AgentCoreMemory,
        ListThenDescribe(
            Operation(f"{CONTROL}:ListMemories"),
            "memories",
            Operation(f"{CONTROL}:GetMemory"),
            Listed(id="id", arn="arn"),
            _memory,
            keys={"memoryId": "id"},
        ),
    ),
    PartCollector(
        AgentCoreBrowser,
        ListThenDescribe(
            Operation(f"{CONTROL}:ListBrowsers"),
            "browserSummaries",
            Operation(f"{CONTROL}:GetBrowser"),
            Listed(id="browserId", name="name", arn="browserArn"),
            _browser,
            list_params=_custom,
        ),
    ),
    PartCollector(
        AgentCoreCodeInterpreter,
        ListThenDescribe(
            Operation(f"{CONTROL}:ListCodeInterpreters"),
            "codeInterpreterSummaries",
            Operation(f"{CONTROL}:GetCodeInterpreter"),
            Listed(id="codeInterpreterId", name="name", arn="codeInterpreterArn"),
            _code_interpreter,
            list_params=_custom,
        ),
    ),
)
