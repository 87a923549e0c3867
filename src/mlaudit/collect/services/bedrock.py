"""Bedrock collectors (bedrock and bedrock-agent APIs, and CloudWatch for invocation metrics).

Bedrock is offered in fewer regions than SageMaker: where botocore's endpoint data says it is not offered, the
scheduler runs none of these parts (their service is `bedrock`) and records the region as skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.patterns import ListThenDescribe
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory.bedrock import (
    BedrockAgent,
    BedrockUsage,
    CustomModel,
    Guardrail,
    GuardrailFilter,
    InvocationLogDestination,
    KnowledgeBase,
    KnowledgeBaseDataSource,
    SensitiveInformationRule,
)

MAX_LISTED_MODELS = 20
"""How many invoked model ids a usage record keeps (the count is always exact)."""
INVOCATION_DATA_TYPES = ("text", "image", "embedding", "video", "audio")
AGENT_SERVICE = "bedrock-agent"
"""The boto3 client for agents, knowledge bases and data sources (their ARNs and findings say `bedrock`)."""


def _identity(ctx: CollectContext, arn: str | None, name: str, resource: str) -> dict[str, str]:
    """ARN, name, account and region of a record; the ARN is derived from `resource` when a response lacks one."""
    derived = f"arn:{ctx.partition}:bedrock:{ctx.region}:{ctx.account_id}:{resource}"
    return {"arn": arn or derived, "name": name, "account_id": ctx.account_id, "region": ctx.region}


def _any(ctx: CollectContext, method: str, key: str, service: str = "bedrock") -> bool:
    """Whether a list operation returns at least one item (one page of one item, not the whole list)."""
    items = ctx.paginate(method, key, service=service, PaginationConfig={"MaxItems": 1, "PageSize": 1})
    return next(iter(items), None) is not None


def _usage(ctx: CollectContext) -> Iterator[BedrockUsage]:
    identity = _identity(ctx, None, ctx.region, "*")
    metrics = list(
        ctx.paginate("list_metrics", "Metrics", service="cloudwatch", Namespace="AWS/Bedrock", MetricName="Invocations")
    )
    dimensions = [d for m in metrics for d in m.get("Dimensions") or ()]
    models = sorted({d.get("Value") or "" for d in dimensions if d.get("Name") == "ModelId"} - {""})
    yield BedrockUsage(
        **identity,
        invoked_models=tuple(models[:MAX_LISTED_MODELS]),
        invoked_model_count=len(models),
        invocation_metrics=bool(metrics),
        agents=_any(ctx, "list_agents", "agentSummaries", service=AGENT_SERVICE),
        knowledge_bases=_any(ctx, "list_knowledge_bases", "knowledgeBaseSummaries", service=AGENT_SERVICE),
        custom_models=_any(ctx, "list_custom_models", "modelSummaries"),
        provisioned_throughput=_any(ctx, "list_provisioned_model_throughputs", "provisionedModelSummaries"),
    )


def _invocation_log_destinations(ctx: CollectContext) -> Iterator[InvocationLogDestination]:
    config = (ctx.call("get_model_invocation_logging_configuration") or {}).get("loggingConfig") or {}
    data_types = tuple(t for t in INVOCATION_DATA_TYPES if config.get(f"{t}DataDeliveryEnabled"))
    cloudwatch = config.get("cloudWatchConfig") or {}
    if cloudwatch.get("logGroupName"):
        group = cloudwatch["logGroupName"]
        yield InvocationLogDestination(
            **_identity(ctx, None, group, "model-invocation-logging/cloudwatch-logs"),
            kind="cloudwatch-logs",
            log_group_name=group,
            role_arn=cloudwatch.get("roleArn"),
            data_types=data_types,
        )
    for kind, s3 in (("s3", config.get("s3Config")), ("large-data-s3", cloudwatch.get("largeDataDeliveryS3Config"))):
        bucket, prefix = (s3 or {}).get("bucketName"), (s3 or {}).get("keyPrefix")
        if bucket:
            yield InvocationLogDestination(
                **_identity(ctx, None, f"s3://{bucket}/{prefix or ''}", f"model-invocation-logging/{kind}"),
                kind=kind,
                bucket=bucket,
                key_prefix=prefix,
                data_types=data_types,
            )


def _content_filter(f: dict[str, Any]) -> GuardrailFilter:
    return GuardrailFilter(
        type=f.get("type") or "UNKNOWN",
        input_strength=f.get("inputStrength"),
        input_action=f.get("inputAction"),
        input_enabled=f.get("inputEnabled") is not False,
    )


def _sensitive_rules(policy: dict[str, Any]) -> Iterator[SensitiveInformationRule]:
    """PII entities and regexes alike; the older single `action` applies to both sides unless a side names its own."""
    for kind, key, name_field in (("pii", "piiEntities", "type"), ("regex", "regexes", "name")):
        for rule in policy.get(key) or ():
            yield SensitiveInformationRule(
                kind=kind,
                name=rule.get(name_field) or "unnamed",
                input_action=rule.get("inputAction") or rule.get("action"),
                output_action=rule.get("outputAction") or rule.get("action"),
                input_enabled=rule.get("inputEnabled") is not False,
                output_enabled=rule.get("outputEnabled") is not False,
            )


def _guardrail(ctx: CollectContext, d: dict[str, Any]) -> Guardrail:
    guardrail_id = d.get("guardrailId") or ""
    return Guardrail(
        **_identity(ctx, d.get("guardrailArn"), d.get("name") or guardrail_id, f"guardrail/{guardrail_id}"),
        guardrail_id=guardrail_id,
        version=d.get("version"),
        status=d.get("status") or "UNKNOWN",
        content_filters=tuple(_content_filter(f) for f in (d.get("contentPolicy") or {}).get("filters") or ()),
        sensitive_information=tuple(_sensitive_rules(d.get("sensitiveInformationPolicy") or {})),
        kms_key_arn=d.get("kmsKeyArn"),
    )


def _agent(ctx: CollectContext, response: dict[str, Any]) -> BedrockAgent:
    d = response.get("agent") or {}
    agent_id = d.get("agentId") or ""
    guardrail = d.get("guardrailConfiguration") or {}
    return BedrockAgent(
        **_identity(ctx, d.get("agentArn"), d.get("agentName") or agent_id, f"agent/{agent_id}"),
        agent_id=agent_id,
        status=d.get("agentStatus") or "UNKNOWN",
        foundation_model=d.get("foundationModel"),
        role_arn=d.get("agentResourceRoleArn"),
        kms_key_arn=d.get("customerEncryptionKeyArn"),
        guardrail_id=guardrail.get("guardrailIdentifier") or None,
        guardrail_version=guardrail.get("guardrailVersion"),
    )


def _knowledge_base(ctx: CollectContext, response: dict[str, Any]) -> KnowledgeBase:
    d = response.get("knowledgeBase") or {}
    kb_id = d.get("knowledgeBaseId") or ""
    return KnowledgeBase(
        **_identity(ctx, d.get("knowledgeBaseArn"), d.get("name") or kb_id, f"knowledge-base/{kb_id}"),
        knowledge_base_id=kb_id,
        status=d.get("status") or "UNKNOWN",
        role_arn=d.get("roleArn"),
        storage_type=(d.get("storageConfiguration") or {}).get("type"),
    )


def _s3_uris(s3: dict[str, Any]) -> tuple[str, ...]:
    """`arn:aws:s3:::bucket` and its inclusion prefixes as s3:// URIs."""
    bucket = str(s3.get("bucketArn") or "").rsplit(":", 1)[-1]
    if not bucket:
        return ()
    return tuple(f"s3://{bucket}/{prefix}" for prefix in s3.get("inclusionPrefixes") or [""])


