"""Bedrock's other assets: keys on prompts, flows, imported models and evaluation jobs, customization jobs in a VPC,
and provisioned throughput nobody invokes; regions that use Bedrock without Prompt management."""

from __future__ import annotations

from mlaudit.inventory import KmsKey
from mlaudit.inventory.bedrock import BedrockUsage
from mlaudit.inventory.bedrock_assets import (
    EvaluationJob,
    Flow,
    ImportedModel,
    ModelCustomizationJob,
    Prompt,
    ProvisionedThroughput,
    ThroughputInvocations,
)
from mlaudit.inventory.cloudwatch import RETENTION_DAYS, values_since
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Setting,
    Severity,
    check,
    failed,
    ml_lens,
    passed,
    prowler,
)
from mlaudit.sdk.endpoints import metrics_window_start
from mlaudit.sdk.kms import customer_managed_key
from mlaudit.sdk.wording import names


@check(
    id="BR-PROMPT-001",
    name="bedrock-prompt-not-cmk",
    title="Prompts should be encrypted with a customer managed key",
    severity=Severity.LOW,
    pillar=Pillar.SECURITY,
    resource=Prompt,
    uses=(KmsKey,),
    rationale="""Managed prompts hold an application's system instructions, few-shot examples and often fragments of
    real customer data, which is what a prompt-extraction attack is after. Encrypted with a key AWS owns, their use
    cannot be restricted by key policy, audited in CloudTrail or revoked.""",
    judges="""Every prompt of Prompt management (its working draft; versions are cut with the draft's key).""",
    remediation=Remediation(
        text="Set a customer managed KMS key on the prompt (the key policy must allow Bedrock for the roles that "
        "manage and run it), then create new versions.",
        cli="aws bedrock-agent update-prompt --prompt-identifier <prompt-id> --name <name> "
        "--customer-encryption-key-arn <key-arn> --variants file://variants.json",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-management-prereq.html",
        placeholders={"prompt-id": "resource_arn"},
    ),
    references=(ml_lens("MLSEC-02"), prowler("bedrock_prompt_encrypted_with_cmk")),
)
def bedrock_prompt_not_cmk(prompt: Prompt, ctx: CheckContext) -> Outcome | None:
    return customer_managed_key(prompt, prompt.kms_key_arn, ctx, "the prompt")


@check(
    id="BR-PROMPT-002",
    name="bedrock-no-managed-prompts",
    title="Regions that use Bedrock should keep their prompts in Prompt management",
    severity=Severity.LOW,
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    resource=BedrockUsage,
    uses=(Prompt,),
    service="bedrock",
    rationale="""A prompt is part of a generative application as much as its code: a changed system instruction
    changes every answer. Kept in Prompt management, prompts are versioned, reviewed and encrypted with a key the
    account controls (BR-PROMPT-001), and an application names the version it runs; hard-coded in application code or
    notebooks, nobody can say which prompt produced an answer, roll a bad one back or evaluate a new one before it
    ships. Prowler checks that managed prompts exist in every region; mlaudit asks it only of regions that use
    Bedrock.""",
    judges="""One finding per region that uses Bedrock (CloudWatch lists AWS/Bedrock Invocations metrics, or the region
    holds agents, knowledge bases, custom models or provisioned throughput): PASS when Prompt management holds at
    least one prompt, whatever its versions or key, FAIL when it holds none. Regions without that evidence get no
    finding, where Prowler fails every region without prompts.""",
    remediation=Remediation(
        text="Move the application's prompts into Bedrock Prompt management (with a customer managed key), create a "
        "version for each release, and have the application run the prompt version it names.",
        cli="aws bedrock-agent create-prompt --name <name> --customer-encryption-key-arn <key-arn> "
        "--variants file://prompt-variants.json && aws bedrock-agent create-prompt-version --prompt-identifier <id>",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-management.html",
    ),
    references=(ml_lens("MLOE-11"), prowler("bedrock_prompt_management_exists")),
)
def bedrock_no_managed_prompts(usage: BedrockUsage, ctx: CheckContext) -> Outcome | None:
    if not usage.in_use:
        return None
    prompts = sorted(prompt.name for prompt in ctx.all(Prompt))
    if prompts:
        return passed(f"{len(prompts)} prompt(s) in Prompt management: " + names(prompts))
    return failed("Bedrock is in use (" + "; ".join(usage.evidence) + ") but Prompt management holds no prompt")


