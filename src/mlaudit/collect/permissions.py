"""The IAM permissions a scan needs, derived from what the collectors declare they call.

Collectors declare API operations (`s3:GetBucketEncryption`); IAM names some of them differently
(`s3:GetEncryptionConfiguration`). This module holds those differences and turns a set of checks into the
minimal read-only policy, as JSON or as a role to deploy (CloudFormation, Terraform), and compares it with the AWS
managed policy SecurityAudit (`security_audit.json`, the version AWS published: what it lacks is derived).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from importlib import resources

from mlaudit.collect.accounts.failures import DENIED_CODES
from mlaudit.collect.accounts.organization import ORGANIZATION_OPERATIONS
from mlaudit.collect.registry import plan
from mlaudit.inventory import GLOBAL_REGION, CollectionError
from mlaudit.sdk import Check

SETUP_OPERATIONS = ("sts:GetCallerIdentity", "ec2:DescribeRegions")
"""Calls every scan makes before collecting: whose account it is, and which regions are enabled."""
RUNNER_OPERATIONS = ("sts:GetCallerIdentity", "sts:AssumeRole", *ORGANIZATION_OPERATIONS)
"""Calls made with the base credentials when scanning other accounts (`--role-arn`, `--org`): whose account it is,
the organization's accounts, and a role in each. AssumeRole is the one call that is not a read, and it changes
nothing; the reads happen in each account with the role's own (`mlaudit policy`) permissions."""

IAM_ACTIONS = {
    "s3:ListBuckets": ("s3:ListAllMyBuckets",),
    "s3:GetBucketEncryption": ("s3:GetEncryptionConfiguration",),
    "s3:GetBucketLifecycleConfiguration": ("s3:GetLifecycleConfiguration",),
    "s3:GetPublicAccessBlock": ("s3:GetBucketPublicAccessBlock",),
    "s3:HeadBucket": ("s3:ListBucket",),
    "s3control:GetPublicAccessBlock": ("s3:GetAccountPublicAccessBlock",),
}
"""API operations whose IAM action has another name (or service prefix)."""
SERVICE_PREFIXES = {
    "bedrock-agent": "bedrock",
    "bedrock-agentcore-control": "bedrock-agentcore",
    "efs": "elasticfilesystem",
}
"""API services whose IAM actions use another service prefix."""


def iam_actions(operation: str) -> tuple[str, ...]:
    """`service:Operation` as the IAM action(s) that allow it."""
    if operation in IAM_ACTIONS:
        return IAM_ACTIONS[operation]
    service, name = operation.split(":", 1)
    return (f"{SERVICE_PREFIXES.get(service, service)}:{name}",)


NO_PERMISSION_NEEDED = frozenset({"sts:GetCallerIdentity"})
"""Actions no policy needs to allow ("No permissions are required to perform this operation": STS's reference)."""


@dataclass(frozen=True)
class ManagedPolicy:
    """An AWS managed policy's allowed actions (with wildcards), at the version it was copied from."""

    name: str
    version: str
    updated: str
    actions: tuple[str, ...]

    def grants(self, action: str) -> bool:
        """IAM matches actions without regard to case, `*` and `?` as wildcards."""
        return action in NO_PERMISSION_NEEDED or any(fnmatchcase(action.lower(), p.lower()) for p in self.actions)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.version}, {self.updated})"


@cache
def security_audit() -> ManagedPolicy:
    """SecurityAudit's statement that allows actions on every resource, as vendored in `security_audit.json`."""
    document = json.loads(resources.files("mlaudit.collect").joinpath("security_audit.json").read_text("utf-8"))
    name = document["policy"].rsplit("/", 1)[-1]
    return ManagedPolicy(name, document["version"], document["updated"], tuple(document["actions"]))


def beyond_security_audit(actions: Iterable[str]) -> list[str]:
    """The actions SecurityAudit does not grant: what a role with SecurityAudit needs besides."""
    policy = security_audit()
    return sorted(action for action in set(actions) if not policy.grants(action))


def required_operations(checks: Iterable[Check]) -> list[str]:
    collectors = plan(record_type for check in checks for record_type in check.needs)
    return sorted({*SETUP_OPERATIONS, *(str(op) for collector in collectors for op in collector.operations)})


def required_actions(checks: Iterable[Check]) -> list[str]:
    return sorted({action for operation in required_operations(checks) for action in iam_actions(operation)})


SCP_DENIAL = "service control policy"
"""What AWS's denial message says when an SCP, not the role's own policy, denies the call."""


