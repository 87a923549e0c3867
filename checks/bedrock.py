"""Bedrock: invocation logging, guardrails (drafts and the versions agents run with), agents (drafts, aliases and
the versions aliases route to), knowledge-base data sources and custom models."""

from __future__ import annotations

from mlaudit.inventory import KmsKey, S3Bucket, S3BucketEncryption
from mlaudit.inventory.bedrock import (
    BedrockAgent,
    BedrockAgentAlias,
    BedrockAgentVersion,
    BedrockUsage,
    CustomModel,
    Guardrail,
    GuardrailPolicies,
    GuardrailVersion,
    InvocationLogDestination,
    KnowledgeBaseDataSource,
)
from mlaudit.inventory.logs import LogGroup
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Setting,
    Severity,
    check,
    checkov,
    config_rule,
    failed,
    ml_lens,
    passed,
    prowler,
    security_hub,
)
from mlaudit.sdk.guardrails import FILTER_STRENGTHS, acting_rules, guardrail_of, routed_agent, weaknesses
from mlaudit.sdk.kms import SSE_KMS_ALGORITHMS, customer_managed_key
from mlaudit.sdk.wording import names

IN_USE = """Bedrock counts as in use in a region when CloudWatch lists AWS/Bedrock Invocations metrics (it lists only
metrics with data in the last two weeks) or the region holds agents, knowledge bases, custom models or provisioned
throughput; regions without that evidence get no finding."""


@check(
    id="BR-LOGGING-001",
    name="bedrock-invocation-logging-disabled",
    title="Regions that use Bedrock should log model invocations",
    severity=Severity.HIGH,
    pillar=Pillar.RESPONSIBLE_AI,
    resource=BedrockUsage,
    uses=(InvocationLogDestination,),
    service="bedrock",
    rationale=f"""Model invocation logs are the only record of the prompts a generative model received and what it
    answered: without them a harmful or leaked answer cannot be investigated, abuse cannot be detected and a
    responsible-AI review has nothing to look at. CloudTrail records that InvokeModel was called, never its input or
    output, and neither does logging configured with text delivery off (metadata only). {IN_USE}""",
    judges="""Regions that use Bedrock (see the rationale): PASS when invocation logging has a destination and
    delivers text data (prompts and answers); FAIL when logging is off, or on with textDataDeliveryEnabled false
    (metadata, and at most images or embeddings, are logged). Regions without Bedrock use get no finding.""",
    remediation=Remediation(
        text="Turn on model invocation logging in the region, to an S3 bucket and/or a CloudWatch Logs group encrypted "
        "with a customer managed key (Bedrock console: Settings > Model invocation logging).",
        cli="aws bedrock put-model-invocation-logging-configuration --logging-config "
        '\'{"s3Config":{"bucketName":"<bucket>","keyPrefix":"bedrock/"},"textDataDeliveryEnabled":true,'
        '"imageDataDeliveryEnabled":true,"embeddingDataDeliveryEnabled":true}\'',
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html",
    ),
    references=(ml_lens("MLSEC-13"), ml_lens("MLOE-15"), prowler("bedrock_model_invocation_logging_enabled")),
)
def bedrock_invocation_logging_disabled(usage: BedrockUsage, ctx: CheckContext) -> Outcome | None:
    if not usage.in_use:
        return None
    destinations = ctx.all(InvocationLogDestination)
    if not destinations:
        return failed(f"Bedrock is in use ({'; '.join(usage.evidence)}) but model invocation logging is not configured")
    where = names([d.name for d in destinations])
    if any("text" not in d.data_types for d in destinations):
        delivered = ", ".join(destinations[0].data_types) or "metadata only"
        return failed(f"invocation logging to {where} leaves out prompts and answers (text delivery off: {delivered})")
    return passed("model invocations, prompts and answers included, are logged to " + where)


