"""The estate's generative AI beyond its first assistants: what the agents run in production, the marketing team's
agents, prompts, flows, evaluations, imported and customized models, reserved capacity and API keys.

The dispute assistant's `live` alias runs version 1, cut with its guardrail; its prompts, flow, evaluation and
imported model use the fraud team's key, its fine-tuning runs in the VPC and its reserved throughput is busy. The
shopping assistant's `live` alias runs a version cut before anyone thought of a guardrail. Marketing's two agents
share one role with AmazonBedrockFullAccess, which may also subscribe the account to any Marketplace product (the
disputes role may subscribe to Claude only), and run the weak marketing guardrail's version 1; their prompt, flow and
evaluation have no customer managed key. In eu-west-1 the recommendations team imported a model without a key,
fine-tuned outside the VPC and reserved throughput nobody calls. An integration user holds an API key that never
expires, with full Bedrock access; the data scientist's key lasts a week and may only invoke models. CloudTrail's
event history shows the data scientist listing and invoking models, and, this morning in us-west-2 (a region the
estate does not use), the integration user's key running through an LLMjacking playbook. IAM's last accessed data
shows the disputes role and the data scientist using Bedrock this week, and the marketing role, half a year old,
never.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from mlaudit.demo.estate.base import Estate, Region, role_arn
from mlaudit.demo.estate.bedrock import BEDROCK_TRUST, DISPUTES_ROLE, MODEL_ID, RECS_BEDROCK_ROLE
from mlaudit.demo.moto_extensions.bedrock import age_throughput
from mlaudit.demo.moto_extensions.cloudtrail_events import record_event
from mlaudit.demo.moto_extensions.iam_last_accessed import age_identity, record_service_access
from mlaudit.demo.server import DEMO_ACCOUNT_ID

AFTER = ("bedrock",)
"""Areas whose resources this one uses (the Bedrock roles, guardrails and agents)."""

MARKETING_ROLE = "acme-marketing-bedrock"
"""One role for both marketing agents, with AmazonBedrockFullAccess attached."""
BOUNDARY = "acme-ml-permissions-boundary"
FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonBedrockFullAccess"
ENVELOPE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["bedrock:*", "s3:*", "kms:Decrypt", "aoss:*"], "Resource": "*"}],
}
"""What the security team lets any Bedrock role do at most."""
MODEL_ACCESS = ["aws-marketplace:Subscribe", "aws-marketplace:Unsubscribe", "aws-marketplace:ViewSubscriptions"]
"""What subscribing to a third-party Bedrock model takes: the disputes role may subscribe to Claude only, marketing's
to any Marketplace product."""
CLAUDE_PRODUCT = "prod-m5ilt4siql27k"


def _model_arn(region: Region) -> str:
    return f"arn:aws:bedrock:{region.region}::foundation-model/{MODEL_ID}"


def seed(estate: Estate) -> None:
    """Agent aliases and versions, marketing's agents, prompts, flows, jobs, models, throughput and API keys."""
    _roles(estate)
    _deployed_assistants(estate)
    _marketing(estate, estate.east)
    _assets(estate, estate.east, kms_key=estate.east.key_arn, team="disputes", role=DISPUTES_ROLE)
    _assets(estate, estate.east, kms_key=None, team="campaign", role=MARKETING_ROLE)
    _recommendations(estate, estate.west)
    _api_keys(estate)
    _event_history()
    _bedrock_use()


def _roles(estate: Estate) -> None:
    """The disputes role is bounded by the security team's envelope; marketing's has Bedrock full access."""
    iam = estate.iam()
    boundary = iam.create_policy(PolicyName=BOUNDARY, PolicyDocument=json.dumps(ENVELOPE))["Policy"]["Arn"]
    iam.put_role_permissions_boundary(RoleName=DISPUTES_ROLE, PermissionsBoundary=boundary)
    iam.create_role(RoleName=MARKETING_ROLE, AssumeRolePolicyDocument=json.dumps(BEDROCK_TRUST), Path="/ml/")
    iam.attach_role_policy(RoleName=MARKETING_ROLE, PolicyArn=FULL_ACCESS)
    for role, name, condition in (
        (DISPUTES_ROLE, "acme-claude-model-access", {"aws-marketplace:ProductId": [CLAUDE_PRODUCT]}),
        (MARKETING_ROLE, "acme-marketing-model-access", None),
    ):
        statement = {"Effect": "Allow", "Action": MODEL_ACCESS, "Resource": "*"}
        scoped = {**statement, "Condition": {"ForAnyValue:StringEquals": condition}} if condition else statement
        document = json.dumps({"Version": "2012-10-17", "Statement": [scoped]})
        arn = iam.create_policy(PolicyName=name, PolicyDocument=document)["Policy"]["Arn"]
        iam.attach_role_policy(RoleName=role, PolicyArn=arn)


