"""Execution roles: what a notebook, training job or model can do in the account when it runs."""

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
    security_hub,
)
from mlaudit.sdk.iam import ADMIN_POLICY, FULL_ACCESS_POLICY, is_aws_managed_policy
from mlaudit.sdk.wording import first_users, names, used_by


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
    ),
    references=(ml_lens("MLSEC-03"),),
)
def execution_role_full_access(role: IamRole, ctx: CheckContext) -> Outcome | None:
    if any(is_aws_managed_policy(arn, FULL_ACCESS_POLICY) for arn in role.attached_policy_arns):
        users = first_users(role.used_by)
        return failed(f"{FULL_ACCESS_POLICY} is attached; the role runs {role.use_count} ML resource(s): {users}")
    return passed(f"{FULL_ACCESS_POLICY} is not attached")


def _wildcard_grants(statement: PolicyStatement) -> list[str]:
    """What an Allow statement without conditions grants on every resource: `*`, whole services (`s3:*`), or every
    action but some (NotAction)."""
    if not statement.allows or statement.conditions or "*" not in statement.resources:
        return []
    if statement.not_actions:
        return ["every action except " + names(list(statement.not_actions), limit=3)]
    return [a for a in statement.actions if a == "*" or (a.endswith(":*") and "*" not in a[:-2])]


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
        grants = [grant for statement in policy.statements for grant in _wildcard_grants(statement)]
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
