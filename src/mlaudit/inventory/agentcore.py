"""Amazon Bedrock AgentCore records (the bedrock-agentcore-control API): agent runtimes, gateways, memories, and
the custom browsers and code interpreters agents use as tools.

AWS's built-in tools (`aws.browser.v1`, `aws.codeinterpreter.v1`) belong to AWS, not the account: only custom ones
are listed (`type` CUSTOM).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, kms_refs, role_refs, s3_refs
from mlaudit.inventory.network import security_group_refs, subnet_refs

_NETWORKED = frozenset({RefKind.IAM_ROLE, RefKind.SUBNET, RefKind.SECURITY_GROUP})


class AgentCoreNetworked(Record):
    """What runtimes, browsers and code interpreters share: an execution role and a network mode."""

    service: ClassVar[str] = "bedrock-agentcore"
    reference_kinds: ClassVar[frozenset[RefKind]] = _NETWORKED

    status: str
    role_arn: str | None = None
    network_mode: str | None = None
    """PUBLIC or VPC (code interpreters also SANDBOX: AWS's isolated network with access to S3 only)."""
    subnet_ids: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from subnet_refs(self, *self.subnet_ids)
        yield from security_group_refs(self, *self.security_group_ids)


class AgentRuntime(AgentCoreNetworked):
    """An agent runtime: the container or code an agent runs as, in AgentCore's microVMs (its latest version)."""

    part: ClassVar[str] = "agentcore.runtime"
    resource_type: ClassVar[str] = "AWS::BedrockAgentCore::Runtime"
    label: ClassVar[str] = "AgentCore runtimes"
    arn_resource: ClassVar[str] = "runtime/{id}"

    runtime_id: str
    version: str | None = None


class AgentCoreBrowser(AgentCoreNetworked):
    """A custom browser tool: a cloud browser agents drive to use websites."""

    part: ClassVar[str] = "agentcore.browser"
    resource_type: ClassVar[str] = "AWS::BedrockAgentCore::BrowserCustom"
    label: ClassVar[str] = "AgentCore custom browsers"
    arn_resource: ClassVar[str] = "browser-custom/{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = _NETWORKED | {RefKind.S3}

    browser_id: str
    recording_enabled: bool = False
    recording_s3_uri: str | None = None
    """Where session recordings go (`recording.s3Location`), None when not set."""

    def references(self) -> Iterator[Reference]:
        yield from super().references()
        yield from s3_refs(self.recording_s3_uri)


class AgentCoreCodeInterpreter(AgentCoreNetworked):
    """A custom code interpreter tool: a sandbox where agents write and run code."""

    part: ClassVar[str] = "agentcore.code_interpreter"
    resource_type: ClassVar[str] = "AWS::BedrockAgentCore::CodeInterpreterCustom"
    label: ClassVar[str] = "AgentCore custom code interpreters"
    arn_resource: ClassVar[str] = "code-interpreter-custom/{id}"

    code_interpreter_id: str


class AgentCoreGateway(Record):
    """A gateway: the MCP endpoint that exposes APIs, Lambda functions and MCP servers to agents as tools."""

    part: ClassVar[str] = "agentcore.gateway"
    service: ClassVar[str] = "bedrock-agentcore"
    resource_type: ClassVar[str] = "AWS::BedrockAgentCore::Gateway"
    label: ClassVar[str] = "AgentCore gateways"
    arn_resource: ClassVar[str] = "gateway/{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.IAM_ROLE, RefKind.KMS_KEY})

    gateway_id: str
    status: str
    """CREATING, UPDATING, UPDATE_UNSUCCESSFUL, DELETING, READY or FAILED."""
    authorizer_type: str | None = None
    """CUSTOM_JWT, AWS_IAM, AUTHENTICATE_ONLY or NONE (anyone who reaches the endpoint may call its tools)."""
    role_arn: str | None = None
    kms_key_arn: str | None = None
    """None means a key AWS owns."""

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from kms_refs(self, self.kms_key_arn)


class AgentCoreMemory(Record):
    """A memory: the conversations (short-term events) and extracted facts (long-term records) agents remember."""

    part: ClassVar[str] = "agentcore.memory"
    service: ClassVar[str] = "bedrock-agentcore"
    resource_type: ClassVar[str] = "AWS::BedrockAgentCore::Memory"
    label: ClassVar[str] = "AgentCore memories"
    arn_resource: ClassVar[str] = "memory/{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.IAM_ROLE, RefKind.KMS_KEY})

    memory_id: str
    status: str
    """CREATING, ACTIVE, FAILED, DELETING or UPDATING."""
    role_arn: str | None = None
    kms_key_arn: str | None = None
    """encryptionKeyArn; None means a key AWS owns."""

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from kms_refs(self, self.kms_key_arn)
