"""Bedrock records: whether a region uses Bedrock, its invocation logging, guardrails (working drafts and the
versions agents run with), agents (drafts, aliases and the versions aliases route to), knowledge bases and their data
sources, and custom models."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, Value, kms_refs, role_refs, s3_refs


class BedrockUsage(Record):
    """Whether a region uses Bedrock, from evidence that costs one cheap read each (one per region, keyed by the
    region's name like `RegionScope`).

    Evidence is what invokes or serves models: Invocations metrics in the AWS/Bedrock namespace (CloudWatch lists
    only metrics with data in the last two weeks), agents, knowledge bases, custom models and provisioned
    throughput. Guardrails and a logging configuration are governance, not use, and do not count. Regions where
    Bedrock is not offered have no record: the scan skips them (`scan.skipped`).
    """

    part: ClassVar[str] = "bedrock.usage"
    service: ClassVar[str] = "bedrock"
    resource_type: ClassVar[str] = "AWS::Region"
    label: ClassVar[str] = "Bedrock usage records"
    arn_resource: ClassVar[str] = "{id}"

    offered: bool = True
    """Always True since snapshot format 1.2 (not-offered regions are skipped); kept so that older snapshots load."""
    invoked_models: tuple[str, ...] = ()
    """ModelId dimensions of AWS/Bedrock Invocations metrics with data in the last two weeks (the first 20)."""
    invoked_model_count: int = 0
    invocation_metrics: bool = False
    """Any AWS/Bedrock Invocations metric with data in the last two weeks, with or without a ModelId."""
    agents: bool = False
    knowledge_bases: bool = False
    custom_models: bool = False
    provisioned_throughput: bool = False

    @property
    def in_use(self) -> bool:
        return bool(self.evidence)

    @property
    def evidence(self) -> list[str]:
        """Why the region counts as using Bedrock, for people; empty when it does not."""
        found = []
        if self.invocation_metrics:
            more = f" and {self.invoked_model_count - 3} more" if self.invoked_model_count > 3 else ""
            models = f" ({', '.join(self.invoked_models[:3])}{more})" if self.invoked_models else ""
            found.append(f"model invocations in the last two weeks{models}")
        found += [
            label
            for label, present in (
                ("agents", self.agents),
                ("knowledge bases", self.knowledge_bases),
                ("custom models", self.custom_models),
                ("provisioned throughput", self.provisioned_throughput),
            )
            if present
        ]
        return found

    def subject_arn(self, service: str) -> str:
        return f"arn:{self.partition}:{service}:{self.region}:{self.account_id}:*"


class InvocationLogDestination(Record):
    """One destination of a region's model invocation logging configuration: the CloudWatch Logs group, the S3
    bucket, or the bucket CloudWatch delivery spills large and binary payloads to. A region without logging has
    none; each destination is judged on its own, so a finding names the one to fix."""

    part: ClassVar[str] = "bedrock.invocation_log_destination"
    service: ClassVar[str] = "bedrock"
    resource_type: ClassVar[str] = "AWS::Bedrock::ModelInvocationLoggingConfiguration"
    label: ClassVar[str] = "model invocation log destinations"
    arn_resource: ClassVar[str] = "model-invocation-logging/{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.S3, RefKind.IAM_ROLE})

    kind: str
    """`cloudwatch-logs`, `s3` or `large-data-s3`."""
    log_group_name: str | None = None
    role_arn: str | None = None
    """The role Bedrock assumes to write to CloudWatch Logs."""
    bucket: str | None = None
    key_prefix: str | None = None
    data_types: tuple[str, ...] = ()
    """The data delivered (text, image, embedding, video, audio), the same for every destination of a region."""

    @property
    def s3_uri(self) -> str | None:
        return f"s3://{self.bucket}/{self.key_prefix or ''}" if self.bucket else None

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from s3_refs(self.s3_uri)


class GuardrailFilter(Value):
    """A content filter of a guardrail, as it applies to prompts (the input side)."""

    type: str
    """HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT or PROMPT_ATTACK."""
    input_strength: str | None = None
    """NONE, LOW, MEDIUM or HIGH."""
    input_action: str | None = None
    """BLOCK or NONE (detect mode: reported in the trace, nothing blocked); None is the AWS default, BLOCK."""
    input_enabled: bool = True


class SensitiveInformationRule(Value):
    """A PII entity type or a named regex of a guardrail's sensitive-information policy (never the pattern)."""

    kind: str
    """`pii` or `regex`."""
    name: str
    input_action: str | None = None
    """BLOCK, ANONYMIZE or NONE (detect mode)."""
    output_action: str | None = None
    input_enabled: bool = True
    output_enabled: bool = True

    @property
    def acts(self) -> bool:
        """Blocks or masks something on at least one side (not detect-only, not disabled on both)."""
        sides = ((self.input_enabled, self.input_action), (self.output_enabled, self.output_action))
        return any(enabled and action not in (None, "NONE") for enabled, action in sides)


class GroundingFilter(Value):
    """A contextual grounding filter of a guardrail: GROUNDING (answers not supported by the source) or RELEVANCE
    (answers off the question), each scored against a threshold."""

    type: str
    threshold: float = 0.0
    """0 to 0.99: answers scoring below it are blocked; 0 blocks nothing."""
    action: str | None = None
    """BLOCK or NONE (detect mode); None: not stated in the answer."""
    enabled: bool | None = None
    """None: not stated in the answer."""


class GuardrailPolicies(Record):
    """What a guardrail's draft and each of its versions configure (each version is an immutable copy)."""

    service: ClassVar[str] = "bedrock"
    resource_type: ClassVar[str] = "AWS::Bedrock::Guardrail"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.KMS_KEY})

    guardrail_id: str
    version: str | None = None
    status: str
    """CREATING, UPDATING, VERSIONING, READY, FAILED or DELETING."""
    content_filters: tuple[GuardrailFilter, ...] = ()
    sensitive_information: tuple[SensitiveInformationRule, ...] = ()
    contextual_grounding: tuple[GroundingFilter, ...] = ()
    kms_key_arn: str | None = None

    def references(self) -> Iterator[Reference]:
        yield from kms_refs(self, self.kms_key_arn)