@check(
    id="BR-LOGGING-002",
    name="bedrock-invocation-logs-not-encrypted",
    title="Bedrock invocation logs should be encrypted with KMS",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=InvocationLogDestination,
    uses=(S3Bucket, S3BucketEncryption, LogGroup),
    rationale="""Invocation logs hold every prompt and answer in full, often with customer data and personal
    information, so they deserve the protection of the most sensitive data the models see: a KMS key whose use is
    logged and can be revoked. Each destination is judged on its own: the CloudWatch Logs group, the S3 bucket, and
    the bucket CloudWatch delivery writes large and image payloads to (a case the obvious rule misses). Buckets of
    other accounts are not judged.""",
    judges="""Each destination of a region's invocation logging: the log group (one that does not exist fails, any
    KMS key passes) and this account's bucket and large-payload bucket (SSE-KMS or DSSE-KMS default encryption
    passes, stricter than Prowler, which accepts any default encryption). Buckets of other accounts, or that no
    longer exist, get no finding here: S3-ML-007 judges them.""",
    remediation=Remediation(
        text="Associate a customer managed KMS key with the log group (its key policy must allow the CloudWatch Logs "
        "service principal), and set the buckets' default encryption to SSE-KMS.",
        cli="aws logs associate-kms-key --log-group-name <log-group> --kms-key-id <key-arn> && "
        "aws s3api put-bucket-encryption --bucket <bucket> --server-side-encryption-configuration "
        '\'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"<key-arn>"},'
        '"BucketKeyEnabled":true}]}\'',
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/model-invocation-logging.html",
    ),
    references=(
        ml_lens("MLSEC-02"),
        config_rule("cloudwatch-log-group-encrypted"),
        config_rule("s3-default-encryption-kms"),
        prowler("bedrock_model_invocation_logs_encryption_enabled"),
    ),
)
def bedrock_invocation_logs_not_encrypted(destination: InvocationLogDestination, ctx: CheckContext) -> Outcome | None:
    if destination.log_group_name:
        group = ctx.get(LogGroup, destination.log_group_name)
        if group is None:
            return failed("the log group does not exist, so no invocation log is delivered; create it with a KMS key")
        if group.kms_key_id:
            return passed(f"the log group is encrypted with {group.kms_key_id}")
        return failed("the log group has no KMS key: prompts and answers are readable by anyone with logs:GetLogEvents")
    bucket = ctx.get(S3Bucket, destination.bucket or "")
    if bucket is None or not bucket.in_account:
        return None
    encryption = ctx.require(S3BucketEncryption, bucket.arn)
    role = "large-payload bucket" if destination.kind == "large-data-s3" else "bucket"
    if encryption.algorithm in SSE_KMS_ALGORITHMS:
        return passed(f"the {role} {bucket.name} is encrypted with {encryption.algorithm} by default")
    actual = f"{encryption.algorithm} (SSE-S3)" if encryption.algorithm else "not set"
    return failed(f"the {role} {bucket.name} is not SSE-KMS: its default encryption is {actual}")


@check(
    id="BR-GUARDRAIL-001",
    name="bedrock-no-guardrail",
    title="Regions that use Bedrock should have a guardrail ready to apply",
    severity=Severity.MEDIUM,
    pillar=Pillar.RESPONSIBLE_AI,
    resource=BedrockUsage,
    uses=(Guardrail,),
    service="bedrock",
    rationale=f"""Foundation models answer prompt injections, produce harmful content and repeat personal data unless
    something filters their input and output; a guardrail is Bedrock's filter, and applications can only use one
    that exists and is READY. The configuration cannot show which requests pass a guardrail, so this is the floor,
    not the whole control. {IN_USE}""",
    judges="""One finding per region that uses Bedrock; regions without that evidence get none. One READY guardrail
    passes the region, whatever its filters (BR-GUARDRAIL-002 judges those); guardrails creating, updating,
    versioning or FAILED do not count.""",
    remediation=Remediation(
        text="Create a guardrail with content filters (including prompt attacks on input), denied topics and a "
        "sensitive-information policy, publish a version, and pass it on every InvokeModel/Converse call and agent.",
        cli="aws bedrock create-guardrail --name <name> --blocked-input-messaging <message> "
        "--blocked-outputs-messaging <message> --content-policy-config file://content-policy.json "
        "--sensitive-information-policy-config file://pii-policy.json",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails.html",
    ),
    references=(ml_lens("MLSEC-11"), prowler("bedrock_guardrails_configured")),
)
def bedrock_no_guardrail(usage: BedrockUsage, ctx: CheckContext) -> Outcome | None:
    if not usage.in_use:
        return None
    guardrails = ctx.all(Guardrail)
    ready = sorted(g.name for g in guardrails if g.status == "READY")
    if ready:
        return passed("guardrails ready: " + names(ready))
    if guardrails:
        return failed("no guardrail is READY: " + names([f"{g.name} is {g.status}" for g in guardrails]))
    return failed("Bedrock is in use (" + "; ".join(usage.evidence) + ") but the region has no guardrail")