@check(
    id="BR-FLOW-001",
    name="bedrock-flow-not-cmk",
    title="Flows should be encrypted with a customer managed key",
    severity=Severity.LOW,
    pillar=Pillar.SECURITY,
    resource=Flow,
    uses=(KmsKey,),
    rationale="""A flow's definition chains prompts, models, knowledge bases, agents and Lambda functions: it is the
    application's logic, with its prompts inline. Encrypted with a key AWS owns, access to it cannot be governed
    by key policy, audited in CloudTrail or revoked.""",
    judges="""Every flow (its working draft), whatever its status.""",
    remediation=Remediation(
        text="Set a customer managed KMS key on the flow (its key policy must allow the flow's service role), then "
        "prepare it and create a new version.",
        cli="aws bedrock-agent update-flow --flow-identifier <flow-id> --name <name> --execution-role-arn <role-arn> "
        "--customer-encryption-key-arn <key-arn> --definition file://definition.json",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-flows.html",
        placeholders={"flow-id": "resource_arn"},
    ),
    references=(ml_lens("MLSEC-02"),),
)
def bedrock_flow_not_cmk(flow: Flow, ctx: CheckContext) -> Outcome | None:
    return customer_managed_key(flow, flow.kms_key_arn, ctx, "the flow")


@check(
    id="BR-CMK-002",
    name="bedrock-imported-model-not-cmk",
    title="Imported models should be encrypted with a customer managed key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=ImportedModel,
    uses=(KmsKey,),
    rationale="""An imported model's weights are the organisation's work and were often fine-tuned on its own data,
    which they can leak. Encrypted with a key AWS owns, the model cannot be protected by key policy, audited in
    CloudTrail or made unusable by revoking the key.""",
    judges="""Every imported model; the key is set when the model is imported and cannot be changed.""",
    remediation=Remediation(
        text="Import the model again with a customer managed key (--imported-model-kms-key-id) and retire the old "
        "one: an imported model's key is fixed at import.",
        cli="aws bedrock create-model-import-job --job-name <job> --imported-model-name <model> --role-arn <role-arn> "
        "--model-data-source s3DataSource={s3Uri=<s3-uri>} --imported-model-kms-key-id <key-arn>",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/encryption-import-model.html",
    ),
    references=(ml_lens("MLSEC-02"),),
)
def bedrock_imported_model_not_cmk(model: ImportedModel, ctx: CheckContext) -> Outcome | None:
    return customer_managed_key(model, model.kms_key_arn, ctx, "the model")


@check(
    id="BR-CMK-003",
    name="bedrock-evaluation-job-not-cmk",
    title="Model evaluation jobs should be encrypted with a customer managed key",
    severity=Severity.LOW,
    pillar=Pillar.SECURITY,
    resource=EvaluationJob,
    uses=(KmsKey,),
    rationale="""An evaluation job stores the prompt dataset it ran, the models' answers and the scores human workers
    or a judge model gave: test sets are often drawn from real customer conversations. Without a customer managed
    key that data is encrypted with a key the account cannot audit, restrict or revoke.""",
    judges="""Evaluation jobs (model and RAG, automated and human) created within the scan's --since window, but
    those being deleted.""",
    remediation=Remediation(
        text="Run evaluations with a customer managed KMS key (--customer-encryption-key-id); the key of an "
        "existing job cannot be changed.",
        cli="aws bedrock create-evaluation-job --job-name <job> --role-arn <role-arn> "
        "--evaluation-config file://evaluation.json --inference-config file://inference.json "
        "--output-data-config s3Uri=<s3-uri> --customer-encryption-key-id <key-arn>",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/evaluation-data-management.html",
    ),
    references=(ml_lens("MLSEC-02"),),
)
def bedrock_evaluation_job_not_cmk(job: EvaluationJob, ctx: CheckContext) -> Outcome | None:
    if job.status == "Deleting":
        return None
    return customer_managed_key(job, job.kms_key_id, ctx, "the job's data")


