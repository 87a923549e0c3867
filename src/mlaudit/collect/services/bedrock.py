"""Bedrock collectors (bedrock and bedrock-agent APIs, and CloudWatch for invocation metrics).

Bedrock is offered in fewer regions than SageMaker: where botocore's endpoint data says it is not offered, the
scheduler runs none of these parts (their service is `bedrock`) and records the region as skipped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from mlaudit.collect.engine.census import one_call_each
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListPerRecord, ListThenDescribe
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory import Identity
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
LIST_METRICS = Operation("cloudwatch:ListMetrics")
LIST_AGENTS = Operation("bedrock-agent:ListAgents")
LIST_KNOWLEDGE_BASES = Operation("bedrock-agent:ListKnowledgeBases")
LIST_CUSTOM_MODELS = Operation("bedrock:ListCustomModels")
LIST_THROUGHPUTS = Operation("bedrock:ListProvisionedModelThroughputs")
GET_LOGGING = Operation("bedrock:GetModelInvocationLoggingConfiguration")


def _any(ctx: CollectContext, operation: Operation, key: str) -> bool:
    """Whether a list operation returns at least one item (one page of one item, not the whole list)."""
    items = ctx.paginate(operation, key, PaginationConfig={"MaxItems": 1, "PageSize": 1})
    return next(iter(items), None) is not None


def _usage(ctx: CollectContext) -> Iterator[BedrockUsage]:
    identity = ctx.identity("*", name=ctx.region)
    metrics = list(ctx.paginate(LIST_METRICS, "Metrics", Namespace="AWS/Bedrock", MetricName="Invocations"))
    dimensions = [d for m in metrics for d in m.get("Dimensions") or ()]
    models = sorted({d.get("Value") or "" for d in dimensions if d.get("Name") == "ModelId"} - {""})
    yield BedrockUsage(
        **identity,
        invoked_models=tuple(models[:MAX_LISTED_MODELS]),
        invoked_model_count=len(models),
        invocation_metrics=bool(metrics),
        agents=_any(ctx, LIST_AGENTS, "agentSummaries"),
        knowledge_bases=_any(ctx, LIST_KNOWLEDGE_BASES, "knowledgeBaseSummaries"),
        custom_models=_any(ctx, LIST_CUSTOM_MODELS, "modelSummaries"),
        provisioned_throughput=_any(ctx, LIST_THROUGHPUTS, "provisionedModelSummaries"),
    )


def _invocation_log_destinations(ctx: CollectContext) -> Iterator[InvocationLogDestination]:
    config = (ctx.call(GET_LOGGING) or {}).get("loggingConfig") or {}
    data_types = tuple(t for t in INVOCATION_DATA_TYPES if config.get(f"{t}DataDeliveryEnabled"))
    cloudwatch = config.get("cloudWatchConfig") or {}
    if cloudwatch.get("logGroupName"):
        group = cloudwatch["logGroupName"]
        yield InvocationLogDestination(
            **ctx.identity("cloudwatch-logs", name=group),
            kind="cloudwatch-logs",
            log_group_name=group,
            role_arn=cloudwatch.get("roleArn"),
            data_types=data_types,
        )
    for kind, s3 in (("s3", config.get("s3Config")), ("large-data-s3", cloudwatch.get("largeDataDeliveryS3Config"))):
        bucket, prefix = (s3 or {}).get("bucketName"), (s3 or {}).get("keyPrefix")
        if bucket:
            yield InvocationLogDestination(
                **ctx.identity(kind, name=f"s3://{bucket}/{prefix or ''}"),
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


def _guardrail(identity: Identity, d: dict[str, Any]) -> Guardrail:
    return Guardrail(
        **identity,
        guardrail_id=d.get("guardrailId") or identity["arn"].rsplit("/", 1)[-1],
        version=d.get("version"),
        status=d.get("status") or "UNKNOWN",
        content_filters=tuple(_content_filter(f) for f in (d.get("contentPolicy") or {}).get("filters") or ()),
        sensitive_information=tuple(_sensitive_rules(d.get("sensitiveInformationPolicy") or {})),
        kms_key_arn=d.get("kmsKeyArn"),
    )


def _agent(identity: Identity, response: dict[str, Any]) -> BedrockAgent:
    d = response.get("agent") or {}
    guardrail = d.get("guardrailConfiguration") or {}
    return BedrockAgent(
        **identity,
        agent_id=d.get("agentId") or identity["arn"].rsplit("/", 1)[-1],
        status=d.get("agentStatus") or "UNKNOWN",
        foundation_model=d.get("foundationModel"),
        role_arn=d.get("agentResourceRoleArn"),
        kms_key_arn=d.get("customerEncryptionKeyArn"),
        guardrail_id=guardrail.get("guardrailIdentifier") or None,
        guardrail_version=guardrail.get("guardrailVersion"),
    )


def _knowledge_base(identity: Identity, response: dict[str, Any]) -> KnowledgeBase:
    d = response.get("knowledgeBase") or {}
    return KnowledgeBase(
        **identity,
        knowledge_base_id=d.get("knowledgeBaseId") or identity["arn"].rsplit("/", 1)[-1],
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


def _data_source_identity(ctx: CollectContext, kb: KnowledgeBase, summary: dict[str, Any]) -> Identity:
    """A data source has no ARN of its own: it is named, and identified, under its knowledge base."""
    data_source_id = summary["dataSourceId"]
    name = f"{kb.name}/{summary.get('name') or data_source_id}"
    return ctx.identity(f"{kb.knowledge_base_id}/data-source/{data_source_id}", name=name)


def _data_source(identity: Identity, response: dict[str, Any], kb: KnowledgeBase) -> KnowledgeBaseDataSource:
    d = response.get("dataSource") or {}
    configuration = d.get("dataSourceConfiguration") or {}
    return KnowledgeBaseDataSource(
        **identity,
        data_source_id=d.get("dataSourceId") or identity["arn"].rsplit("/", 1)[-1],
        knowledge_base_id=kb.knowledge_base_id,
        status=d.get("status") or "UNKNOWN",
        source_type=configuration.get("type"),
        s3_uris=_s3_uris(configuration.get("s3Configuration") or {}),
        kms_key_arn=(d.get("serverSideEncryptionConfiguration") or {}).get("kmsKeyArn"),
    )


def _custom_model(identity: Identity, d: dict[str, Any]) -> CustomModel:
    return CustomModel(
        **identity,
        status=d.get("modelStatus"),
        base_model_arn=d.get("baseModelArn"),
        kms_key_arn=d.get("modelKmsKeyArn"),
        training_data_s3_uri=(d.get("trainingDataConfig") or {}).get("s3Uri"),
        output_s3_uri=(d.get("outputDataConfig") or {}).get("s3Uri"),
        creation_time=d.get("creationTime"),
    )


def _usage_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """One ListMetrics page (the Invocations metrics of a region are few) and one single-item page of each list."""
    return one_call_each(LIST_METRICS, LIST_AGENTS, LIST_KNOWLEDGE_BASES, LIST_CUSTOM_MODELS, LIST_THROUGHPUTS)


COLLECTORS = (
    PartCollector(
        BedrockUsage,
        _usage,
        calls=(LIST_METRICS, LIST_AGENTS, LIST_KNOWLEDGE_BASES, LIST_CUSTOM_MODELS, LIST_THROUGHPUTS),
        minimum=_usage_minimum,
    ),
    PartCollector(
        InvocationLogDestination,
        _invocation_log_destinations,
        calls=(GET_LOGGING,),
        minimum=lambda census, account_id, region: one_call_each(GET_LOGGING),
    ),
    PartCollector(
        Guardrail,
        ListThenDescribe(
            Operation("bedrock:ListGuardrails"),
            "guardrails",
            Operation("bedrock:GetGuardrail"),
            Listed(id="id", name="name", arn="arn"),
            _guardrail,
            keys={"guardrailIdentifier": "id"},
        ),
    ),
    PartCollector(
        BedrockAgent,
        ListThenDescribe(
            LIST_AGENTS,
            "agentSummaries",
            Operation("bedrock-agent:GetAgent"),
            Listed(id="agentId", name="agentName"),
            _agent,
        ),
    ),
    PartCollector(
        KnowledgeBase,
        ListThenDescribe(
            LIST_KNOWLEDGE_BASES,
            "knowledgeBaseSummaries",
            Operation("bedrock-agent:GetKnowledgeBase"),
            Listed(id="knowledgeBaseId", name="name"),
            _knowledge_base,
        ),
    ),
    PartCollector(
        KnowledgeBaseDataSource,
        ListPerRecord(
            KnowledgeBase,
            Operation("bedrock-agent:ListDataSources"),
            "dataSourceSummaries",
            params=lambda kb: {"knowledgeBaseId": kb.knowledge_base_id},
            identify=_data_source_identity,
            build=_data_source,
            describe=Operation("bedrock-agent:GetDataSource"),
            keys=lambda kb, summary: {"knowledgeBaseId": kb.knowledge_base_id, "dataSourceId": summary["dataSourceId"]},
            parent_key=lambda kb: kb.knowledge_base_id,
            child_key=lambda source: source.knowledge_base_id,
        ),
    ),
    PartCollector(
        CustomModel,
        ListThenDescribe(
            LIST_CUSTOM_MODELS,
            "modelSummaries",
            Operation("bedrock:GetCustomModel"),
            Listed(id="modelName", arn="modelArn"),
            _custom_model,
            keys={"modelIdentifier": "modelName"},
        ),
    ),
)
