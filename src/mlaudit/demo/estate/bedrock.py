"""The estate's generative AI: Bedrock in both regions, and the CloudWatch Logs groups ML workloads write to.

In us-east-1 the fraud team's dispute assistant is built with care: model invocations are logged to an encrypted
log group with a retention period (only the bucket that receives large payloads was left on SSE-S3), a strong,
grounded and encrypted guardrail (published as version 1) protects the agent, and agent and knowledge base use the
team's KMS key. A marketing guardrail beside it filters prompt attacks only at MEDIUM, ignores personal data and
hallucinations, and is encrypted with a key AWS owns. In eu-west-1 the recommendations team's shopping
assistant went live half-done: no invocation logging, no guardrail, no customer managed keys. The legacy churn
endpoint's log group keeps unencrypted logs forever.
"""

from __future__ import annotations

import json
from typing import Any

from mlaudit.demo.estate.base import SAGEMAKER_TRUST, Estate, Region, role_arn
from mlaudit.demo.server import DEMO_ACCOUNT_ID

AFTER = ("foundation",)
"""Areas whose resources this one uses (roles, buckets, models)."""

MODEL_ID = "anthropic.claude-3-haiku-20240307-v1:0"
EMBEDDINGS = "amazon.titan-embed-text-v2:0"
DISPUTES_ROLE = "acme-disputes-bedrock"
"""The dispute assistant's agent and knowledge-base role, also used to deliver invocation logs."""
RECS_BEDROCK_ROLE = "acme-recs-bedrock"
BEDROCK_TRUST = {
    **SAGEMAKER_TRUST,
    "Statement": [{**SAGEMAKER_TRUST["Statement"][0], "Principal": {"Service": "bedrock.amazonaws.com"}}],
}
"""The SageMaker roles' trust (with its confused-deputy condition), for the Bedrock service principal."""
INVOCATION_LOG_GROUP = "/aws/bedrock/model-invocations"


def seed(estate: Estate) -> None:
    """Bedrock roles, invocation logging, guardrails, agents, knowledge bases and ML log groups."""
    for name in (DISPUTES_ROLE, RECS_BEDROCK_ROLE):
        estate.iam().create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(BEDROCK_TRUST), Path="/ml/")
    _disputes(estate, estate.east)
    _shopping_assistant(estate, estate.west)
    _sagemaker_log_groups(estate, estate.east)


def _disputes(estate: Estate, east: Region) -> None:
    """The fraud team's dispute assistant: logged, guarded and encrypted, except the large-payload bucket."""
    region = east.region
    estate.client("cloudwatch", region).put_metric_data(
        Namespace="AWS/Bedrock",
        MetricData=[{"MetricName": "Invocations", "Dimensions": [{"Name": "ModelId", "Value": MODEL_ID}], "Value": 42}],
    )
    logs = estate.client("logs", region)
    logs.create_log_group(logGroupName=INVOCATION_LOG_GROUP, kmsKeyId=east.key_arn)
    logs.put_retention_policy(logGroupName=INVOCATION_LOG_GROUP, retentionInDays=365)
    east.bucket("acme-bedrock-invocation-payloads", "s3")
    bedrock = estate.client("bedrock", region)
    bedrock.put_model_invocation_logging_configuration(
        loggingConfig={
            "cloudWatchConfig": {
                "logGroupName": INVOCATION_LOG_GROUP,
                "roleArn": role_arn(DISPUTES_ROLE),
                "largeDataDeliveryS3Config": {"bucketName": "acme-bedrock-invocation-payloads", "keyPrefix": "large/"},
            },
            "textDataDeliveryEnabled": True,
        }
    )
    guardrail = bedrock.create_guardrail(
        name="disputes-guardrail",
        blockedInputMessaging="Sorry, I cannot help with that.",
        blockedOutputsMessaging="Sorry, I cannot answer that.",
        contentPolicyConfig={
            "filtersConfig": [
                {"type": "PROMPT_ATTACK", "inputStrength": "HIGH", "outputStrength": "NONE"},
                {"type": "MISCONDUCT", "inputStrength": "HIGH", "outputStrength": "HIGH"},
            ]
        },
        sensitiveInformationPolicyConfig={
            "piiEntitiesConfig": [
                {"type": "CREDIT_DEBIT_CARD_NUMBER", "action": "BLOCK"},
                {"type": "EMAIL", "action": "ANONYMIZE"},
            ]
        },
        contextualGroundingPolicyConfig={
            "filtersConfig": [{"type": "GROUNDING", "threshold": 0.75}, {"type": "RELEVANCE", "threshold": 0.6}]
        },
        kmsKeyId=east.key_arn,
    )["guardrailId"]
    bedrock.create_guardrail_version(guardrailIdentifier=guardrail, description="Reviewed by the fraud team")
    bedrock.create_guardrail(
        name="marketing-copy-guardrail",
        blockedInputMessaging="Blocked.",
        blockedOutputsMessaging="Blocked.",
        contentPolicyConfig={
            "filtersConfig": [
                {"type": "PROMPT_ATTACK", "inputStrength": "MEDIUM", "outputStrength": "NONE"},
                {"type": "HATE", "inputStrength": "HIGH", "outputStrength": "HIGH"},
            ]
        },
    )
    east.bucket("acme-dispute-policies", "kms")
    _assistant(
        estate,
        east,
        "dispute-assistant",
        DISPUTES_ROLE,
        "acme-dispute-policies",
        kms_key=east.key_arn,
        guardrailConfiguration={"guardrailIdentifier": guardrail, "guardrailVersion": "1"},
    )