def _agent_id(estate: Estate, region: Region, name: str) -> str:
    agents = estate.client("bedrock-agent", region.region).list_agents()["agentSummaries"]
    return next(a["agentId"] for a in agents if a["agentName"] == name)


def _deployed_assistants(estate: Estate) -> None:
    """Each assistant's `live` alias, on a version cut from its draft as it is."""
    for region, name in ((estate.east, "dispute-assistant"), (estate.west, "shopping-assistant")):
        estate.client("bedrock-agent", region.region).create_agent_alias(
            agentId=_agent_id(estate, region, name), agentAliasName="live"
        )


def _guardrail_id(estate: Estate, region: Region, name: str) -> str:
    guardrails = estate.client("bedrock", region.region).list_guardrails()["guardrails"]
    return next(g["id"] for g in guardrails if g["name"] == name)


def _marketing(estate: Estate, east: Region) -> None:
    """Two agents on one role, running the weak marketing guardrail's version 1."""
    bedrock = estate.client("bedrock", east.region)
    guardrail = _guardrail_id(estate, east, "marketing-copy-guardrail")
    bedrock.create_guardrail_version(guardrailIdentifier=guardrail)
    agents = estate.client("bedrock-agent", east.region)
    for name in ("campaign-writer", "copy-reviewer"):
        agents.create_agent(
            agentName=name,
            agentResourceRoleArn=role_arn(MARKETING_ROLE),
            foundationModel=_model_arn(east),
            idleSessionTTLInSeconds=600,
            guardrailConfiguration={"guardrailIdentifier": guardrail, "guardrailVersion": "1"},
        )


def _assets(estate: Estate, region: Region, kms_key: str | None, team: str, role: str) -> None:
    """A team's prompt, flow and model evaluation, encrypted with `kms_key` when given."""
    agents = estate.client("bedrock-agent", region.region)
    key = {"customerEncryptionKeyArn": kms_key} if kms_key else {}
    agents.create_prompt(name=f"{team}-summary", description=f"{team} case summary", **key)
    agents.create_flow(name=f"{team}-triage", executionRoleArn=role_arn(role), **key)
    region.bucket(f"acme-{team}-evaluations", "kms")
    metrics = [
        {"taskType": "Summarization", "dataset": {"name": "Builtin.Gigaword"}, "metricNames": ["Builtin.Accuracy"]}
    ]
    estate.client("bedrock", region.region).create_evaluation_job(
        jobName=f"{team}-summary-eval",
        roleArn=role_arn(role),
        evaluationConfig={"automated": {"datasetMetricConfigs": metrics}},
        inferenceConfig={"models": [{"bedrockModel": {"modelIdentifier": _model_arn(region)}}]},
        outputDataConfig={"s3Uri": f"s3://acme-{team}-evaluations/results/"},
        **({"customerEncryptionKeyId": kms_key} if kms_key else {}),
    )
    if kms_key:
        _owned_models(estate, region, team, role, kms_key)


def _owned_models(estate: Estate, region: Region, team: str, role: str, kms_key: str | None) -> None:
    """An imported model, a fine-tuning job (in the VPC when the team has a key) and reserved throughput."""
    bedrock = estate.client("bedrock", region.region)
    bucket = f"acme-{team}-model-artifacts"
    region.bucket(bucket, "kms")
    bedrock.create_model_import_job(
        jobName=f"{team}-llama-import",
        importedModelName=f"{team}-llama-ft",
        roleArn=role_arn(role),
        modelDataSource={"s3DataSource": {"s3Uri": f"s3://{bucket}/llama/"}},
        **({"importedModelKmsKeyId": kms_key} if kms_key else {}),
    )
    vpc = {"vpcConfig": {"subnetIds": region.subnets, "securityGroupIds": [region.security_group]}} if kms_key else {}
    bedrock.create_model_customization_job(
        jobName=f"{team}-titan-tune",
        customModelName=f"{team}-titan-tuned",
        roleArn=role_arn(role),
        baseModelIdentifier="amazon.titan-text-express-v1",
        trainingDataConfig={"s3Uri": f"s3://{bucket}/train.jsonl"},
        outputDataConfig={"s3Uri": f"s3://{bucket}/tuned/"},
        hyperParameters={"epochCount": "2"},
        **({"customModelKmsKeyId": kms_key} if kms_key else {}),
        **vpc,
    )
    _throughput(estate, region, f"{team}-reserved", busy=bool(kms_key))


