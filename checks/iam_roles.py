"""Execution roles: what a notebook, training job, model or agent can do in the account when it runs."""

from __future__ import annotations

from mlaudit.inventory import IamRole
from mlaudit.inventory.iam import IamRolePolicies
from mlaudit.inventory.policies import PolicyStatement
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
from mlaudit.sdk.iam import (
    ADMIN_POLICY,
    FULL_ACCESS_POLICY,
    aws_full_access_policies,
    is_aws_managed_policy,
    wildcard_grants,
)
from mlaudit.sdk.wording import first_users, names, short_arn, used_by


@check(
    id="IAM-ML-001",
    name="execution-role-full-access",
    title="Execution roles should not have AmazonSageMakerFullAccess",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=IamRole,
    rationale="""AmazonSageMakerFullAccess lets a role create, change and delete every SageMaker resource in the
    account and pass roles to them. Given to an execution role, it means any code that runs as the role (a
    notebook user's script, a training container, a model) can deploy models, read other teams' data and escalate
    its own privileges.""",
    judges="""Every IAM role of the scanned account that an ML resource runs as (notebooks, models, jobs,
    monitoring, pipelines, feature groups, Studio domains' default role, Bedrock agents and invocation logging);
    roles of other accounts and roles that no longer exist get no finding. Only the AWS managed
    AmazonSageMakerFullAccess attached to the role fails it (AmazonBedrockFullAccess is not looked for).""",
    remediation=Remediation(
        text="Replace the managed policy with a policy scoped to what the workload does: the buckets, keys and "
        "SageMaker actions it needs (SageMaker Role Manager generates one from ML activities).",
        cli="aws iam detach-role-policy --role-name <role> --policy-arn arn:aws:iam::aws:policy/AmazonSageMakerFullAccess",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/role-manager.html",
        placeholders={"role": "resource_name"},
    ),
    references=(ml_lens("MLSEC-03"),),
)
def execution_role_full_access(role: IamRole, ctx: CheckContext) -> Outcome | None:
    if any(is_aws_managed_policy(arn, FULL_ACCESS_POLICY) for arn in role.attached_policy_arns):
        users = first_users(role.used_by)
        return failed(f"{FULL_ACCESS_POLICY} is attached; the role runs {role.use_count} ML resource(s): {users}")
    return passed(f"{FULL_ACCESS_POLICY} is not attached")


