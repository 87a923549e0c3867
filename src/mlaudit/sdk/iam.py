"""IAM in verdicts: the AWS managed policies checks look for, how to recognise one attached to a role, and what a
policy statement grants on every resource."""

from __future__ import annotations

from mlaudit.inventory.iam import is_aws_managed_policy_arn
from mlaudit.inventory.policies import PolicyStatement
from mlaudit.sdk.wording import names

FULL_ACCESS_POLICY = "AmazonSageMakerFullAccess"
BEDROCK_FULL_ACCESS_POLICY = "AmazonBedrockFullAccess"
ADMIN_POLICY = "AdministratorAccess"
FULL_ACCESS_SUFFIX = "FullAccess"
"""How AWS names the managed policies that allow a whole service (AmazonS3FullAccess, AmazonBedrockFullAccess...)."""


def is_aws_managed_policy(policy_arn: str, policy_name: str) -> bool:
    """True for `arn:<any partition>:iam::aws:policy/<name>` (managed policies may sit under a path)."""
    return is_aws_managed_policy_arn(policy_arn) and policy_arn.rsplit("/", 1)[-1] == policy_name


def aws_full_access_policies(policy_arns: tuple[str, ...]) -> list[str]:
    """The names of the AWS managed `*FullAccess` policies among `policy_arns`."""
    found = (arn.rsplit("/", 1)[-1] for arn in policy_arns if is_aws_managed_policy_arn(arn))
    return sorted(name for name in found if name.endswith(FULL_ACCESS_SUFFIX))


def wildcard_grants(statement: PolicyStatement) -> list[str]:
    """What an Allow statement without conditions grants on every resource: `*`, whole services (`s3:*`), or every
    action but some (NotAction)."""
    if not statement.allows or statement.conditions or "*" not in statement.resources:
        return []
    if statement.not_actions:
        return ["every action except " + names(list(statement.not_actions), limit=3)]
    return [a for a in statement.actions if a == "*" or (a.endswith(":*") and "*" not in a[:-2])]


def on_every_resource(statement: PolicyStatement) -> bool:
    """`"Resource": "*"`, or a NotResource (every resource but those it names)."""
    return "*" in statement.resources or bool(statement.not_resources)


def grants_everywhere(
    statements: tuple[PolicyStatement, ...], action: str, scoping_keys: frozenset[str] = frozenset()
) -> list[PolicyStatement]:
    """The Allow statements of one policy that grant `action` on every resource, by name, wildcard or NotAction.

    An Allow whose condition tests one of `scoping_keys` (lower-cased) names what it allows and does not count; any
    other condition depends on the request and does not narrow the resources, so the Allow counts. An unconditional
    Deny of the action on `*` in the same policy cancels every Allow."""
    if any(s.denies and not s.conditions and "*" in s.resources and s.covers_action(action) for s in statements):
        return []
    return [
        s
        for s in statements
        if s.allows and on_every_resource(s) and s.covers_action(action) and not (s.condition_keys() & scoping_keys)
    ]
