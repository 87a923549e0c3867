"""The networks ML resources run in: private access to AWS services, and who can reach the resources."""

from __future__ import annotations

from mlaudit.inventory.bedrock import BedrockUsage
from mlaudit.inventory.network import SecurityGroup, Subnet, SubnetRouting, Vpc, VpcEndpoints, VpcFlowLogs
from mlaudit.inventory.sagemaker_studio import StudioDomain
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
    kics,
    ml_lens,
    passed,
    prowler,
    security_hub,
    steampipe,
)
from mlaudit.sdk.wording import first_users, names, used_by

REQUIRED_ENDPOINTS = ("sagemaker.api", "sagemaker.runtime", "s3")
"""The services every VPC hosting SageMaker should reach privately (S3 usually through a gateway endpoint)."""
BEDROCK_ENDPOINTS = ("bedrock", "bedrock-runtime", "bedrock-agent", "bedrock-agent-runtime", "bedrock-mantle")
"""Also required where the region uses Bedrock: every Bedrock API, as Prowler's bedrock_vpc_endpoints_configured
requires them (the control plane, the runtime, agents and their runtime, the OpenAI-compatible Mantle API)."""
STUDIO_ENDPOINTS = ("sts", "logs", "ecr.api", "ecr.dkr", "studio", "notebook")
"""Also required in a VPC with a VpcOnly Studio domain, which reaches nothing else: STS, CloudWatch Logs, ECR (API
and Docker registry), and Studio's and notebooks' own endpoints (aws.sagemaker.<region>.studio and .notebook)."""
LIVE_DOMAIN_STATES = frozenset({"InService", "Pending", "Updating", "Update_Failed"})


def _studio_domains(vpc: Vpc, ctx: CheckContext) -> list[str]:
    """The VpcOnly Studio domains (not failed or being deleted) that run in the VPC."""
    return sorted(
        domain.name
        for domain in ctx.all(StudioDomain)
        if domain.vpc_id == vpc.name
        and domain.app_network_access_type == "VpcOnly"
        and domain.status in LIVE_DOMAIN_STATES
    )


def _required(vpc: Vpc, ctx: CheckContext) -> list[tuple[str, list[str]]]:
    """The endpoints the VPC needs, grouped by what makes them needed."""
    needs = [("", list(ctx.setting("required_services")))]
    bedrock = ctx.get(BedrockUsage, vpc.region)
    if bedrock is not None and bedrock.in_use:
        needs.append(("Bedrock, which the region uses", list(ctx.setting("bedrock_services"))))
    domains = _studio_domains(vpc, ctx)
    if domains:
        needs.append((f"VpcOnly Studio domain {names(domains)}", list(ctx.setting("studio_services"))))
    return needs


