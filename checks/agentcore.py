"""Amazon Bedrock AgentCore: runtimes and tools in a VPC, gateways that authorize and encrypt, encrypted memories and
recorded browser sessions (Security Hub BedrockAgentCore.1-7)."""

from __future__ import annotations

from mlaudit.inventory import KmsKey
from mlaudit.inventory.agentcore import (
    AgentCoreBrowser,
    AgentCoreCodeInterpreter,
    AgentCoreGateway,
    AgentCoreMemory,
    AgentCoreNetworked,
    AgentRuntime,
)
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Severity,
    check,
    config_rule,
    failed,
    ml_lens,
    passed,
    security_hub,
)
from mlaudit.sdk.kms import customer_managed_key

REGIONS = """AgentCore's parts are collected only where botocore's endpoint data lists the service (the installed
botocore lists no region for it: a real scan skips them, saying so in scan.skipped) or through --endpoint-url."""
VPC_URL = "https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/agentcore-vpc.html"
GONE = frozenset({"DELETING", "DELETED", "DELETE_FAILED", "CREATE_FAILED"})
"""States in which nothing runs."""


def _in_vpc(resource: AgentCoreNetworked, what: str) -> Outcome | None:
    if resource.status in GONE:
        return None
    if resource.network_mode == "VPC":
        return passed(f"{what} in VPC mode, in subnet(s) {', '.join(resource.subnet_ids) or 'unknown'}")
    mode = resource.network_mode or "unknown"
    return failed(f"{what} in {mode} network mode: its traffic leaves your VPC, out of reach of its controls")


@check(
    id="AGENTCORE-001",
    name="agentcore-runtime-public-network",
    title="AgentCore runtimes should run in VPC network mode",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=AgentRuntime,
    rationale="""An agent runtime runs the agent's code and calls its tools; in PUBLIC network mode it reaches the
    internet directly, so a prompt injection can make the agent exfiltrate data anywhere, and none of your security
    groups, network ACLs, VPC endpoints or flow logs apply to it. VPC mode puts its network interfaces in your
    subnets.""",
    judges="""Every runtime's latest version but those deleting or that failed to be created. """ + REGIONS,
    remediation=Remediation(
        text="Update the runtime with a VPC network configuration (private subnets and a security group, with VPC "
        "endpoints for what the agent calls).",
        cli="aws bedrock-agentcore-control update-agent-runtime --agent-runtime-id <runtime-id> "
        "--agent-runtime-artifact file://artifact.json --role-arn <role-arn> --network-configuration "
        "'networkMode=VPC,networkModeConfig={subnets=[<subnet-id>],securityGroups=[<sg-id>]}'",
        url=VPC_URL,
        placeholders={"runtime-id": "resource_id"},
    ),
    references=(
        ml_lens("MLSEC-04"),
        security_hub("BedrockAgentCore.1"),
        config_rule("bedrockagentcore-runtime-private-network-required"),
    ),
)
def agentcore_runtime_public_network(runtime: AgentRuntime, ctx: CheckContext) -> Outcome | None:
    return _in_vpc(runtime, "runs")


@check(
    id="AGENTCORE-002",
    name="agentcore-gateway-no-authorizer",
    title="AgentCore gateways should authorize inbound requests",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=AgentCoreGateway,
    rationale="""A gateway exposes APIs, Lambda functions and MCP servers as tools; with authorizer type NONE anyone
    who can reach its URL lists and calls them, with the gateway's own credentials to the targets. An IAM or JWT
    authorizer makes every caller prove who they are first.""",
    judges="""Every gateway but those being deleted or failed; CUSTOM_JWT, AWS_IAM and AUTHENTICATE_ONLY pass.
    """
    + REGIONS,
    remediation=Remediation(
        text="Update the gateway to an AWS_IAM or CUSTOM_JWT authorizer (an identity provider such as Amazon "
        "Cognito, with allowed audiences or clients).",
        cli="aws bedrock-agentcore-control update-gateway --gateway-identifier <gateway-id> --name <name> "
        "--role-arn <role-arn> --protocol-type MCP --authorizer-type AWS_IAM",
        url="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-inbound-auth.html",
        placeholders={"gateway-id": "resource_id"},
    ),
    references=(
        ml_lens("MLSEC-12"),
        security_hub("BedrockAgentCore.2"),
        config_rule("bedrockagentcore-gateway-authorizer-enabled"),
    ),
)
def agentcore_gateway_no_authorizer(gateway: AgentCoreGateway, ctx: CheckContext) -> Outcome | None:
    if gateway.status in ("DELETING", "FAILED"):
        return None
    if gateway.authorizer_type in (None, "NONE"):
        return failed("no inbound authorizer: anyone who reaches the gateway URL can call its tools")
    return passed(f"inbound requests are authorized ({gateway.authorizer_type})")


