"""The networks ML resources run in: private access to AWS services, and who can reach the resources."""

from __future__ import annotations

from mlaudit.inventory.bedrock import BedrockUsage
from mlaudit.inventory.network import SecurityGroup, Vpc, VpcEndpoints
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Setting,
    Severity,
    check,
    config_rule,
    failed,
    ml_lens,
    passed,
    security_hub,
)
from mlaudit.sdk.wording import first_users, names, used_by

REQUIRED_ENDPOINTS = ("sagemaker.api", "sagemaker.runtime", "s3")
"""The services every VPC hosting SageMaker should reach privately (S3 usually through a gateway endpoint)."""
BEDROCK_ENDPOINTS = ("bedrock-runtime",)
"""Also required where the region uses Bedrock: model invocations from the VPC stay off the internet."""


@check(
    id="NET-ML-001",
    name="ml-vpc-missing-endpoints",
    title="VPCs hosting SageMaker should reach SageMaker and S3 through VPC endpoints",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=Vpc,
    uses=(VpcEndpoints, BedrockUsage),
    settings={
        "required_services": Setting(
            default=REQUIRED_ENDPOINTS,
            description="endpoint service names (after com.amazonaws.<region>.) every VPC hosting SageMaker needs",
        ),
        "bedrock_services": Setting(
            default=BEDROCK_ENDPOINTS,
            description="endpoint service names also required in regions that use Bedrock",
        ),
    },
    rationale="""Notebooks, training jobs and models in a VPC without VPC endpoints reach the SageMaker API, the
    runtime and S3 over the internet through a NAT gateway, or cannot reach them at all once internet access is
    removed, which pushes teams to re-enable it. Endpoints keep training data and inference traffic on the AWS
    network and let endpoint and bucket policies restrict access to the VPC. An S3 interface endpoint counts as
    well as the usual gateway endpoint; an endpoint that is rejected, failed or being deleted does not count. In a
    region that uses Bedrock (recent invocations, agents, knowledge bases, custom models), the VPC also needs a
    bedrock-runtime endpoint, so that applications in it invoke models privately.""",
    judges="""Every VPC that holds a subnet an ML resource names. An endpoint counts while available or pending (not
    rejected, failed or being deleted), and bedrock-runtime is required only in regions that use Bedrock.""",
    remediation=Remediation(
        text="Create interface endpoints for com.amazonaws.<region>.sagemaker.api and sagemaker.runtime (private DNS on) "
        "in the subnets ML resources use, and a gateway endpoint for S3 on their route tables.",
        cli="aws ec2 create-vpc-endpoint --vpc-id <vpc-id> --vpc-endpoint-type Interface "
        "--service-name com.amazonaws.<region>.sagemaker.api --subnet-ids <subnet-ids> --security-group-ids <sg-id> "
        "--private-dns-enabled && aws ec2 create-vpc-endpoint --vpc-id <vpc-id> --vpc-endpoint-type Gateway "
        "--service-name com.amazonaws.<region>.s3 --route-table-ids <route-table-ids>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html",
    ),
    references=(ml_lens("MLSEC-04"), ml_lens("MLSEC-08")),
)
def ml_vpc_missing_endpoints(vpc: Vpc, ctx: CheckContext) -> Outcome | None:
    endpoints = ctx.require(VpcEndpoints, vpc.arn).endpoints
    required = list(ctx.setting("required_services"))
    bedrock = ctx.get(BedrockUsage, vpc.region)
    if bedrock is not None and bedrock.in_use:
        required += ctx.setting("bedrock_services")
    missing = [service for service in required if not any(e.serves(service) for e in endpoints)]
    if missing:
        users = first_users(vpc.used_by)
        return failed(f"no VPC endpoint for {names(missing)}; {used_by(vpc.use_count)}: {users}")
    return passed("VPC endpoints for " + names(required))


OPEN_TO_ALL = ("0.0.0.0/0", "::/0")


@check(
    id="NET-ML-002",
    name="ml-security-group-open",
    title="Security groups of SageMaker resources should not accept traffic from anywhere",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=SecurityGroup,
    rationale="""A notebook, training cluster or model container whose security group accepts traffic from 0.0.0.0/0
    or ::/0 can be reached by anything that can route to the subnet, including the internet when the subnet is
    public: a Jupyter server or a model server is not built to face that. ML resources need ingress only from
    known sources (the group itself for distributed training, a load balancer or the VPC's CIDR).""",
    judges="""Every security group that an ML resource in the region names. Only an ingress rule from exactly
    0.0.0.0/0 or ::/0 fails, on any port or protocol; rules from other CIDRs, prefix lists or security groups pass,
    and egress is not read.""",
    remediation=Remediation(
        text="Replace each rule open to 0.0.0.0/0 or ::/0 with the sources that need access: the security group itself "
        "(training clusters), a VPC CIDR, or another security group.",
        cli="aws ec2 revoke-security-group-ingress --group-id <sg-id> --ip-permissions "
        "IpProtocol=<protocol>,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}]",
        url="https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    ),
    references=(
        ml_lens("MLSEC-04"),
        ml_lens("MLSEC-12"),
        security_hub("EC2.18"),
        config_rule("vpc-sg-open-only-to-authorized-ports"),
    ),
)
def ml_security_group_open(group: SecurityGroup, ctx: CheckContext) -> Outcome | None:
    open_rules = [
        f"{rule.ports} from {cidr}"
        for rule in group.ingress
        for cidr in (*rule.ipv4_ranges, *rule.ipv6_ranges)
        if cidr in OPEN_TO_ALL
    ]
    if open_rules:
        return failed(f"{group.group_id} accepts {names(open_rules)}; {used_by(group.use_count)}")
    return passed(f"{group.group_id} accepts no traffic from 0.0.0.0/0 or ::/0")