@check(
    id="BR-CUSTOM-001",
    name="bedrock-customization-job-outside-vpc",
    title="Model customization jobs should run in a VPC",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=ModelCustomizationJob,
    rationale="""A customization job reads the training data, often the organisation's most sensitive, from S3 and
    writes the model out. With a VPC configuration it does so from your subnets, through their VPC endpoints, bucket
    policies that require them, security groups and flow logs; without one, over Bedrock's own network, out of reach
    of those controls.""",
    judges="""Model customization jobs (fine-tuning, continued pre-training, distillation) created within the
    scan's --since window, whatever their status: the next job is usually created from the same configuration.""",
    remediation=Remediation(
        text="Create customization jobs with a VPC configuration (private subnets and a security group, with an S3 "
        "gateway endpoint), and restrict the training bucket to that endpoint.",
        cli="aws bedrock create-model-customization-job --job-name <job> --custom-model-name <model> "
        "--role-arn <role-arn> --base-model-identifier <base-model> --training-data-config s3Uri=<s3-uri> "
        "--output-data-config s3Uri=<s3-uri> --hyper-parameters file://hyper-parameters.json "
        "--vpc-config subnetIds=<subnet-id>,securityGroupIds=<sg-id>",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/custom-model-job-access-security.html",
    ),
    references=(ml_lens("MLSEC-04"), ml_lens("MLSEC-08")),
)
def bedrock_customization_job_outside_vpc(job: ModelCustomizationJob, ctx: CheckContext) -> Outcome | None:
    if job.subnet_ids:
        return passed(f"runs in subnet(s) {', '.join(job.subnet_ids)}")
    return failed("no VPC configuration: the job reads its training data from S3 over Bedrock's own network")


@check(
    id="BR-THROUGHPUT-001",
    name="bedrock-provisioned-throughput-idle",
    title="Provisioned throughput that nobody invokes should be deleted",
    severity=Severity.MEDIUM,
    pillar=Pillar.COST,
    resource=ProvisionedThroughput,
    uses=(ThroughputInvocations,),
    settings={
        "idle_days": Setting(
            default=14,
            description="days without invocations after which provisioned throughput is idle",
            lookback=True,
            minimum=1,
            maximum=RETENTION_DAYS,
        )
    },
    rationale="""Provisioned throughput is billed for every model unit every hour, tens of dollars an hour per unit,
    whether or not anything calls it: the most expensive idle resource in Bedrock. Throughput is idle when no
    request named its ARN as modelId (AWS/Bedrock Invocations with that ModelId) over the last idle_days days; a day
    without data is a day without invocations. Throughput bought with a commitment cannot be deleted before its term
    ends, so the finding says when it does.""",
    judges="""Provisioned throughput InService and older than idle_days; throughput being created or updated,
    failed, or younger than the window gets no finding. A scan whose --since is shorter than idle_days reports
    ERROR saying so.""",
    remediation=Remediation(
        text="Delete throughput nobody uses (throughput bought with a commitment can be deleted only once its term "
        "ends: plan not to renew it), and buy no-commitment throughput or use on-demand inference for occasional "
        "workloads.",
        cli="aws bedrock delete-provisioned-model-throughput --provisioned-model-id <provisioned-model-arn>",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/prov-thru-delete.html",
        placeholders={"provisioned-model-arn": "resource_arn"},
    ),
    references=(ml_lens("MLCOST-16"), ml_lens("MLSUS-04"), ml_lens("MLCOST-27")),
)
def bedrock_provisioned_throughput_idle(throughput: ProvisionedThroughput, ctx: CheckContext) -> Outcome | None:
    if throughput.status != "InService":
        return None
    days = ctx.setting("idle_days")
    metrics = ctx.require(ThroughputInvocations, throughput.arn)
    start = metrics_window_start(throughput, metrics, days)
    if start is None:
        return None
    invocations = sum(values_since(metrics.daily, start))
    if invocations:
        return passed(f"{invocations:,.0f} invocations in the last {days} days")
    units = f"{throughput.model_units} model unit(s)"
    if throughput.commitment and throughput.commitment_expiration:
        term = f"; its {throughput.commitment} commitment bills (and keeps it) until {throughput.commitment_expiration:%Y-%m-%d}"
    else:
        term = "; no commitment: deleting it stops the billing"
    return failed(f"no invocations in the last {days} days on {units}{term}")