@check(
    id="AGENTCORE-003",
    name="agentcore-memory-not-cmk",
    title="AgentCore memories should be encrypted with a customer managed key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=AgentCoreMemory,
    uses=(KmsKey,),
    rationale="""A memory keeps an agent's conversations and the facts and preferences it extracted about each user:
    personal data by design. Encrypted with a key AWS owns, access to it cannot be governed by key policy, audited
    in CloudTrail or revoked.""",
    judges="""Every memory but those being deleted or failed. """ + REGIONS,
    remediation=Remediation(
        text="A memory's key is set at creation: create a new memory with a customer managed key "
        "(--encryption-key-arn), move the agents to it, and delete the old one.",
        cli="aws bedrock-agentcore-control create-memory --name <name> --event-expiry-duration 90 "
        "--encryption-key-arn <key-arn>",
        url="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/storage-encryption.html",
    ),
    references=(
        ml_lens("MLSEC-02"),
        security_hub("BedrockAgentCore.3"),
        config_rule("bedrock-agentcore-memory-encryption-enabled"),
    ),
)
def agentcore_memory_not_cmk(memory: AgentCoreMemory, ctx: CheckContext) -> Outcome | None:
    if memory.status in ("DELETING", "FAILED"):
        return None
    return customer_managed_key(memory, memory.kms_key_arn, ctx, "the memory")


@check(
    id="AGENTCORE-004",
    name="agentcore-gateway-not-cmk",
    title="AgentCore gateways should be encrypted with a customer managed key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=AgentCoreGateway,
    uses=(KmsKey,),
    rationale="""A gateway stores its targets' configurations, tool schemas and the credentials providers it calls
    them with. Encrypted with a key AWS owns, who may read that data cannot be governed by key policy, audited in
    CloudTrail or revoked.""",
    judges="""Every gateway but those being deleted or failed. """ + REGIONS,
    remediation=Remediation(
        text="Update the gateway with a customer managed KMS key whose key policy lets the gateway's service role "
        "use it.",
        cli="aws bedrock-agentcore-control update-gateway --gateway-identifier <gateway-id> --name <name> "
        "--role-arn <role-arn> --protocol-type MCP --authorizer-type AWS_IAM --kms-key-arn <key-arn>",
        url="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-encryption.html",
        placeholders={"gateway-id": "resource_id"},
    ),
    references=(
        ml_lens("MLSEC-02"),
        security_hub("BedrockAgentCore.4"),
        config_rule("bedrockagentcore-gateway-encryption-enabled"),
    ),
)
def agentcore_gateway_not_cmk(gateway: AgentCoreGateway, ctx: CheckContext) -> Outcome | None:
    if gateway.status in ("DELETING", "FAILED"):
        return None
    return customer_managed_key(gateway, gateway.kms_key_arn, ctx, "the gateway's data")


