"""Execution roles: what a notebook, training job or model can do in the account when it runs."""

from __future__ import annotations

from mlaudit.inventory import IamRole
from mlaudit.sdk import CheckContext, Outcome, Pillar, Remediation, Severity, check, failed, ml_lens, passed
from mlaudit.sdk.helpers import is_aws_managed_policy, names, short_arn

FULL_ACCESS_POLICY = "AmazonSageMakerFullAccess"


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
        users = names([short_arn(arn) for arn in role.used_by], limit=3)
        return failed(f"{FULL_ACCESS_POLICY} is attached; the role runs {role.use_count} ML resource(s): {users}")
    return passed(f"{FULL_ACCESS_POLICY} is not attached")