@check(
    id="BR-GUARDRAIL-002",
    name="bedrock-guardrail-weak",
    title="Guardrails should block prompt attacks strongly and filter sensitive information",
    severity=Severity.MEDIUM,
    pillar=Pillar.RESPONSIBLE_AI,
    resource=Guardrail,
    settings={
        "prompt_attack_strength": Setting(
            default="HIGH",
            description="the weakest prompt-attack input filter strength accepted",
            choices=FILTER_STRENGTHS[1:],
        )
    },
    rationale="""Prompt injection and jailbreaks are the most common attacks on generative AI applications, and only
    the prompt-attack filter at a high strength stops most of them; a guardrail without a sensitive-information
    policy lets personal data flow into prompts and out of answers. The logic refines the obvious rule with what
    the API allows: a filter or policy in detect mode (action NONE) or disabled on input blocks nothing, so it
    does not count. The working draft is judged, since published versions are cut from it.""",
    judges="""The working draft of every guardrail except those being deleted, so guardrails CREATING, UPDATING or
    FAILED are judged too; published versions are not read.""",
    remediation=Remediation(
        text="Set the PROMPT_ATTACK content filter's input strength to HIGH with the BLOCK action, and add a "
        "sensitive-information policy that blocks or masks the PII types (and custom patterns) your data holds; then "
        "publish a new guardrail version.",
        cli="aws bedrock update-guardrail --guardrail-identifier <guardrail-id> --name <name> "
        "--blocked-input-messaging <message> --blocked-outputs-messaging <message> "
        "--content-policy-config file://content-policy.json "
        "--sensitive-information-policy-config file://pii-policy.json "
        "&& aws bedrock create-guardrail-version --guardrail-identifier <guardrail-id>",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-prompt-attack.html",
        placeholders={"guardrail-id": "resource_arn"},
    ),
    references=(
        ml_lens("MLSEC-11"),
        prowler("bedrock_guardrail_prompt_attack_filter_enabled"),
        prowler("bedrock_guardrail_sensitive_information_filter_enabled"),
    ),
)
def bedrock_guardrail_weak(guardrail: Guardrail, ctx: CheckContext) -> Outcome | None:
    if guardrail.status == "DELETING":
        return None
    problems = weaknesses(guardrail, str(ctx.setting("prompt_attack_strength")).upper())
    if problems:
        return failed("; ".join(problems))
    acting = names(acting_rules(guardrail))
    return passed("prompt attacks are blocked on input; sensitive information blocked or masked: " + acting)


@check(
    id="BR-AGENT-001",
    name="bedrock-agent-no-guardrail",
    title="Bedrock agents should use a guardrail",
    severity=Severity.MEDIUM,
    pillar=Pillar.RESPONSIBLE_AI,
    resource=BedrockAgent,
    rationale="""An agent acts on a user's words: it calls APIs through its action groups and reads knowledge bases,
    so a prompt injection can make it do, not just say, the wrong thing. A guardrail associated with the agent
    screens every user input and every model answer of its sessions, whichever application invokes it.""",
    judges="""Every Bedrock agent (its working draft) except agents being deleted. Any guardrail the agent names
    passes it, a version or DRAFT, without checking that the guardrail exists or is READY.""",
    remediation=Remediation(
        text="Associate a guardrail version with the agent (Bedrock console: Agents > <agent> > Edit in Agent "
        "builder > Guardrail details), then prepare the agent and update its aliases.",
        cli="aws bedrock-agent update-agent --agent-id <agent-id> --agent-name <name> "
        "--agent-resource-role-arn <role-arn> --foundation-model <model-id> "
        "--guardrail-configuration guardrailIdentifier=<guardrail-id>,guardrailVersion=<version> "
        "&& aws bedrock-agent prepare-agent --agent-id <agent-id>",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/agents-guardrail.html",
        placeholders={"agent-id": "resource_id"},
    ),
    references=(ml_lens("MLSEC-11"), prowler("bedrock_agent_guardrail_enabled"), checkov("CKV_AWS_383")),
)
def bedrock_agent_no_guardrail(agent: BedrockAgent, ctx: CheckContext) -> Outcome | None:
    if agent.status == "DELETING":
        return None
    if agent.guardrail_id:
        return passed(f"uses guardrail {agent.guardrail_id} version {agent.guardrail_version or 'DRAFT'}")
    return failed("no guardrail is associated with the agent")


