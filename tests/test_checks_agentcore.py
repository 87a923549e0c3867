"""AGENTCORE-* checks against Bedrock AgentCore resources created in moto (runtimes, gateways and memories by moto,
custom browsers and code interpreters through mlaudit's moto extension).

The installed botocore's endpoint data lists no region for bedrock-agentcore, so a scan of AWS's own endpoints
skips AgentCore, saying why (the first test). The others give botocore the region list a later botocore may carry:
endpoint data (AWS_DATA_PATH, botocore's documented override) that adds AgentCore in us-east-1, nothing else."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore
import pytest

from mlaudit.core.taxonomy import Status
from mlaudit.inventory import SkippedScope, SkipReason
from support import ACCOUNT_ID, ROLE_ARN, refuse, scan, verdicts

SUBNET, GROUP = "subnet-0a1b2c3d", "sg-0a1b2c3d"
VPC = {"networkMode": "VPC", "vpcConfig": {"subnets": [SUBNET], "securityGroups": [GROUP]}}
ARTIFACT = {"containerConfiguration": {"containerUri": f"{ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/agent:1"}}


@pytest.fixture
def agentcore_regions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """botocore endpoint data that lists bedrock-agentcore (and its control API) in us-east-1. Must come before
    the `aws` fixture, whose session reads it."""
    data = json.loads((Path(botocore.__file__).parent / "data" / "endpoints.json").read_text())
    aws = next(p for p in data["partitions"] if p["partition"] == "aws")
    for service in ("bedrock-agentcore", "bedrock-agentcore-control"):
        aws["services"][service] = {"endpoints": {"us-east-1": {}}}
    (tmp_path / "endpoints.json").write_text(json.dumps(data))
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
    yield


def _control(session: boto3.Session) -> Any:
    return session.client("bedrock-agentcore-control")


def test_agentcore_is_skipped_where_botocore_lists_no_region_for_it(aws: boto3.Session) -> None:
    assert not aws.get_available_regions("bedrock-agentcore"), "the installed botocore lists no AgentCore region"
    _control(aws).create_memory(name="memory", eventExpiryDuration=30)
    called: list[str] = []
    aws.events.register("before-call.bedrock-agentcore-control", lambda model, **_: called.append(model.name))

    report = scan(aws, ["AGENTCORE-003"])

    assert report.findings == [] and called == []
    assert report.scan.skipped == [
        SkippedScope(
            account_id=ACCOUNT_ID,
            region="us-east-1",
            service="bedrock-agentcore-control",  # the endpoint botocore lists no region for
            reason=SkipReason.REGIONS_UNKNOWN,
        )
    ]
    assert report.scan.status.value == "complete"
    assert any("botocore's endpoint data lists no region" in warning for warning in report.scan.warnings)


def _runtime(session: boto3.Session, name: str, network: dict[str, Any]) -> None:
    runtime = {"networkMode": network["networkMode"]}
    if "vpcConfig" in network:
        runtime["networkModeConfig"] = network["vpcConfig"]
    _control(session).create_agent_runtime(
        agentRuntimeName=name, agentRuntimeArtifact=ARTIFACT, roleArn=ROLE_ARN, networkConfiguration=runtime
    )


def test_runtimes_browsers_and_code_interpreters_in_vpc_mode(agentcore_regions: None, aws: boto3.Session) -> None:
    control = _control(aws)
    _runtime(aws, "pass_vpc_runtime", VPC)
    _runtime(aws, "fail_public_runtime", {"networkMode": "PUBLIC"})
    recording = {"enabled": True, "s3Location": {"bucket": "browser-recordings", "prefix": "sessions/"}}
    control.create_browser(name="pass_vpc_recorded", networkConfiguration=VPC, recording=recording)
    control.create_browser(name="fail_public_unrecorded", networkConfiguration={"networkMode": "PUBLIC"})
    control.create_browser(name="fail_recording_nowhere", networkConfiguration=VPC, recording={"enabled": True})
    control.create_code_interpreter(name="pass_vpc_interpreter", networkConfiguration=VPC)
    control.create_code_interpreter(name="fail_sandbox", networkConfiguration={"networkMode": "SANDBOX"})
    control.create_code_interpreter(name="fail_public", networkConfiguration={"networkMode": "PUBLIC"})

    report = scan(aws, ["AGENTCORE-001", "AGENTCORE-005", "AGENTCORE-006", "AGENTCORE-007"])

    assert verdicts(report, "AGENTCORE-001") == {"pass_vpc_runtime": Status.PASS, "fail_public_runtime": Status.FAIL}
    assert verdicts(report, "AGENTCORE-005") == {
        "pass_vpc_recorded": Status.PASS,
        "fail_public_unrecorded": Status.FAIL,
        "fail_recording_nowhere": Status.PASS,
    }
    assert verdicts(report, "AGENTCORE-006") == {
        "pass_vpc_recorded": Status.PASS,
        "fail_public_unrecorded": Status.FAIL,
        "fail_recording_nowhere": Status.FAIL,
    }
    assert verdicts(report, "AGENTCORE-007") == {
        "pass_vpc_interpreter": Status.PASS,
        "fail_sandbox": Status.FAIL,
        "fail_public": Status.FAIL,
    }
    details = {(f.check_id, f.resource_name): f.status_detail for f in report.findings}
    assert details["AGENTCORE-006", "pass_vpc_recorded"] == "sessions are recorded to s3://browser-recordings/sessions/"
    assert "SANDBOX network mode" in details["AGENTCORE-007", "fail_sandbox"]
    runtime = next(f for f in report.findings if f.resource_name == "pass_vpc_runtime")
    assert runtime.resource_arn.startswith(f"arn:aws:bedrock-agentcore:us-east-1:{ACCOUNT_ID}:runtime/")
    assert report.scan.skipped == []


def test_gateway_authorizers_and_the_keys_of_gateways_and_memories(agentcore_regions: None, aws: boto3.Session) -> None:
    control = _control(aws)
    key = aws.client("kms").create_key(Description="agentcore")["KeyMetadata"]["Arn"]
    gateway = {"roleArn": ROLE_ARN, "protocolType": "MCP"}
    jwt = {"customJWTAuthorizer": {"discoveryUrl": "https://idp.example.com/.well-known/openid-configuration"}}
    control.create_gateway(
        name="pass-iam-cmk", authorizerType="CUSTOM_JWT", authorizerConfiguration=jwt, kmsKeyArn=key, **gateway
    )
    control.create_gateway(name="fail-open-aws-owned", authorizerType="NONE", **gateway)
    encrypted = control.create_memory(name="encrypted", eventExpiryDuration=30, encryptionKeyArn=key)["memory"]["id"]
    plain = control.create_memory(name="plain", eventExpiryDuration=30)["memory"]["id"]

    report = scan(aws, ["AGENTCORE-002", "AGENTCORE-003", "AGENTCORE-004"])

    assert verdicts(report, "AGENTCORE-002") == {"pass-iam-cmk": Status.PASS, "fail-open-aws-owned": Status.FAIL}
    assert verdicts(report, "AGENTCORE-004") == {"pass-iam-cmk": Status.PASS, "fail-open-aws-owned": Status.FAIL}
    assert verdicts(report, "AGENTCORE-003") == {encrypted: Status.PASS, plain: Status.FAIL}
    details = {(f.check_id, f.resource_name): f.status_detail for f in report.findings}
    assert details["AGENTCORE-002", "pass-iam-cmk"] == "inbound requests are authorized (CUSTOM_JWT)"


def test_refused_agentcore_reads_are_errors(agentcore_regions: None, aws: boto3.Session) -> None:
    control = _control(aws)
    _runtime(aws, "runtime", {"networkMode": "PUBLIC"})
    control.create_gateway(name="gateway", roleArn=ROLE_ARN, protocolType="MCP", authorizerType="NONE")
    control.create_browser(name="browser", networkConfiguration={"networkMode": "PUBLIC"})
    refuse(aws, "bedrock-agentcore-control", "ListAgentRuntimes")
    refuse(aws, "bedrock-agentcore-control", "GetGateway")
    refuse(aws, "bedrock-agentcore-control", "ListCodeInterpreters")
    refuse(aws, "bedrock-agentcore-control", "GetBrowser")
    refuse(aws, "bedrock-agentcore-control", "ListMemories")

    checks = ["AGENTCORE-001", "AGENTCORE-002", "AGENTCORE-003", "AGENTCORE-005", "AGENTCORE-007"]
    report = scan(aws, checks)

    errors = {(f.check_id, f.resource_name) for f in report.findings if f.status is Status.ERROR}
    assert errors == {
        ("AGENTCORE-001", "all AgentCore runtimes"),
        ("AGENTCORE-002", "gateway"),
        ("AGENTCORE-003", "all AgentCore memories"),
        ("AGENTCORE-005", "browser"),
        ("AGENTCORE-007", "all AgentCore custom code interpreters"),
    }
    assert all(f.status is Status.ERROR for f in report.findings)
    assert "missing permissions" in " ".join(report.scan.warnings)
    assert "bedrock-agentcore:GetGateway" in " ".join(report.scan.warnings), "the IAM action to allow"