@check(
    id="NET-ML-001",
    name="ml-vpc-missing-endpoints",
    title="VPCs hosting SageMaker should reach SageMaker and S3 through VPC endpoints",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=Vpc,
    uses=(VpcEndpoints, BedrockUsage, StudioDomain),
    settings={
        "required_services": Setting(
            default=REQUIRED_ENDPOINTS,
            description="endpoint service names (after com.amazonaws.<region>.) every VPC hosting SageMaker needs",
        ),
        "bedrock_services": Setting(
            default=BEDROCK_ENDPOINTS,
            description="endpoint service names also required in regions that use Bedrock",
        ),
        "studio_services": Setting(
            default=STUDIO_ENDPOINTS,
            description="endpoint service names also required in a VPC with a VpcOnly Studio domain",
        ),
    },
    rationale="""Notebooks, training jobs and models in a VPC without VPC endpoints reach the SageMaker API, the
    runtime and S3 over the internet through a NAT gateway, or cannot reach them at all once internet access is
    removed, which pushes teams to re-enable it. Endpoints keep training data and inference traffic on the AWS
    network and let endpoint and bucket policies restrict access to the VPC. In a region that uses Bedrock, the VPC
    also needs the Bedrock endpoints, so that applications in it call models and agents privately; a VpcOnly Studio
    domain's apps reach nothing but its VPC, so without the STS, CloudWatch Logs, ECR, Studio and notebook endpoints
    they fail to start or to run their images.""",
    judges="""VPCs that hold ML resources (notebooks, models, training, tuning and processing jobs, Studio domains,
    Comprehend models). An S3 interface endpoint counts as well as the usual gateway endpoint; an endpoint that is
    rejected, failed or being deleted does not count. Bedrock's endpoints are required in regions with Bedrock
    evidence (recent invocations, agents, knowledge bases, custom models, provisioned throughput); Studio's in VPCs
    of VpcOnly domains that are not failed or being deleted.""",
    remediation=Remediation(
        text="Create interface endpoints for com.amazonaws.<region>.sagemaker.api and sagemaker.runtime (private DNS on) "
        "in the subnets ML resources use, and a gateway endpoint for S3 on their route tables; add the Bedrock "
        "endpoints and, for a VpcOnly Studio domain, sts, logs, ecr.api, ecr.dkr, aws.sagemaker.<region>.studio "
        "and aws.sagemaker.<region>.notebook.",
        cli="aws ec2 create-vpc-endpoint --vpc-id <vpc-id> --vpc-endpoint-type Interface "
        "--service-name com.amazonaws.<region>.sagemaker.api --subnet-ids <subnet-ids> --security-group-ids <sg-id> "
        "--private-dns-enabled && aws ec2 create-vpc-endpoint --vpc-id <vpc-id> --vpc-endpoint-type Gateway "
        "--service-name com.amazonaws.<region>.s3 --route-table-ids <route-table-ids>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html",
        placeholders={"vpc-id": "resource_name", "region": "region"},
    ),
    references=(
        ml_lens("MLSEC-04"),
        ml_lens("MLSEC-08"),
        prowler("bedrock_vpc_endpoints_configured"),
        steampipe("vpc_configured_to_use_interface_endpoint_for_ecr_api"),
        steampipe("vpc_configured_to_use_interface_endpoint_for_docker_registry"),
    ),
)
def ml_vpc_missing_endpoints(vpc: Vpc, ctx: CheckContext) -> Outcome | None:
    endpoints = ctx.require(VpcEndpoints, vpc.arn).endpoints
    needs = _required(vpc, ctx)
    missing = [
        (why, absent)
        for why, services in needs
        if (absent := [service for service in services if not any(e.serves(service) for e in endpoints)])
    ]
    if missing:
        gaps = "; ".join(f"{names(absent)}" + (f" (for {why})" if why else "") for why, absent in missing)
        return failed(f"no VPC endpoint for {gaps}; {used_by(vpc.use_count)}: {first_users(vpc.used_by)}")
    return passed("VPC endpoints for " + names([service for _, services in needs for service in services], limit=20))


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
        placeholders={"sg-id": "resource_id"},
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