@check(
    id="BR-AGENT-002",
    name="bedrock-agent-alias-version-no-guardrail",
    title="The agent versions aliases route to should use a guardrail",
    severity=Severity.MEDIUM,
    pillar=Pillar.RESPONSIBLE_AI,
    resource=BedrockAgentAlias,
    uses=(BedrockAgent, BedrockAgentVersion),
    rationale="""Applications invoke an agent through an alias, and the alias runs the version it routes to: an
    immutable snapshot of the agent as it was when the version was cut. A guardrail added to the working draft
    afterwards protects nothing in production until a new version is cut and the alias moved to it, so the draft's
    guardrail (BR-AGENT-001) says little about what users meet. This check reads the versions themselves.""",
    judges="""Aliases that serve invocations (PREPARED or UPDATING, not set to reject invocations); each version
    they route to is read with GetAgentVersion (DRAFT: the working draft). Aliases being created, failed,
    deleting or dissociated get no finding. A routed version that no longer exists fails.""",
    remediation=Remediation(
        text="Associate a guardrail version with the agent's draft and prepare it, then cut a version from the draft "
        "(an alias created without a routing configuration does so) and route the application's alias to it.",
        cli="aws bedrock-agent prepare-agent --agent-id <agent-id> && "
        "aws bedrock-agent create-agent-alias --agent-id <agent-id> --agent-alias-name <alias-name>",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/agents-deploy.html",
    ),
    references=(ml_lens("MLSEC-11"),),
)
def bedrock_agent_alias_version_no_guardrail(alias: BedrockAgentAlias, ctx: CheckContext) -> Outcome | None:
    if not alias.serves:
        return None
    unguarded = []
    for version in alias.routed_versions:
        agent = routed_agent(alias.agent_id, version, alias, ctx)
        if agent is None:
            unguarded.append(f"version {version}, which no longer exists")
        elif not agent.guardrail_id:
            unguarded.append(f"version {version}, which has no guardrail")
    if unguarded:
        return failed("routes invocations to " + names(unguarded))
    if not alias.routed_versions:
        return failed("routes to no agent version")
    return passed("every version it routes to uses a guardrail: " + names(list(alias.routed_versions)))


@check(
    id="BR-AGENT-003",
    name="bedrock-agent-guardrail-version-unusable",
    title="The guardrail version an agent runs with should exist, be ready and be strong",
    severity=Severity.MEDIUM,
    pillar=Pillar.RESPONSIBLE_AI,
    resource=(BedrockAgent, BedrockAgentVersion),
    uses=(Guardrail, GuardrailVersion),
    settings={
        "prompt_attack_strength": Setting(
            default="HIGH",
            description="the weakest prompt-attack input filter strength accepted ("
            + ", ".join(FILTER_STRENGTHS[1:])
            + ")",
        )
    },
    rationale="""An agent names a guardrail and a version of it; a version is an immutable copy of the guardrail
    as it was when cut, so a strong working draft says nothing about the version 3 that production agents run
    with, and a version that was deleted, or never published, leaves the agent's sessions unscreened. The version
    is read as the agent names it and judged like a guardrail (BR-GUARDRAIL-002): prompt attacks blocked on input
    at the required strength, and sensitive information blocked or masked.""",
    judges="""Agents' working drafts and the numbered versions aliases route to, when they name a guardrail
    (those without one are BR-AGENT-001's and BR-AGENT-002's). FAIL when the guardrail version does not exist, is
    not READY, or is weak; DRAFT (or no version) judges the guardrail's working draft. Agents being deleted get
    no finding.""",
    remediation=Remediation(
        text="Publish a version of a strong guardrail (prompt-attack filter HIGH on input, a sensitive-information "
        "policy that blocks or masks), associate that version with the agent, and cut a new agent version for its "
        "aliases.",
        cli="aws bedrock create-guardrail-version --guardrail-identifier <guardrail-id> && "
        "aws bedrock-agent update-agent --agent-id <agent-id> --agent-name <name> --agent-resource-role-arn "
        "<role-arn> --foundation-model <model-id> "
        "--guardrail-configuration guardrailIdentifier=<guardrail-id>,guardrailVersion=<version>",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-test.html",
    ),
    references=(ml_lens("MLSEC-11"),),
)
def bedrock_agent_guardrail_version_unusable(
    agent: BedrockAgent | BedrockAgentVersion, ctx: CheckContext
) -> Outcome | None:
    if agent.status == "DELETING" or not agent.guardrail_id:
        return None
    named = f"guardrail {agent.guardrail_id} version {agent.guardrail_version or 'DRAFT'}"
    guardrail = guardrail_of(agent, ctx)
    if guardrail is None or (isinstance(guardrail, GuardrailVersion) and not guardrail.found):
        return failed(f"runs with {named}, which does not exist: its sessions are not screened")
    if guardrail.status != "READY":
        return failed(f"runs with {named}, which is {guardrail.status}")
    problems = weaknesses(guardrail, str(ctx.setting("prompt_attack_strength")).upper())
    if problems:
        return failed(f"runs with {named}, which is weak: " + "; ".join(problems))
    return passed(f"runs with {named}: READY, blocks prompt attacks and filters sensitive information")