class Guardrail(GuardrailPolicies):
    """A guardrail's working draft (what ListGuardrails lists and what versions are cut from)."""

    part: ClassVar[str] = "bedrock.guardrail"
    label: ClassVar[str] = "guardrails"
    arn_resource: ClassVar[str] = "guardrail/{id}"

    def matches(self, key: str) -> bool:
        return key in (self.name, self.arn, self.guardrail_id)


def guardrail_id_of(identifier: str) -> str:
    """A guardrail's id from what an agent names it by: its id or its ARN (`...:guardrail/<id>`)."""
    return identifier.rsplit("guardrail/", 1)[-1]


def guardrail_version_key(identifier: str, version: str) -> str:
    """How a guardrail version is looked up: `<guardrail id>:<version>`."""
    return f"{guardrail_id_of(identifier)}:{version}"


class GuardrailVersion(GuardrailPolicies):
    """A numbered guardrail version that an agent (its draft, or a version an alias routes to) runs with: read
    with GetGuardrail(guardrailIdentifier, guardrailVersion). Versions have no ARN of their own: the record's ARN is
    the guardrail's with `:<version>` appended, its name `<guardrail name>:<version>`. A referenced version that does
    not exist is a record too (`found` False), named `<guardrail id>:<version>`."""

    part: ClassVar[str] = "bedrock.guardrail_version"
    label: ClassVar[str] = "guardrail versions agents use"
    arn_resource: ClassVar[str] = "guardrail/{id}"

    found: bool = True
    referenced_by: tuple[str, ...] = ()
    """ARNs of the agents and agent versions that name this guardrail version."""

    def matches(self, key: str) -> bool:
        return key in (self.name, self.arn, f"{self.guardrail_id}:{self.version}")


class AgentSettings(Record):
    """What an agent's working draft and each of its versions configure (a version is an immutable snapshot)."""

    service: ClassVar[str] = "bedrock"
    resource_type: ClassVar[str] = "AWS::Bedrock::Agent"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.IAM_ROLE, RefKind.KMS_KEY})

    agent_id: str
    status: str
    foundation_model: str | None = None
    role_arn: str | None = None
    kms_key_arn: str | None = None
    """customerEncryptionKeyArn; None means a key AWS owns."""
    guardrail_id: str | None = None
    """guardrailConfiguration.guardrailIdentifier (an id or ARN)."""
    guardrail_version: str | None = None

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)
        yield from kms_refs(self, self.kms_key_arn)


class BedrockAgent(AgentSettings):
    """An agent's working draft (GetAgent): what the test alias runs, and what new versions are cut from."""

    part: ClassVar[str] = "bedrock.agent"
    label: ClassVar[str] = "agents"
    arn_resource: ClassVar[str] = "agent/{id}"


_AGENT_ARN = re.compile(r"^(arn:[^:]+:bedrock:[^:]*:[^:]*:agent/[^/:]+)")


def agent_arn_of(arn: str) -> str | None:
    """The agent an agent's (or an agent version's) record ARN belongs to; None for any other ARN."""
    match = _AGENT_ARN.match(arn)
    return match.group(1) if match else None