@check(
    id="IAM-ML-002",
    name="execution-role-wildcard-permissions",
    title="Execution roles should not be granted wildcard actions on every resource",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=IamRole,
    uses=(IamRolePolicies,),
    rationale="""Whatever runs as an execution role (a notebook user's code, a training container, a third-party model)
    can do everything the role allows. An Allow of "*" or of a whole service ("s3:*", "sagemaker:*") on every
    resource without a condition turns one compromised dependency into access to every bucket, key or endpoint in
    the account. Inline and customer managed policies are read; beyond the obvious rule, an Allow with NotAction on
    every resource is flagged too, and so is the AWS managed AdministratorAccess policy.""",
    judges="""The inline and customer managed policies of every ML execution role of the scanned account, and
    AdministratorAccess attached to it; an Allow with a condition or on named resources passes, and other AWS
    managed policies are not read. It covers Checkov's CKV2_AWS_68 in part: Checkov flags Action * in a notebook
    role's policy whatever its resources.""",
    remediation=Remediation(
        text="Replace the wildcard statements with the actions the workload needs, on the buckets, keys and SageMaker "
        "resources it uses (IAM Access Analyzer can generate a policy from the role's CloudTrail activity).",
        cli="aws iam put-role-policy --role-name <role> --policy-name <policy> --policy-document file://scoped-policy.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html",
        placeholders={"role": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-03"),
        security_hub("IAM.1"),
        security_hub("IAM.21"),
        config_rule("iam-policy-no-statements-with-admin-access"),
        config_rule("iam-policy-no-statements-with-full-access"),
        checkov("CKV2_AWS_68"),
    ),
)
def execution_role_wildcard_permissions(role: IamRole, ctx: CheckContext) -> Outcome | None:
    admin = any(is_aws_managed_policy(arn, ADMIN_POLICY) for arn in role.attached_policy_arns)
    problems = [f"the AWS managed policy {ADMIN_POLICY} allows * on every resource"] if admin else []
    for policy in ctx.require(IamRolePolicies, role.arn).policies:
        grants = [grant for statement in policy.statements for grant in wildcard_grants(statement)]
        if grants:
            problems.append(f"{policy.label} allows {names(sorted(set(grants)), limit=4)} on every resource")
    if problems:
        return failed("; ".join(problems))
    return passed("no Allow of * or service:* on every resource without a condition")


CONFUSED_DEPUTY_KEYS = frozenset({"aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceorgpaths"})


@check(
    id="IAM-ML-003",
    name="execution-role-trust-confused-deputy",
    title="Execution roles should trust SageMaker and Bedrock only on behalf of the account",
    severity=Severity.LOW,
    pillar=Pillar.SECURITY,
    resource=IamRole,
    settings={
        "service_principals": Setting(
            default=("sagemaker.amazonaws.com", "bedrock.amazonaws.com"),
            description="service principals whose trust must be scoped to the account",
        )
    },
    rationale="""A trust policy that lets the SageMaker or Bedrock service principal assume a role without saying
    on whose behalf relies on the service alone to never act for someone else with it: the cross-service confused
    deputy problem. The aws:SourceAccount or aws:SourceArn condition keys (aws:SourceOrgID or aws:SourceOrgPaths
    for an organization) let the service assume the role only when it acts for your own resources, a cheap defence
    in depth that AWS recommends for every service role.""",
    judges="""ML execution roles whose trust policy allows a watched service principal (SageMaker and Bedrock by
    default); roles trusted only by other principals get no finding. Each Allow that trusts a watched principal
    needs aws:SourceAccount, aws:SourceArn, aws:SourceOrgID or aws:SourceOrgPaths.""",
    remediation=Remediation(
        text='Add a condition to each Allow statement that trusts the service, e.g. "Condition": {"StringEquals": '
        '{"aws:SourceAccount": "<account-id>"}} (aws:SourceArn can narrow it further, to some SageMaker resources).',
        cli="aws iam update-assume-role-policy --role-name <role> --policy-document file://trust-with-source-account.json",
        url="https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
        placeholders={"role": "resource_name"},
    ),
    references=(ml_lens("MLSEC-03"), ml_lens("MLSEC-08")),
)
def execution_role_trust_confused_deputy(role: IamRole, ctx: CheckContext) -> Outcome | None:
    watched = set(ctx.setting("service_principals"))

    def trusted(statement: PolicyStatement) -> set[str]:
        return watched & set(statement.service_principals()) if statement.allows else set()

    trusting = [(s, principals) for s in role.trust_statements if (principals := trusted(s))]
    if not trusting:
        return None
    unscoped = sorted(
        {p for s, principals in trusting if not s.condition_keys() & CONFUSED_DEPUTY_KEYS for p in principals}
    )
    if unscoped:
        return failed(f"trusts {names(unscoped)} without aws:SourceAccount or aws:SourceArn")
    scoped = sorted({p for _, principals in trusting for p in principals})
    return passed(f"trust in {names(scoped)} is limited by aws:SourceAccount, aws:SourceArn or the organization")


@check(
    id="IAM-ML-004",
    name="execution-role-shared-widely",
    title="An execution role should not be shared by many ML resources",
    severity=Severity.INFO,
    pillar=Pillar.SECURITY,
    resource=IamRole,
    settings={
        "max_resources": Setting(
            default=10, description="how many ML resources may share one execution role", minimum=1
        )
    },
    rationale="""A role shared by many notebooks, models and jobs must allow the union of everything they do, so each
    of them gets far more than it needs, and neither CloudTrail nor the role's last-used data can tell them apart.
    One role per team, workload or pipeline step keeps permissions least-privilege and access auditable.""",
    judges="""Every ML execution role of the scanned account, by the number of ML resources of this scan that run as
    it (resources outside the scanned regions and the lookback window are not counted).""",
    remediation=Remediation(
        text="Split the role: create one execution role per workload with only what it needs (SageMaker Role Manager "
        "has personas for data scientists, MLOps and services), and move resources to them as they are redeployed.",
        cli="aws iam create-role --role-name <workload>-sagemaker-execution --assume-role-policy-document file://trust.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/role-manager.html",
    ),
    references=(ml_lens("MLSEC-03"), ml_lens("MLOE-04")),
)
def execution_role_shared_widely(role: IamRole, ctx: CheckContext) -> Outcome | None:
    limit = ctx.setting("max_resources")
    if role.use_count > limit:
        users = first_users(role.used_by)
        return failed(f"{used_by(role.use_count)}, more than {limit}: {users}")
    return passed(f"{used_by(role.use_count)} (at most {limit} allowed)")


@check(
    id="IAM-ML-005",
    name="execution-role-aws-full-access-policy",
    title="Execution roles should not have AWS managed full-access policies",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=IamRole,
    rationale="""AWS managed *FullAccess policies (AmazonBedrockFullAccess, AmazonS3FullAccess...) allow every action
    of a service on every resource. On an execution role, whatever runs as it (an agent steered by a prompt
    injection, a training container, a third-party model) can change guardrails and logging, read every bucket or
    create resources the workload never needed. AmazonSageMakerFullAccess is IAM-ML-001's.""",
    judges="""Every ML execution role (the roles ML resources, Bedrock agents, flows and AgentCore resources run as)
    of the scanned account; any AWS managed policy whose name ends in FullAccess fails it, but
    AmazonSageMakerFullAccess (IAM-ML-001). Customer managed policies are IAM-ML-002's.""",
    remediation=Remediation(
        text="Replace the full-access policies with a policy scoped to the actions and resources the workload uses "
        "(IAM Access Analyzer can generate one from the role's CloudTrail activity).",
        cli="aws iam detach-role-policy --role-name <role> --policy-arn arn:aws:iam::aws:policy/AmazonBedrockFullAccess",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/security-iam-awsmanpol.html",
        placeholders={"role": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-03"),
        prowler("bedrock_full_access_policy_attached"),
        prowler("bedrock_agent_role_least_privilege"),
    ),
)
def execution_role_aws_full_access_policy(role: IamRole, ctx: CheckContext) -> Outcome | None:
    full = [name for name in aws_full_access_policies(role.attached_policy_arns) if name != FULL_ACCESS_POLICY]
    if full:
        users = first_users(role.used_by)
        return failed(f"AWS managed {names(full)} attached; the role runs {role.use_count} ML resource(s): {users}")
    return passed("no AWS managed full-access policy but IAM-ML-001's is attached")


@check(
    id="IAM-ML-006",
    name="execution-role-no-permissions-boundary",
    title="Execution roles should have a permissions boundary",
    severity=Severity.LOW,
    pillar=Pillar.SECURITY,
    resource=IamRole,
    settings={
        "boundaries": Setting(
            default=(),
            description="the permissions boundary policies (names or ARNs) accepted; empty: any boundary",
        )
    },
    rationale="""A permissions boundary caps what a role's policies can ever grant, whoever edits them: teams that
    manage their own ML roles, or a pipeline that attaches policies, cannot give an agent or a notebook more than the
    boundary allows. Organisations that delegate role creation to ML teams rely on it; a role created without one
    escapes the cap.""",
    judges="""Every ML execution role of the scanned account; with the boundaries setting, only the listed
    boundary policies count (by name or ARN).""",
    remediation=Remediation(
        text="Set the organisation's permissions boundary on the role (and require it, with an SCP or the policy of "
        "those who create roles, for every new ML role).",
        cli="aws iam put-role-permissions-boundary --role-name <role> --permissions-boundary <policy-arn>",
        url="https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html",
        placeholders={"role": "resource_name"},
    ),
    references=(ml_lens("MLSEC-03"), ml_lens("MLSEC-08"), prowler("bedrock_agent_role_least_privilege")),
)
def execution_role_no_permissions_boundary(role: IamRole, ctx: CheckContext) -> Outcome | None:
    boundary = role.permissions_boundary_arn
    if boundary is None:
        return failed(f"no permissions boundary; the role runs {role.use_count} ML resource(s)")
    accepted = set(ctx.setting("boundaries"))
    if accepted and not accepted & {boundary, boundary.rsplit("/", 1)[-1]}:
        return failed(f"its permissions boundary {boundary} is not one of {names(sorted(accepted))}")
    return passed(f"bounded by {boundary}")


@check(
    id="IAM-ML-007",
    name="bedrock-agent-role-shared",
    title="Each Bedrock agent should run as a role of its own",
    severity=Severity.LOW,
    pillar=Pillar.SECURITY,
    resource=IamRole,
    rationale="""An agent's role must allow everything its action groups and knowledge bases need; shared by several
    agents, it gives each of them the union, so a prompt injection into the least trusted agent reaches what the
    most privileged one may touch, and CloudTrail cannot tell which agent acted. Every role an agent can run as
    counts: its working draft's and those of the versions its aliases route to.""",
    judges="""ML execution roles that at least one Bedrock agent runs as (by its draft or a routed version), in any
    scanned region of the account; roles that run no agent get no finding.""",
    remediation=Remediation(
        text="Create a service role per agent with only what that agent's action groups and knowledge bases need, "
        "update the agent to use it, and cut a new version for its aliases.",
        cli="aws bedrock-agent update-agent --agent-id <agent-id> --agent-name <name> "
        "--agent-resource-role-arn <dedicated-role-arn> --foundation-model <model-id>",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/agents-permissions.html",
    ),
    references=(ml_lens("MLSEC-03"), prowler("bedrock_agent_role_not_shared_across_agents")),
)
def bedrock_agent_role_shared(role: IamRole, ctx: CheckContext) -> Outcome | None:
    if not role.bedrock_agents:
        return None
    agents = [short_arn(arn) for arn in role.bedrock_agents]
    if len(agents) > 1:
        return failed(f"{len(agents)} agents run as this role: {names(agents)}")
    return passed(f"only {agents[0]} runs as this role")