GUARDRAIL_RESOURCES = (Guardrail, GuardrailVersion)
"""Guardrail checks judge working drafts and the numbered versions agents run with alike."""
GUARDRAIL_STATES = """Working drafts (ListGuardrails) and the numbered versions agents or the versions their aliases
route to run with (GetGuardrail with guardrailVersion); guardrails being deleted, and referenced versions that do
not exist (BR-AGENT-003), get no finding."""


def _judged(guardrail: GuardrailPolicies) -> bool:
    return guardrail.status != "DELETING" and not (isinstance(guardrail, GuardrailVersion) and not guardrail.found)


@check(
    id="BR-GUARDRAIL-003",
    name="bedrock-guardrail-no-contextual-grounding",
    title="Guardrails should block ungrounded and irrelevant answers",
    severity=Severity.LOW,
    pillar=Pillar.RESPONSIBLE_AI,
    resource=GUARDRAIL_RESOURCES,
    rationale="""Retrieval-augmented applications and agents answer from documents, and models still invent facts
    the sources do not hold or answer beside the question. A guardrail's contextual grounding policy scores every
    answer against its source (GROUNDING) and the question (RELEVANCE) and blocks answers below a threshold; a
    filter in detect mode, disabled or with a threshold of 0 blocks nothing.""",
    judges=GUARDRAIL_STATES
    + """ PASS when both GROUNDING and RELEVANCE filters block (action BLOCK, and not disabled; an action or
    enabled flag the answer leaves out counts as blocking, as filters created before detect mode existed do) with
    a threshold above 0.""",
    remediation=Remediation(
        text="Add a contextual grounding policy with GROUNDING and RELEVANCE filters (thresholds such as 0.7), "
        "then publish a new guardrail version for the agents and applications that use it.",
        cli="aws bedrock update-guardrail --guardrail-identifier <guardrail-id> --name <name> "
        "--blocked-input-messaging <message> --blocked-outputs-messaging <message> "
        "--contextual-grounding-policy-config "
        '\'{"filtersConfig":[{"type":"GROUNDING","threshold":0.7},{"type":"RELEVANCE","threshold":0.7}]}\'',
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-contextual-grounding-check.html",
    ),
    references=(ml_lens("MLSEC-11"), prowler("bedrock_guardrail_contextual_grounding_filter_enabled")),
)
def bedrock_guardrail_no_contextual_grounding(guardrail: GuardrailPolicies, ctx: CheckContext) -> Outcome | None:
    if not _judged(guardrail):
        return None
    filters = {f.type: f for f in guardrail.contextual_grounding}
    problems = []
    for kind in ("GROUNDING", "RELEVANCE"):
        f = filters.get(kind)
        if f is None:
            problems.append(f"no {kind} filter")
        elif f.enabled is False or f.action == "NONE":
            problems.append(f"the {kind} filter blocks nothing (disabled or in detect mode)")
        elif f.threshold <= 0:
            problems.append(f"the {kind} filter's threshold is 0, which no answer falls below")
    if problems:
        return failed("; ".join(problems))
    return passed(
        f"blocks ungrounded answers (threshold {filters['GROUNDING'].threshold:g}) and irrelevant ones "
        f"(threshold {filters['RELEVANCE'].threshold:g})"
    )