@check(
    id="NET-ML-003",
    name="ml-vpc-no-flow-logs",
    title="VPCs hosting ML resources should log their network traffic",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=Vpc,
    uses=(VpcFlowLogs,),
    rationale="""Flow logs are the only record of where ML resources' traffic went: which addresses a notebook, a
    training container or a model server talked to, and how much data left. Without them an exfiltration of training
    data or a compromised dependency calling home cannot be detected or investigated after the fact. A flow log on
    the VPC covers every subnet; flow logs on each subnet ML resources use cover them too.""",
    judges="""VPCs that hold ML resources. PASS with an ACTIVE flow log (any traffic type) on the VPC, or on every
    subnet ML resources use in it; a flow log that cannot deliver its logs (DeliverLogsStatus FAILED) does not
    count.""",
    remediation=Remediation(
        text="Create a flow log for the VPC (all traffic) to CloudWatch Logs or S3, with a log group or bucket that "
        "only the security team can read.",
        cli="aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> --traffic-type ALL "
        "--log-destination-type s3 --log-destination arn:aws:s3:::<bucket>/vpc-flow-logs/",
        url="https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
        placeholders={"vpc-id": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-13"),
        ml_lens("MLSEC-08"),
        security_hub("EC2.6"),
        config_rule("vpc-flow-logs-enabled"),
        prowler("vpc_flow_logs_enabled"),
        steampipe("vpc_flow_logs_enabled"),
        checkov("CKV2_AWS_11"),
        kics("VPC FlowLogs Disabled", "f83121ea-03da-434f-9277-9cd247ab3047"),
    ),
)
def ml_vpc_no_flow_logs(vpc: Vpc, ctx: CheckContext) -> Outcome | None:
    logs = ctx.require(VpcFlowLogs, vpc.arn).flow_logs
    on_vpc = [log for log in logs if log.resource_id == vpc.name and log.logging]
    if on_vpc:
        return passed(f"flow log {on_vpc[0].flow_log_id} ({on_vpc[0].traffic_type or 'ALL'} traffic) on the VPC")
    logged = {log.resource_id for log in logs if log.logging}
    unlogged = [subnet for subnet in vpc.subnet_ids if subnet not in logged]
    if not unlogged:
        return passed("every subnet ML resources use has an active flow log")
    broken = [f"{log.flow_log_id} ({log.status}, delivery {log.delivery})" for log in logs if not log.logging]
    return failed(
        f"no active flow log on the VPC or on ML subnet(s) {names(unlogged)}"
        + (f"; not logging: {names(broken)}" if broken else "")
        + f"; {used_by(vpc.use_count)}"
    )


@check(
    id="NET-ML-004",
    name="ml-subnet-public",
    title="Subnets ML resources use should be private",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=Subnet,
    uses=(SubnetRouting,),
    rationale="""A subnet whose route table sends traffic to an internet gateway is public: anything in it with a
    public address is reachable from the internet and can reach it directly, past the NAT gateway and the egress
    controls built for it. A subnet that assigns a public IPv4 address on launch (MapPublicIpOnLaunch) gives one to
    every network interface SageMaker creates there. Notebooks, training clusters and model containers belong in
    private subnets that reach AWS services through VPC endpoints.""",
    judges="""Subnets that ML resources name, with the route table associated with them or else their VPC's main
    table; a route to an internet gateway counts when it is active (an egress-only gateway for IPv6 does not).""",
    remediation=Remediation(
        text="Move the ML resources to private subnets: subnets whose route table has no route to an internet gateway "
        "(outbound traffic through a NAT gateway or VPC endpoints) and that do not map public IPs on launch.",
        cli="aws ec2 modify-subnet-attribute --subnet-id <subnet-id> --no-map-public-ip-on-launch && "
        "aws ec2 replace-route-table-association --association-id <association-id> --route-table-id <private-rtb-id>",
        url="https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html",
        placeholders={"subnet-id": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-04"),
        ml_lens("MLSEC-08"),
        security_hub("EC2.15"),
        config_rule("subnet-auto-assign-public-ip-disabled"),
        prowler("vpc_subnet_no_public_ip_by_default"),
        steampipe("vpc_subnet_auto_assign_public_ip_disabled"),
        steampipe("vpc_route_table_restrict_public_access_to_igw"),
        checkov("CKV_AWS_130"),
        kics("VPC Subnet Assigns Public IP", "52f04a44-6bfa-4c41-b1d3-4ae99a2de05c"),
    ),
)
def ml_subnet_public(subnet: Subnet, ctx: CheckContext) -> Outcome | None:
    routing = ctx.require(SubnetRouting, subnet.arn)
    table = f"{routing.route_table_id or 'no route table'}" + (" (the VPC's main table)" if routing.main else "")
    public = []
    if routing.internet_routes:
        public.append(f"its route table {table} routes {names(list(routing.internet_routes))}")
    if subnet.map_public_ip_on_launch:
        public.append("it assigns a public IPv4 address on launch (MapPublicIpOnLaunch)")
    if public:
        return failed("public subnet: " + " and ".join(public) + f"; {used_by(subnet.use_count)}")
    return passed(f"private: no route to an internet gateway in {table}, no public IP on launch")