def _shopping_assistant(estate: Estate, west: Region) -> None:
    """The recommendations team's agent and product-catalog knowledge base: no logging, guardrail or CMK."""
    west.bucket("acme-recs-product-catalog-eu", "kms")
    _assistant(estate, west, "shopping-assistant", RECS_BEDROCK_ROLE, "acme-recs-product-catalog-eu", kms_key=None)


def _assistant(
    estate: Estate, region: Region, name: str, role: str, documents_bucket: str, kms_key: str | None, **agent: Any
) -> None:
    """An agent and its knowledge base over the documents in a bucket, encrypted with `kms_key` when given."""
    model_arn = f"arn:aws:bedrock:{region.region}::foundation-model/"
    agents = estate.client("bedrock-agent", region.region)
    key = {"customerEncryptionKeyArn": kms_key} if kms_key else {}
    agents.create_agent(
        agentName=name,
        agentResourceRoleArn=role_arn(role),
        foundationModel=model_arn + MODEL_ID,
        idleSessionTTLInSeconds=600,
        **key,
        **agent,  # the console's default: AWS answers one, moto only if given
    )
    kb = agents.create_knowledge_base(
        name=f"{name}-documents",
        roleArn=role_arn(role),
        knowledgeBaseConfiguration={
            "type": "VECTOR",
            "vectorKnowledgeBaseConfiguration": {"embeddingModelArn": model_arn + EMBEDDINGS},
        },
        storageConfiguration={
            "type": "OPENSEARCH_SERVERLESS",
            "opensearchServerlessConfiguration": {
                "collectionArn": f"arn:aws:aoss:{region.region}:{DEMO_ACCOUNT_ID}:collection/{name}",
                "vectorIndexName": "documents",
                "fieldMapping": {"vectorField": "vector", "textField": "text", "metadataField": "metadata"},
            },
        },
    )["knowledgeBase"]["knowledgeBaseId"]
    encryption = {"serverSideEncryptionConfiguration": {"kmsKeyArn": kms_key}} if kms_key else {}
    agents.create_data_source(
        knowledgeBaseId=kb,
        name=documents_bucket,
        dataSourceConfiguration={"type": "S3", "s3Configuration": {"bucketArn": f"arn:aws:s3:::{documents_bucket}"}},
        **encryption,
    )


def _sagemaker_log_groups(estate: Estate, east: Region) -> None:
    """The fraud endpoint's logs are encrypted and expire; the legacy churn endpoint's are neither."""
    logs = estate.client("logs", east.region)
    logs.create_log_group(logGroupName="/aws/sagemaker/Endpoints/fraud-scoring", kmsKeyId=east.key_arn)
    logs.put_retention_policy(logGroupName="/aws/sagemaker/Endpoints/fraud-scoring", retentionInDays=90)
    logs.create_log_group(logGroupName="/aws/sagemaker/Endpoints/churn-scoring-legacy")