@check(
    id="BR-GUARDRAIL-004",
    name="bedrock-guardrail-not-cmk",
    title="Guardrails should be encrypted with a customer managed key",
    severity=Severity.LOW,
    pillar=Pillar.SECURITY,
    resource=GUARDRAIL_RESOURCES,
    uses=(KmsKey,),
    rationale="""A guardrail holds an organisation's safety policy in clear terms: its denied topics with example
    prompts, its word lists and its regular expressions for internal identifiers describe what the business most
    wants to keep out of its models. Encrypted with a key AWS owns, neither who reads it nor its deletion can be
    governed by a key policy, audited in CloudTrail or revoked.""",
    judges=GUARDRAIL_STATES,
    remediation=Remediation(
        text="Set a customer managed KMS key on the guardrail (its key policy must let Bedrock use it for the roles "
        "that manage the guardrail), then publish a new version: existing versions keep the key they were cut "
        "with.",
        cli="aws bedrock update-guardrail --guardrail-identifier <guardrail-id> --name <name> "
        "--blocked-input-messaging <message> --blocked-outputs-messaging <message> --kms-key-id <key-arn>",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions-kms.html",
    ),
    references=(ml_lens("MLSEC-02"),),
)
def bedrock_guardrail_not_cmk(guardrail: GuardrailPolicies, ctx: CheckContext) -> Outcome | None:
    if not _judged(guardrail):
        return None
    return customer_managed_key(guardrail, guardrail.kms_key_arn, ctx, "the guardrail's policies")


@check(
    id="BR-KB-001",
    name="bedrock-data-source-not-cmk",
    title="Knowledge-base data sources should encrypt ingestion data with a customer managed key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=KnowledgeBaseDataSource,
    uses=(KmsKey,),
    rationale="""A knowledge base ingests an organisation's documents, often its most sensitive ones, and Bedrock
    stores them transiently while it chunks and embeds them. Without a customer managed key that data is encrypted
    with a key you cannot audit, restrict or revoke.""",
    judges="""Every knowledge-base data source except those being deleted, whatever its source type. The key is
    looked up: a customer managed key, or any key of another account, passes; no key, an AWS managed key or a key
    that no longer exists fails.""",
    remediation=Remediation(
        text="Set a customer managed KMS key in the data source's server-side encryption configuration (its key policy "
        "must allow the knowledge base's service role), then re-run ingestion.",
        cli="aws bedrock-agent update-data-source --knowledge-base-id <kb-id> --data-source-id <data-source-id> "
        "--name <name> --data-source-configuration file://data-source.json "
        "--server-side-encryption-configuration kmsKeyArn=<key-arn>",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-kb.html",
    ),
    references=(
        ml_lens("MLSEC-02"),
        security_hub("Bedrock.1"),
        config_rule("bedrock-data-source-encryption-enabled"),
        prowler("bedrock_knowledge_base_encrypted_with_cmk"),
    ),
)
def bedrock_data_source_not_cmk(data_source: KnowledgeBaseDataSource, ctx: CheckContext) -> Outcome | None:
    if data_source.status == "DELETING":
        return None
    return customer_managed_key(data_source, data_source.kms_key_arn, ctx, "the ingested data")


@check(
    id="BR-CMK-001",
    name="bedrock-custom-model-not-cmk",
    title="Custom models and agents should be encrypted with a customer managed key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=(CustomModel, BedrockAgent),
    uses=(KmsKey,),
    rationale="""A customized model's weights are derived from its training data and can leak it; an agent's
    configuration and session data hold instructions, prompts and tool results. Encrypted with a key AWS owns or
    manages, neither can be protected by key policy, audited key use or revocation. Failed customizations hold no
    model and are not judged.""",
    judges="""Every custom model except failed customizations, and every agent except those being deleted. The key
    is looked up: a customer managed key, or any key of another account, passes; no key, an AWS managed key or a key
    that no longer exists fails, whatever the key's state (KMS-ML-001 judges that).""",
    remediation=Remediation(
        text="Custom model keys are fixed at creation: re-run the customization job with --custom-model-kms-key-id "
        "and retire the old model. Agents take a key by update.",
        cli="aws bedrock create-model-customization-job --job-name <job> --custom-model-name <model> "
        "--role-arn <role-arn> --base-model-identifier <base-model> --training-data-config s3Uri=<s3-uri> "
        "--output-data-config s3Uri=<s3-uri> "
        "--hyper-parameters file://hyper-parameters.json --custom-model-kms-key-id <key-arn>",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-custom-job.html",
    ),
    references=(ml_lens("MLSEC-02"), prowler("bedrock_custom_model_encrypted_with_cmk"), checkov("CKV_AWS_373")),
)
def bedrock_custom_model_not_cmk(resource: CustomModel | BedrockAgent, ctx: CheckContext) -> Outcome | None:
    if isinstance(resource, CustomModel) and resource.status == "Failed":
        return None
    if isinstance(resource, BedrockAgent) and resource.status == "DELETING":
        return None
    return customer_managed_key(
        resource, resource.kms_key_arn, ctx, "the model" if isinstance(resource, CustomModel) else "the agent"
    )
