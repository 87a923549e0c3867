"""Bedrock: invocation logging, guardrails, agents, knowledge-base data sources and custom models."""

from __future__ import annotations

from mlaudit.inventory import KmsKey, S3Bucket, S3BucketEncryption
from mlaudit.inventory.bedrock import (
    BedrockAgent,
    BedrockUsage,
    CustomModel,
    Guardrail,
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
from mlaudit.sdk.kms import SSE_KMS_ALGORITHMS, customer_managed_key
from mlaudit.sdk.wording import names

IN_USE = """Bedrock counts as in use in a region when CloudWatch lists AWS/Bedrock Invocations metrics (it lists only
metrics with data in the last two weeks) or the region holds agents, knowledge bases, custom models or provisioned
throughput; regions without that evidence get no finding."""

FILTER_STRENGTHS = ("NONE", "LOW", "MEDIUM", "HIGH")


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
    output. {IN_USE}""",
    judges="""One finding per region that uses Bedrock; regions without that evidence get none. Any configured
    destination passes, whatever data it delivers (a configuration that delivers no text passes too).""",
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
    if destinations:
        return passed("model invocations are logged to " + names([d.name for d in destinations]))
    return failed(f"Bedrock is in use ({'; '.join(usage.evidence)}) but model invocation logging is not configured")


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
    problems = [_prompt_attack_problem(guardrail, str(ctx.setting("prompt_attack_strength")).upper())]
    acting = [r.name for r in guardrail.sensitive_information if r.acts]
    if not guardrail.sensitive_information:
        problems.append("no sensitive-information policy")
    elif not acting:
        problems.append("the sensitive-information policy blocks or masks nothing (rules disabled or in detect mode)")
    if any(problems):
        return failed("; ".join(p for p in problems if p))
    return passed("prompt attacks are blocked on input; sensitive information blocked or masked: " + names(acting))


def _prompt_attack_problem(guardrail: Guardrail, required: str) -> str | None:
    """What keeps the prompt-attack filter from blocking attacks at the required strength, if anything."""
    if required not in FILTER_STRENGTHS[1:]:
        raise ValueError(f"the setting prompt_attack_strength must be LOW, MEDIUM or HIGH, not {required!r}")
    prompt_attack = next((f for f in guardrail.content_filters if f.type == "PROMPT_ATTACK"), None)
    if prompt_attack is None:
        return "no prompt-attack filter"
    if not prompt_attack.input_enabled or prompt_attack.input_action == "NONE":
        return "the prompt-attack filter blocks nothing on input (disabled or in detect mode)"
    strength = prompt_attack.input_strength or "NONE"
    if FILTER_STRENGTHS.index(strength) < FILTER_STRENGTHS.index(required):
        return f"the prompt-attack filter's input strength is {strength}, below {required}"
    return None


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