ListedDataSource = tuple[KnowledgeBase, dict[str, Any]]
"""A data source summary with the knowledge base it was listed under."""


def _data_sources(ctx: CollectContext) -> Iterator[KnowledgeBaseDataSource]:
    """Each knowledge base's data sources (listed per knowledge base), then each one described."""

    def listed(kb: KnowledgeBase) -> list[ListedDataSource]:
        params = {"knowledgeBaseId": kb.knowledge_base_id}
        return [
            (kb, s) for s in ctx.paginate("list_data_sources", "dataSourceSummaries", service=AGENT_SERVICE, **params)
        ]

    def identify(pair: ListedDataSource) -> tuple[str, str]:
        kb, summary = pair
        data_source_id = summary["dataSourceId"]
        return f"{kb.name}/{summary.get('name') or data_source_id}", f"{kb.arn}/data-source/{data_source_id}"

    def describe(pair: ListedDataSource) -> KnowledgeBaseDataSource:
        kb, summary = pair
        params = {"knowledgeBaseId": kb.knowledge_base_id, "dataSourceId": summary["dataSourceId"]}
        d = (ctx.call("get_data_source", service=AGENT_SERVICE, **params) or {}).get("dataSource") or {}
        configuration = d.get("dataSourceConfiguration") or {}
        name, arn = identify(pair)
        return KnowledgeBaseDataSource(
            **_identity(ctx, arn, name, ""),
            data_source_id=summary["dataSourceId"],
            knowledge_base_id=kb.knowledge_base_id,
            status=d.get("status") or summary.get("status") or "UNKNOWN",
            source_type=configuration.get("type"),
            s3_uris=_s3_uris(configuration.get("s3Configuration") or {}),
            kms_key_arn=(d.get("serverSideEncryptionConfiguration") or {}).get("kmsKeyArn"),
        )

    batches = ctx.fan_out(ctx.dependency(KnowledgeBase), listed, identify=lambda kb: (kb.name, kb.arn))
    yield from ctx.fan_out([pair for batch in batches for pair in batch], describe, identify)