def missing_permissions(errors: Iterable[CollectionError]) -> list[str]:
    """Warnings naming the IAM actions AWS denied (empty when nothing was denied): the ones to allow, and apart,
    the ones a service control policy denies, which no change to the role's policy can allow."""
    denied = [error for error in errors if error.error_code in DENIED_CODES]
    by_policy = [error for error in denied if SCP_DENIAL not in error.message]
    by_scp = [error for error in denied if SCP_DENIAL in error.message]
    warnings = []
    if by_policy:
        count, actions = _denied_actions(by_policy)
        beyond = beyond_security_audit(a for e in by_policy for a in iam_actions(f"{e.service}:{e.operation}"))
        gap = f"; {security_audit().label} does not grant {', '.join(beyond)}" if beyond else ""
        warnings.append(
            f"missing permissions: AWS denied {count} IAM action(s) the checks need; allow {actions} "
            f"(or lift the SCP or boundary that denies them){gap}; `mlaudit policy` prints the whole read-only policy"
        )
    if by_scp:
        count, actions = _denied_actions(by_scp)
        accounts = ", ".join(sorted({error.account_id for error in by_scp}))
        warnings.append(
            f"a service control policy denies {count} IAM action(s) the checks need in account(s) {accounts}: "
            f"{actions}; the role's own policy cannot allow them: exempt the audit role from the SCP"
        )
    return warnings


def _denied_actions(errors: Iterable[CollectionError]) -> tuple[int, str]:
    """How many IAM actions the errors name, and each with the regions where it was denied."""
    regions: dict[str, set[str]] = defaultdict(set)
    for error in errors:
        for action in iam_actions(f"{error.service}:{error.operation}"):
            regions[action].add(error.region)
    listed = ", ".join(
        action + ("" if where == {GLOBAL_REGION} else f" (in {', '.join(sorted(where - {GLOBAL_REGION}))})")
        for action, where in sorted(regions.items())
    )
    return len(regions), listed


def policy_document(actions: list[str]) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "MlauditReadOnly", "Effect": "Allow", "Action": actions, "Resource": "*"}],
    }


def policy_json(actions: list[str]) -> str:
    return json.dumps(policy_document(actions), indent=2) + "\n"


def cloudformation(actions: list[str]) -> str:
    """A template for a read-only role that a principal of the trusted account can assume."""
    template = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Read-only role for mlaudit: exactly the permissions its selected checks need.",
        "Parameters": {
            "TrustedAccountId": {
                "Type": "String",
                "Description": "Account whose principals may assume the role (where mlaudit runs).",
            },
            "RoleName": {"Type": "String", "Default": "mlaudit-readonly"},
            "ExternalId": {
                "Type": "String",
                "Default": "",
                "Description": "If set, mlaudit must pass it to assume the role (`mlaudit scan --external-id`).",
            },
        },
        "Conditions": {"HasExternalId": {"Fn::Not": [{"Fn::Equals": [{"Ref": "ExternalId"}, ""]}]}},
        "Resources": {
            "MlauditRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": {"Ref": "RoleName"},
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {
                                    "AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${TrustedAccountId}:root"}
                                },
                                "Action": "sts:AssumeRole",
                                "Condition": {
                                    "Fn::If": [
                                        "HasExternalId",
                                        {"StringEquals": {"sts:ExternalId": {"Ref": "ExternalId"}}},
                                        {"Ref": "AWS::NoValue"},
                                    ]
                                },
                            }
                        ],
                    },
                    "Policies": [{"PolicyName": "mlaudit-readonly", "PolicyDocument": policy_document(actions)}],
                },
            }
        },
        "Outputs": {"RoleArn": {"Value": {"Fn::GetAtt": ["MlauditRole", "Arn"]}}},
    }
    return json.dumps(template, indent=2) + "\n"


def terraform(actions: list[str]) -> str:
    action_lines = "\n".join(f'        "{action}",' for action in actions)
    return f"""# Read-only role for mlaudit: exactly the permissions its selected checks need.
variable "trusted_account_id" {{
  description = "Account whose principals may assume the role (where mlaudit runs)."
  type        = string
}}

variable "role_name" {{
  type    = string
  default = "mlaudit-readonly"
}}

variable "external_id" {{
  description = "If set, mlaudit must pass it to assume the role (mlaudit scan --external-id)."
  type        = string
  default     = ""
}}

data "aws_partition" "current" {{}}

data "aws_iam_policy_document" "trust" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "AWS"
      identifiers = ["arn:${{data.aws_partition.current.partition}}:iam::${{var.trusted_account_id}}:root"]
    }}
    dynamic "condition" {{
      for_each = var.external_id == "" ? [] : [var.external_id]
      content {{
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [condition.value]
      }}
    }}
  }}
}}

resource "aws_iam_role" "mlaudit" {{
  name               = var.role_name
  assume_role_policy = data.aws_iam_policy_document.trust.json
}}

resource "aws_iam_role_policy" "mlaudit" {{
  name = "mlaudit-readonly"
  role = aws_iam_role.mlaudit.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Sid      = "MlauditReadOnly"
      Effect   = "Allow"
      Resource = "*"
      Action = [
{action_lines}
      ]
    }}]
  }})
}}

output "role_arn" {{
  value = aws_iam_role.mlaudit.arn
}}
"""


RENDERERS = {"json": policy_json, "cloudformation": cloudformation, "terraform": terraform}