def _throughput(estate: Estate, region: Region, name: str, busy: bool) -> None:
    """Throughput reserved two months ago for the base model; requests name its ARN when it is `busy`."""
    arn = estate.client("bedrock", region.region).create_provisioned_model_throughput(
        modelUnits=1, provisionedModelName=name, modelId=_model_arn(region)
    )["provisionedModelArn"]
    age_throughput(DEMO_ACCOUNT_ID, region.region, name, datetime.now(UTC) - timedelta(days=60))
    if busy:
        estate.client("cloudwatch", region.region).put_metric_data(
            Namespace="AWS/Bedrock",
            MetricData=[
                {
                    "MetricName": "Invocations",
                    "Dimensions": [{"Name": "ModelId", "Value": arn}],
                    "Timestamp": datetime.now(UTC) - timedelta(days=1),
                    "Value": 1800,
                }
            ],
        )


def _recommendations(estate: Estate, west: Region) -> None:
    """The recommendations team's imported model, fine-tuning and throughput: no key, no VPC, no callers."""
    _owned_models(estate, west, "recs", RECS_BEDROCK_ROLE, kms_key=None)


def _api_keys(estate: Estate) -> None:
    """A week-long key for invoking models, and an integration's key that never expires, with full access."""
    iam = estate.iam()
    policy: dict[str, Any] = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["bedrock:InvokeModel*", "bedrock:CallWithBearerToken"], "Resource": "*"}
        ],
    }
    iam.create_user(UserName="acme-ds-explorer")
    iam.put_user_policy(UserName="acme-ds-explorer", PolicyName="invoke-only", PolicyDocument=json.dumps(policy))
    iam.create_service_specific_credential(
        UserName="acme-ds-explorer", ServiceName="bedrock.amazonaws.com", CredentialAgeDays=7
    )
    iam.create_user(UserName="acme-crm-integration")
    iam.attach_user_policy(UserName="acme-crm-integration", PolicyArn=FULL_ACCESS)
    iam.create_service_specific_credential(UserName="acme-crm-integration", ServiceName="bedrock.amazonaws.com")


def _event_history() -> None:
    """The data scientist's ordinary calls, and the integration key's LLMjacking run in a region nobody uses."""
    explorer, integration = "acme-ds-explorer", "acme-crm-integration"
    now = datetime.now(UTC)
    for region, user, events in (
        ("us-east-1", explorer, ("ListFoundationModels", "InvokeModel", "InvokeModelWithResponseStream")),
        (
            "us-west-2",
            integration,
            (
                "ListFoundationModels",
                "GetFoundationModelAvailability",
                "GetModelInvocationLoggingConfiguration",
                "GetUseCaseForModelAccess",
                "PutUseCaseForModelAccess",
                "ListFoundationModelAgreementOffers",
                "CreateFoundationModelAgreement",
                "InvokeModel",
            ),
        ),
    ):
        identity = {
            "type": "IAMUser",
            "arn": f"arn:aws:iam::{DEMO_ACCOUNT_ID}:user/{user}",
            "accountId": DEMO_ACCOUNT_ID,
            "userName": user,
        }
        for minutes, event in enumerate(events):
            record_event(DEMO_ACCOUNT_ID, region, event, identity, now - timedelta(hours=3, minutes=-minutes))


def _bedrock_use() -> None:
    """Half a year of IAM history: the disputes role and the data scientist used Bedrock lately, marketing's role
    never has."""
    now = datetime.now(UTC)
    explorer = f"arn:aws:iam::{DEMO_ACCOUNT_ID}:user/acme-ds-explorer"
    for kind, name, arn in (
        ("role", DISPUTES_ROLE, role_arn(DISPUTES_ROLE)),
        ("user", "acme-ds-explorer", explorer),
        ("role", MARKETING_ROLE, None),
    ):
        age_identity(DEMO_ACCOUNT_ID, kind, name, now - timedelta(days=180))
        if arn is not None:
            record_service_access(DEMO_ACCOUNT_ID, arn, "bedrock", now - timedelta(days=2))
