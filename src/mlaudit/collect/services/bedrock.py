"""Bedrock collectors (bedrock and bedrock-agent APIs, and CloudWatch for invocation metrics): usage, invocation
logging, guardrails, agents with their aliases and the versions the aliases route to, the guardrail versions agents
run with, knowledge bases, data sources and custom models.

Bedrock is offered in fewer regions than SageMaker: where botocore's endpoint data says it is not offered, the
scheduler runs none of these parts (their service is `bedrock`) and records the region as skipped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from mlaudit.collect.accounts.failures import CallFailed
from mlaudit.collect.engine.answers import dig
from mlaudit.collect.engine.census import one_call_each
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListPerRecord, ListThenDescribe
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory import Identity
from mlaudit.inventory.bedrock import (
    AgentSettings,
    BedrockAgent,
    BedrockAgentAlias,
    BedrockAgentVersion,
    BedrockUsage,
    CustomModel,
    GroundingFilter,
    Guardrail,
    GuardrailFilter,
    GuardrailVersion,
    InvocationLogDestination,
    KnowledgeBase,
    KnowledgeBaseDataSource,
    SensitiveInformationRule,
    agent_version_key,
    guardrail_id_of,
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
GET_GUARDRAIL = Operation("bedrock:GetGuardrail")
GET_AGENT_VERSION = Operation("bedrock-agent:GetAgentVersion")
DRAFT = "DRAFT"


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


def _grounding_filter(f: dict[str, Any]) -> GroundingFilter:
    return GroundingFilter(
        type=f.get("type") or "UNKNOWN",
        threshold=f.get("threshold") or 0.0,
        action=f.get("action"),
        enabled=f.get("enabled"),
    )


def _policies(d: dict[str, Any]) -> dict[str, Any]:
    """The fields a guardrail's draft and its versions share, from GetGuardrail's answer."""
    return {
        "version": d.get("version"),
        "status": d.get("status") or "UNKNOWN",
        "content_filters": tuple(_content_filter(f) for f in dig(d, "contentPolicy", "filters") or ()),
        "sensitive_information": tuple(_sensitive_rules(d.get("sensitiveInformationPolicy") or {})),
        "contextual_grounding": tuple(
            _grounding_filter(f) for f in dig(d, "contextualGroundingPolicy", "filters") or ()
        ),
        "kms_key_arn": d.get("kmsKeyArn"),
    }


def _guardrail(identity: Identity, d: dict[str, Any]) -> Guardrail:
    guardrail_id = d.get("guardrailId") or identity["arn"].rsplit("/", 1)[-1]
    return Guardrail(**identity, guardrail_id=guardrail_id, **_policies(d))


def _agent_settings(d: dict[str, Any]) -> dict[str, Any]:
    """The fields an agent's draft (GetAgent) and its versions (GetAgentVersion) share."""
    return {
        "agent_id": d.get("agentId"),
        "status": d.get("agentStatus") or "UNKNOWN",
        "foundation_model": d.get("foundationModel"),
        "role_arn": d.get("agentResourceRoleArn"),
        "kms_key_arn": d.get("customerEncryptionKeyArn"),
        "guardrail_id": dig(d, "guardrailConfiguration", "guardrailIdentifier") or None,
        "guardrail_version": dig(d, "guardrailConfiguration", "guardrailVersion"),
    }


def _agent(identity: Identity, response: dict[str, Any]) -> BedrockAgent:
    settings = _agent_settings(response.get("agent") or {})
    settings["agent_id"] = settings["agent_id"] or identity["arn"].rsplit("/", 1)[-1]
    return BedrockAgent(**identity, **settings)


def _alias_identity(ctx: CollectContext, agent: BedrockAgent, summary: dict[str, Any]) -> Identity:
    """Alias summaries carry no ARN: AWS's is `agent-alias/<agent id>/<alias id>`."""
    alias_id = summary["agentAliasId"]
    name = f"{agent.name}/{summary.get('agentAliasName') or alias_id}"
    return ctx.identity(f"{agent.agent_id}/{alias_id}", name=name)


def _alias(identity: Identity, summary: dict[str, Any], agent: BedrockAgent) -> BedrockAgentAlias:
    routing = summary.get("routingConfiguration") or ()
    return BedrockAgentAlias(
        **identity,
        agent_id=agent.agent_id,
        alias_id=summary.get("agentAliasId") or identity["arn"].rsplit("/", 1)[-1],
        status=summary.get("agentAliasStatus") or "UNKNOWN",
        invocation_state=summary.get("aliasInvocationState"),
        routed_versions=tuple(r["agentVersion"] for r in routing if r.get("agentVersion")),
    )


def _routed_versions(aliases: list[BedrockAgentAlias]) -> list[tuple[str, str]]:
    """Each numbered (agent id, version) an alias routes to, once (DRAFT is the agent itself)."""
    routed = {(a.agent_id, v) for a in aliases for v in a.routed_versions if v != DRAFT}
    return sorted(routed)


