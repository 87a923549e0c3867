"""IAM in verdicts: the AWS managed policies checks look for, and how to recognise one attached to a role."""

from __future__ import annotations

from mlaudit.inventory.iam import is_aws_managed_policy_arn

FULL_ACCESS_POLICY = "AmazonSageMakerFullAccess"
ADMIN_POLICY = "AdministratorAccess"


def is_aws_managed_policy(policy_arn: str, policy_name: str) -> bool:
    """True for `arn:<any partition>:iam::aws:policy/<name>` (managed policies may sit under a path)."""
    return is_aws_managed_policy_arn(policy_arn) and policy_arn.rsplit("/", 1)[-1] == policy_name
