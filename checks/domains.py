"""SageMaker Studio domains: where data scientists' notebooks, apps and home directories live."""

from __future__ import annotations

from mlaudit.inventory import KmsKey
from mlaudit.inventory.sagemaker_studio import StudioDomain
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Severity,
    check,
    checkov,
    config_rule,
    failed,
    ml_lens,
    passed,
    prowler,
)
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
        placeholders={"domain-id": "resource_id"},
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


@check(
    id="SM-DOMAIN-003",
    name="studio-domain-iam-auth",
    title="Studio domains should sign users in through IAM Identity Center",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=StudioDomain,
    rationale="""In IAM mode, who may open Studio as which user profile is decided by IAM policies on
    CreatePresignedDomainUrl, apart from the organization's identity provider: leavers keep their access until
    someone edits a policy, MFA and session rules are whatever each IAM principal has, and one role can open any
    profile it is allowed to. With IAM Identity Center (AuthMode SSO) each profile belongs to a person of the
    directory, so access to notebooks, data and execution roles follows that person's lifecycle.""",
    judges="""Every domain except those being deleted or failed. A domain in SSO mode passes only when it is
    associated with an IAM Identity Center application (SingleSignOnApplicationArn or its managed application
    instance id), as Prowler checks.""",
    remediation=Remediation(
        text="The authentication mode cannot be changed: create a domain with AuthMode SSO, assign its users and "
        "groups in IAM Identity Center, move users' work over (their home directories or Git repositories), and "
        "delete the IAM-mode domain.",
        cli="aws sagemaker create-domain --domain-name <name> --auth-mode SSO --vpc-id <vpc-id> "
        "--subnet-ids <subnet-id> --app-network-access-type VpcOnly --default-user-settings ExecutionRole=<role-arn>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/onboard-sso-users.html",
    ),
    references=(ml_lens("MLSEC-08"), ml_lens("MLSEC-13"), prowler("sagemaker_domain_sso_configured")),
)
def studio_domain_iam_auth(domain: StudioDomain, ctx: CheckContext) -> Outcome | None:
    if not domain.live:
        return None
    if domain.auth_mode != "SSO":
        mode = domain.auth_mode or "not reported"
        return failed(f"authentication mode is {mode}: users open Studio through IAM, not IAM Identity Center")
    if not domain.sso_application:
        return failed(
            "authentication mode is SSO, but the domain is associated with no IAM Identity Center application"
        )
    return passed(f"users sign in through IAM Identity Center ({domain.sso_application})")


@check(
    id="SM-DOMAIN-004",
    name="studio-domain-docker-access",
    title="Studio domains should not give users Docker",
    severity=Severity.LOW,
    pillar=Pillar.SECURITY,
    resource=StudioDomain,
    rationale="""With Docker access, Studio users build and run any container image in their spaces: images from
    public registries that nobody scanned run with the space's execution role and its access to training data, past
    the curated SageMaker images and the image scanning a platform puts in front of ECR. Unless Docker runs
    rootless, its containers also run as root on the space's instance. Most teams need Docker only to test
    containers in local mode, which a separate domain for the few who build images can allow.""",
    judges="""Every domain except those being deleted or failed. Docker is off unless DomainSettings.DockerSettings
    sets EnableDockerAccess to ENABLED (AWS's default is DISABLED); with it on, the finding is medium when Docker
    does not run rootless (RootlessDocker not ENABLED).""",
    remediation=Remediation(
        text="Turn Docker access off for the domain (apps started afterwards have no Docker), and give it only in a "
        "separate domain to the users who build images, with rootless Docker.",
        cli="aws sagemaker update-domain --domain-id <domain-id> "
        "--domain-settings-for-update 'DockerSettings={EnableDockerAccess=DISABLED}'",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/studio-updated-local.html",
        placeholders={"domain-id": "resource_id"},
    ),
    references=(ml_lens("MLSEC-04"), ml_lens("MLSEC-08")),
)
def studio_domain_docker_access(domain: StudioDomain, ctx: CheckContext) -> Outcome | None:
    if not domain.live:
        return None
    if domain.docker_access != "ENABLED":
        return passed(f"Docker access is {domain.docker_access or 'not enabled (AWS default: DISABLED)'}")
    if domain.rootless_docker != "ENABLED":
        return failed("Docker access is ENABLED, and Docker does not run rootless", severity=Severity.MEDIUM)
    return failed("Docker access is ENABLED (rootless)")
