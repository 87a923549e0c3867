"""The estate's Bedrock AgentCore: the fraud team's agent platform in us-east-1, locked down, and the recommendations
team's prototype in eu-west-1, left on every default.

In us-east-1 the disputes agent runtime, its browser and its code interpreter run in the VPC, the browser records
its sessions, the tool gateway requires a JWT from the company's identity provider and, like the agent's memory,
is encrypted with the team's key. In eu-west-1 everything is public (the code interpreter in AWS's sandbox), the
gateway lets anyone call its tools and nothing uses a customer managed key.
"""

from __future__ import annotations

from typing import Any

from mlaudit.demo.estate.base import Estate, Region, role_arn
from mlaudit.demo.estate.bedrock import DISPUTES_ROLE, RECS_BEDROCK_ROLE

AFTER = ("bedrock",)
"""Areas whose resources this one uses (the Bedrock roles)."""

JWT = {
    "customJWTAuthorizer": {
        "discoveryUrl": "https://login.acme.example/.well-known/openid-configuration",
        "allowedAudience": ["agent-tools"],
    }
}


def seed(estate: Estate) -> None:
    """A locked-down AgentCore platform in us-east-1, a default one in eu-west-1."""
    _platform(estate, estate.east, "disputes", DISPUTES_ROLE, locked_down=True)
    _platform(estate, estate.west, "recs", RECS_BEDROCK_ROLE, locked_down=False)


def _platform(estate: Estate, region: Region, team: str, role: str, locked_down: bool) -> None:
    control = estate.client("bedrock-agentcore-control", region.region)
    vpc = {"subnets": region.subnets, "securityGroups": [region.security_group]}
    private: dict[str, Any] = {"networkMode": "VPC", "vpcConfig": vpc}
    public: dict[str, Any] = {"networkMode": "PUBLIC"}
    control.create_agent_runtime(
        agentRuntimeName=f"{team}_agent",
        agentRuntimeArtifact={"containerConfiguration": {"containerUri": region.image(f"{team}-agent:1")}},
        roleArn=role_arn(role),
        networkConfiguration={"networkMode": "VPC", "networkModeConfig": vpc} if locked_down else public,
    )
    recording: dict[str, Any] = {}
    if locked_down:
        region.bucket(f"acme-{team}-browser-sessions", "kms")
        location = {"bucket": f"acme-{team}-browser-sessions", "prefix": "replays/"}
        recording = {"recording": {"enabled": True, "s3Location": location}}
    control.create_browser(
        name=f"{team}_browser",
        executionRoleArn=role_arn(role),
        networkConfiguration=private if locked_down else public,
        **recording,
    )
    control.create_code_interpreter(
        name=f"{team}_code_interpreter",
        executionRoleArn=role_arn(role),
        networkConfiguration=private if locked_down else {"networkMode": "SANDBOX"},
    )
    key = {"kmsKeyArn": region.key_arn} if locked_down else {}
    authorizer: dict[str, Any] = {"authorizerType": "CUSTOM_JWT", "authorizerConfiguration": JWT}
    control.create_gateway(
        name=f"{team}-tools",
        roleArn=role_arn(role),
        protocolType="MCP",
        **(authorizer if locked_down else {"authorizerType": "NONE"}),
        **key,
    )
    control.create_memory(
        name=f"{team}_memory",
        eventExpiryDuration=90,
        memoryExecutionRoleArn=role_arn(role),
        **({"encryptionKeyArn": region.key_arn} if locked_down else {}),
    )