def _custom_model(ctx: CollectContext, d: dict[str, Any]) -> CustomModel:
    name = d.get("modelName") or ""
    return CustomModel(
        **_identity(ctx, d.get("modelArn"), name, f"custom-model/{name}"),
        status=d.get("modelStatus"),
        base_model_arn=d.get("baseModelArn"),
        kms_key_arn=d.get("modelKmsKeyArn"),
        training_data_s3_uri=(d.get("trainingDataConfig") or {}).get("s3Uri"),
        output_s3_uri=(d.get("outputDataConfig") or {}).get("s3Uri"),
        creation_time=d.get("creationTime"),
    )


COLLECTORS = (
    PartCollector(
        BedrockUsage,
        (
            "cloudwatch:ListMetrics",
            "bedrock-agent:ListAgents",
            "bedrock-agent:ListKnowledgeBases",
            "bedrock:ListCustomModels",
            "bedrock:ListProvisionedModelThroughputs",
        ),
        _usage,
    ),
    PartCollector(
        InvocationLogDestination,
        ("bedrock:GetModelInvocationLoggingConfiguration",),
        _invocation_log_destinations,
    ),
    PartCollector(
        Guardrail,
        ("bedrock:ListGuardrails", "bedrock:GetGuardrail"),
        ListThenDescribe(
            "list_guardrails",
            "guardrails",
            "id",
            "arn",
            "get_guardrail",
            _guardrail,
            describe_param="guardrailIdentifier",
        ),
    ),
    PartCollector(
        BedrockAgent,
        ("bedrock-agent:ListAgents", "bedrock-agent:GetAgent"),
        ListThenDescribe(
            "list_agents", "agentSummaries", "agentId", "agentArn", "get_agent", _agent, service=AGENT_SERVICE
        ),
    ),
    PartCollector(
        KnowledgeBase,
        ("bedrock-agent:ListKnowledgeBases", "bedrock-agent:GetKnowledgeBase"),
        ListThenDescribe(
            "list_knowledge_bases",
            "knowledgeBaseSummaries",
            "knowledgeBaseId",
            "knowledgeBaseArn",
            "get_knowledge_base",
            _knowledge_base,
            service=AGENT_SERVICE,
        ),
    ),
    PartCollector(
        KnowledgeBaseDataSource,
        ("bedrock-agent:ListDataSources", "bedrock-agent:GetDataSource"),
        _data_sources,
        depends_on=(KnowledgeBase,),
    ),
    PartCollector(
        CustomModel,
        ("bedrock:ListCustomModels", "bedrock:GetCustomModel"),
        ListThenDescribe(
            "list_custom_models",
            "modelSummaries",
            "modelName",
            "modelArn",
            "get_custom_model",
            _custom_model,
            describe_param="modelIdentifier",
        ),
    ),
)