class BedrockAgentAlias(Record):
    """An alias of an agent: what applications invoke, and the version(s) it routes them to. Summaries carry no
    ARN: the record's is AWS's `agent-alias/<agent id>/<alias id>`, its name `<agent name>/<alias name>`."""

    part: ClassVar[str] = "bedrock.agent_alias"
    service: ClassVar[str] = "bedrock"
    resource_type: ClassVar[str] = "AWS::Bedrock::AgentAlias"
    label: ClassVar[str] = "agent aliases"
    arn_resource: ClassVar[str] = "agent-alias/{id}"

    agent_id: str
    alias_id: str
    status: str
    """CREATING, PREPARED, FAILED, UPDATING, DELETING or DISSOCIATED."""
    invocation_state: str | None = None
    """ACCEPT_INVOCATIONS or REJECT_INVOCATIONS; None: not stated (AWS's default is to accept)."""
    routed_versions: tuple[str, ...] = ()
    """The agent versions the alias routes to (`DRAFT` for the working draft)."""

    @property
    def serves(self) -> bool:
        """Whether applications can invoke it: prepared (or being updated) and accepting invocations."""
        return self.status in ("PREPARED", "UPDATING") and self.invocation_state != "REJECT_INVOCATIONS"


def agent_version_key(agent_id: str, version: str) -> str:
    """How an agent version is looked up: `<agent id>:<version>`."""
    return f"{agent_id}:{version}"


class BedrockAgentVersion(AgentSettings):
    """A numbered agent version that an alias routes to (GetAgentVersion): what production invocations run. Versions
    have no ARN of their own: the record's ARN is the agent's with `:<version>` appended, its name
    `<agent name>:<version>`."""

    part: ClassVar[str] = "bedrock.agent_version"
    label: ClassVar[str] = "agent versions aliases route to"
    arn_resource: ClassVar[str] = "agent/{id}"

    version: str

    def matches(self, key: str) -> bool:
        return key in (self.name, self.arn, agent_version_key(self.agent_id, self.version))


class KnowledgeBase(Record):
    part: ClassVar[str] = "bedrock.knowledge_base"
    service: ClassVar[str] = "bedrock"
    resource_type: ClassVar[str] = "AWS::Bedrock::KnowledgeBase"
    label: ClassVar[str] = "knowledge bases"
    arn_resource: ClassVar[str] = "knowledge-base/{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.IAM_ROLE})

    knowledge_base_id: str
    status: str
    role_arn: str | None = None
    storage_type: str | None = None
    """The vector store: OPENSEARCH_SERVERLESS, RDS, PINECONE..."""

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.role_arn)


class KnowledgeBaseDataSource(Record):
    """A data source of a knowledge base. Data sources have no ARN of their own: the record's ARN is the
    knowledge base's with `/data-source/<id>` appended, and its name is `<knowledge base>/<data source>`."""

    part: ClassVar[str] = "bedrock.data_source"
    service: ClassVar[str] = "bedrock"
    resource_type: ClassVar[str] = "AWS::Bedrock::DataSource"
    label: ClassVar[str] = "knowledge base data sources"
    arn_resource: ClassVar[str] = "knowledge-base/{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.S3, RefKind.KMS_KEY})

    data_source_id: str
    knowledge_base_id: str
    status: str
    source_type: str | None = None
    """S3, WEB, CONFLUENCE, SALESFORCE, SHAREPOINT, CUSTOM..."""
    s3_uris: tuple[str, ...] = ()
    """The S3 bucket (one URI per inclusion prefix) of an S3 data source."""
    kms_key_arn: str | None = None
    """serverSideEncryptionConfiguration.kmsKeyArn: the key for transient data during ingestion."""

    def references(self) -> Iterator[Reference]:
        yield from s3_refs(*self.s3_uris)
        yield from kms_refs(self, self.kms_key_arn)


class CustomModel(Record):
    """A customized (fine-tuned, continued pre-training or distilled) model."""

    part: ClassVar[str] = "bedrock.custom_model"
    service: ClassVar[str] = "bedrock"
    resource_type: ClassVar[str] = "AWS::Bedrock::CustomModel"
    label: ClassVar[str] = "custom models"
    arn_resource: ClassVar[str] = "custom-model/{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.S3, RefKind.KMS_KEY})

    status: str | None = None
    """Creating, Active or Failed (absent from older responses)."""
    base_model_arn: str | None = None
    kms_key_arn: str | None = None
    """modelKmsKeyArn; None means a key AWS manages."""
    training_data_s3_uri: str | None = None
    output_s3_uri: str | None = None
    creation_time: datetime | None = None

    def references(self) -> Iterator[Reference]:
        yield from s3_refs(self.training_data_s3_uri, self.output_s3_uri)
        yield from kms_refs(self, self.kms_key_arn)
