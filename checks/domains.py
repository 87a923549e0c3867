"""SageMaker Studio domains: where data scientists' notebooks, apps and home directories live."""

from __future__ import annotations

from mlaudit.inventory import KmsKey
from mlaudit.inventory.sagemaker_studio import StudioDomain
from mlaudit.sdk import CheckContext, Outcome, Pillar, Remediation, Severity, check, checkov, config_rule, ml_lens
from mlaudit.sdk.kms import customer_managed_key
from mlaudit.sdk.verdicts import expect_value


@check(
    id="SM-DOMAIN-001",
    name="studio-domain-not-vpc-only",
    title="Studio domains should send all traffic through your VPC",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=StudioDomain,
    rationale="""With PublicInternetOnly, the AWS default, every Studio app reaches the internet directly through a
    network that SageMaker manages, so notebooks can send training data anywhere and pull untrusted code, past your
    security groups, VPC endpoints and flow logs. VpcOnly routes all Studio traffic through your subnets, where it can
    be restricted and audited.""",
    judges="""Every Studio domain, whatever its status. Only AppNetworkAccessType VpcOnly passes (unset is the AWS
    default, PublicInternetOnly); user profiles and spaces are not read.""",
    remediation=Remediation(
        text="Make sure the domain's subnets reach the AWS services Studio needs (VPC endpoints for the SageMaker API "
        "and runtime, S3, STS, CloudWatch Logs, or a NAT gateway), delete the domain's running apps, then switch "
        "the domain to VpcOnly.",
        cli="aws sagemaker update-domain --domain-id <domain-id> --app-network-access-type VpcOnly",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/studio-notebooks-and-internet-access.html",
    ),
    references=(ml_lens("MLSEC-04"), config_rule("sagemaker-domain-in-vpc")),
)
def studio_domain_not_vpc_only(domain: StudioDomain, ctx: CheckContext) -> Outcome | None:
    return expect_value(
        "app network access", domain.app_network_access_type, "VpcOnly", aws_default="PublicInternetOnly"
    )


@check(
    id="SM-DOMAIN-002",
    name="studio-domain-not-cmk",
    title="Studio domains should encrypt their storage with a customer managed KMS key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=StudioDomain,
    uses=(KmsKey,),
    rationale="""A domain's EFS volume holds every user's home directory: notebooks, copies of training data and
    credentials. Without a KmsKeyId it is encrypted with the AWS managed key, whose use you cannot restrict, audit or
    revoke through a key policy of your own. Beyond the minimum (a KmsKeyId is set), the key is looked up: an AWS
    managed key or a key that no longer exists fails too.""",
    judges="""Every Studio domain, whatever its status. The KmsKeyId is looked up: a customer managed key, or any
    key of another account, passes; no key, an AWS managed key or a key that no longer exists fails.""",
    remediation=Remediation(
        text="The key cannot be changed on an existing domain: create a customer managed key, create a new domain that "
        "uses it, move users' work over (their home directories), and delete the old domain.",
        cli="aws sagemaker create-domain --domain-name <name> --auth-mode IAM --vpc-id <vpc-id> --subnet-ids <subnet-id> "
        "--app-network-access-type VpcOnly --default-user-settings ExecutionRole=<role-arn> --kms-key-id <key-arn>",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateDomain.html#sagemaker-CreateDomain-request-KmsKeyId",
    ),
    references=(ml_lens("MLSEC-02"), checkov("CKV_AWS_187")),
)
def studio_domain_not_cmk(domain: StudioDomain, ctx: CheckContext) -> Outcome | None:
    return customer_managed_key(domain, domain.kms_key_id, ctx, "the domain's EFS volume")