@check(
    id="AGENTCORE-005",
    name="agentcore-browser-public-network",
    title="AgentCore custom browsers should run in VPC network mode",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=AgentCoreBrowser,
    rationale="""An agent drives its browser to whatever page a prompt, or a page it read, tells it to visit; in
    PUBLIC mode that browser is on the open internet, outside your egress filtering, proxies and flow logs, so it
    can post data anywhere. VPC mode sends its traffic through your subnets and their controls.""",
    judges="""Custom browsers (AWS's built-in aws.browser.v1 is not the account's) but those deleted or that
    failed to be created; browsers cannot be updated, so the remedy is a new one. """
    + REGIONS,
    remediation=Remediation(
        text="Create a new custom browser in VPC network mode, move the agents to it and delete the public one.",
        cli="aws bedrock-agentcore-control create-browser --name <name> --network-configuration "
        "'networkMode=VPC,vpcConfig={subnets=[<subnet-id>],securityGroups=[<sg-id>]}'",
        url=VPC_URL,
    ),
    references=(
        ml_lens("MLSEC-04"),
        security_hub("BedrockAgentCore.5"),
        config_rule("bedrockagentcore-browsercustom-network-mode-not-public"),
    ),
)
def agentcore_browser_public_network(browser: AgentCoreBrowser, ctx: CheckContext) -> Outcome | None:
    return _in_vpc(browser, "browses")


@check(
    id="AGENTCORE-006",
    name="agentcore-browser-not-recorded",
    title="AgentCore custom browsers should record their sessions",
    severity=Severity.MEDIUM,
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    resource=AgentCoreBrowser,
    rationale="""What an agent did in a browser (the pages it opened, the forms it filled, what it typed) is visible
    only in the session's recording: without one, a manipulated agent's actions on a website cannot be
    reconstructed. Recording writes the DOM changes, actions, console and network events to your S3 bucket.""",
    judges="""Custom browsers but those deleted or that failed to be created; FAIL when recording is disabled or
    names no S3 location. """
    + REGIONS,
    remediation=Remediation(
        text="Create the browser with recording enabled to an S3 bucket (and an execution role that may write to "
        "it); browsers cannot be updated.",
        cli="aws bedrock-agentcore-control create-browser --name <name> --network-configuration networkMode=VPC "
        "--execution-role-arn <role-arn> --recording 'enabled=true,s3Location={bucket=<bucket>,prefix=<prefix>}'",
        url="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/browser-session-recording.html",
    ),
    references=(
        ml_lens("MLSEC-13"),
        security_hub("BedrockAgentCore.6"),
        config_rule("bedrockagentcore-browsercustom-recording-enabled"),
    ),
)
def agentcore_browser_not_recorded(browser: AgentCoreBrowser, ctx: CheckContext) -> Outcome | None:
    if browser.status in GONE:
        return None
    if browser.recording_enabled and browser.recording_s3_uri:
        return passed(f"sessions are recorded to {browser.recording_s3_uri}")
    if browser.recording_enabled:
        return failed("recording is enabled but names no S3 location")
    return failed("sessions are not recorded: what the agent did on websites cannot be reviewed")


@check(
    id="AGENTCORE-007",
    name="agentcore-code-interpreter-not-private",
    title="AgentCore custom code interpreters should run in VPC network mode",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=AgentCoreCodeInterpreter,
    rationale="""A code interpreter runs code a model wrote, with the files and data the agent gave it. In PUBLIC
    mode that code reaches the internet; in SANDBOX mode it still reaches S3 outside your network controls (any
    bucket, including one an attacker owns). VPC mode keeps it within your subnets, security groups and endpoint
    policies.""",
    judges="""Custom code interpreters (AWS's built-in aws.codeinterpreter.v1 is not the account's) but those
    deleted or that failed to be created: PUBLIC and SANDBOX fail. """
    + REGIONS,
    remediation=Remediation(
        text="Create a new custom code interpreter in VPC network mode, move the agents to it and delete the old "
        "one (code interpreters cannot be updated).",
        cli="aws bedrock-agentcore-control create-code-interpreter --name <name> --network-configuration "
        "'networkMode=VPC,vpcConfig={subnets=[<subnet-id>],securityGroups=[<sg-id>]}'",
        url=VPC_URL,
    ),
    references=(
        ml_lens("MLSEC-04"),
        security_hub("BedrockAgentCore.7"),
        config_rule("bedrockagentcore-codeinterpreter-networkmode-check"),
    ),
)
def agentcore_code_interpreter_not_private(interpreter: AgentCoreCodeInterpreter, ctx: CheckContext) -> Outcome | None:
    return _in_vpc(interpreter, "runs code")