def _agent_versions(ctx: CollectContext) -> Iterator[BedrockAgentVersion]:
    """GetAgentVersion for each version an alias routes to: what production invocations of the agent run."""
    names = {a.agent_id: a.name for a in ctx.dependency(BedrockAgent)}

    def identity(routed: tuple[str, str]) -> Identity:
        agent_id, version = routed
        return ctx.identity(agent_version_key(agent_id, version), name=f"{names.get(agent_id, agent_id)}:{version}")

    def describe(routed: tuple[str, str]) -> BedrockAgentVersion:
        agent_id, version = routed
        d = (ctx.call(GET_AGENT_VERSION, agentId=agent_id, agentVersion=version) or {}).get("agentVersion") or {}
        settings = {**_agent_settings(d), "agent_id": agent_id}
        return BedrockAgentVersion(**identity(routed), **settings, version=d.get("version") or version)

    yield from ctx.fan_out(_routed_versions(ctx.dependency(BedrockAgentAlias)), describe, identity)


def _referenced_guardrail_versions(agents: list[AgentSettings]) -> dict[tuple[str, str], list[str]]:
    """Each numbered (guardrail id, version) an agent or agent version names, with the ARNs that name it."""
    referenced: dict[tuple[str, str], list[str]] = {}
    for agent in agents:
        if agent.guardrail_id and agent.guardrail_version and agent.guardrail_version != DRAFT:
            key = (guardrail_id_of(agent.guardrail_id), agent.guardrail_version)
            referenced.setdefault(key, []).append(agent.arn)
    return referenced


def _guardrail_versions(ctx: CollectContext) -> Iterator[GuardrailVersion]:
    """GetGuardrail(guardrailIdentifier, guardrailVersion) for each version an agent runs with; a version that does
    not exist (deleted, or never cut) is a record saying so, since the agent references it."""
    agents: list[AgentSettings] = [*ctx.dependency(BedrockAgent), *ctx.dependency(BedrockAgentVersion)]
    referenced = _referenced_guardrail_versions(agents)

    def identity(key: tuple[str, str], name: str | None = None, arn: str | None = None) -> Identity:
        return ctx.identity(f"{key[0]}:{key[1]}", name=name, arn=arn)

    def describe(key: tuple[str, str]) -> GuardrailVersion:
        users = tuple(sorted(referenced[key]))
        try:
            d = ctx.call(GET_GUARDRAIL, guardrailIdentifier=key[0], guardrailVersion=key[1]) or {}
        except CallFailed as failed:
            if not failed.not_found:
                raise
            return GuardrailVersion(
                **identity(key),
                guardrail_id=key[0],
                version=key[1],
                status="NOT_FOUND",
                found=False,
                referenced_by=users,
            )
        arn = f"{d['guardrailArn']}:{key[1]}" if d.get("guardrailArn") else None
        named = identity(key, name=f"{d.get('name') or key[0]}:{key[1]}", arn=arn)
        return GuardrailVersion(
            **named, guardrail_id=key[0], referenced_by=users, **{**_policies(d), "version": key[1]}
        )

    yield from ctx.fan_out(sorted(referenced), describe, identity)


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


def _agent_versions_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """One GetAgentVersion per numbered version an alias routes to."""
    versions = len(_routed_versions(census.records(BedrockAgentAlias, account_id, region)))
    return Counter({str(GET_AGENT_VERSION): versions} if versions else {})


def _guardrail_versions_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """One GetGuardrail per numbered guardrail version an agent or agent version names."""
    agents: list[AgentSettings] = [
        *census.records(BedrockAgent, account_id, region),
        *census.records(BedrockAgentVersion, account_id, region),
    ]
    versions = len(_referenced_guardrail_versions(agents))
    return Counter({str(GET_GUARDRAIL): versions} if versions else {})


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
            GET_GUARDRAIL,
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
        BedrockAgentAlias,
        ListPerRecord(
            BedrockAgent,
            Operation("bedrock-agent:ListAgentAliases"),
            "agentAliasSummaries",
            params=lambda agent: {"agentId": agent.agent_id},
            identify=_alias_identity,
            build=_alias,
            parent_key=lambda agent: agent.agent_id,
            child_key=lambda alias: alias.agent_id,
        ),
    ),
    PartCollector(
        BedrockAgentVersion,
        _agent_versions,
        calls=(GET_AGENT_VERSION,),
        depends_on=(BedrockAgent, BedrockAgentAlias),
        minimum=_agent_versions_minimum,
    ),
    PartCollector(
        GuardrailVersion,
        _guardrail_versions,
        calls=(GET_GUARDRAIL,),
        depends_on=(BedrockAgent, BedrockAgentVersion),
        minimum=_guardrail_versions_minimum,
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
