"""EC2 network records for the VPCs and security groups that ML resources run in.

Only the networks ML records name (a notebook's subnet and security groups, a model's or training job's VpcConfig)
are collected. Records point at them with EC2 ARNs, which carry the region: subnets and groups are regional.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, Value

LIVE_ENDPOINT_STATES = frozenset({"available", "pending", "pendingacceptance"})
"""VPC endpoint states in which the endpoint serves (or is about to serve) traffic."""


def _ec2_refs(record: Record, kind: RefKind, resource: str, ids: tuple[str | None, ...]) -> Iterator[Reference]:
    for resource_id in ids:
        if resource_id:
            arn = f"arn:{record.partition}:ec2:{record.region}:{record.account_id}:{resource}/{resource_id}"
            yield Reference(kind, arn)


def subnet_refs(record: Record, *subnet_ids: str | None) -> Iterator[Reference]:
    """References to subnets in the record's own account and region."""
    return _ec2_refs(record, RefKind.SUBNET, "subnet", subnet_ids)


def security_group_refs(record: Record, *group_ids: str | None) -> Iterator[Reference]:
    """References to security groups in the record's own account and region."""
    return _ec2_refs(record, RefKind.SECURITY_GROUP, "security-group", group_ids)


def ec2_id(arn: str) -> str:
    """`arn:aws:ec2:us-east-1:123:subnet/subnet-0abc` -> `subnet-0abc`."""
    return arn.rsplit("/", 1)[-1]


class Subnet(Record):
    """A subnet ML resources run in (a notebook's, a model's or a job's VpcConfig); named by its id."""

    part: ClassVar[str] = "ec2.subnet"
    service: ClassVar[str] = "ec2"
    resource_type: ClassVar[str] = "AWS::EC2::Subnet"
    label: ClassVar[str] = "ML subnets"
    arn_resource: ClassVar[str] = "subnet/{id}"

    vpc_id: str
    availability_zone: str | None = None
    map_public_ip_on_launch: bool = False
    """MapPublicIpOnLaunch: network interfaces created in the subnet get a public IPv4 address."""
    used_by: tuple[str, ...] = ()
    """ARNs of (at most the first 20) ML resources in the subnet."""
    use_count: int = 0


class SubnetRouting(Record):
    """The route table that routes an ML subnet's traffic, its own or the VPC's main one (aspect of Subnet, same
    ARN)."""

    part: ClassVar[str] = "ec2.subnet_routing"
    service: ClassVar[str] = "ec2"
    resource_type: ClassVar[str] = "AWS::EC2::Subnet"
    label: ClassVar[str] = "route tables of ML subnets"

    route_table_id: str | None = None
    """None when the VPC has no route table the subnet could use (not seen in practice)."""
    main: bool = False
    """The subnet has no route table of its own and uses the VPC's main route table."""
    internet_routes: tuple[str, ...] = ()
    """Destinations of the table's active routes to an internet gateway (`0.0.0.0/0 via igw-...`)."""


class Vpc(Record):
    """A VPC that hosts ML resources (found through the subnets they use); named by its id."""

    part: ClassVar[str] = "ec2.vpc"
    service: ClassVar[str] = "ec2"
    resource_type: ClassVar[str] = "AWS::EC2::VPC"
    label: ClassVar[str] = "ML VPCs"
    arn_resource: ClassVar[str] = "vpc/{id}"

    subnet_ids: tuple[str, ...] = ()
    """The subnets of this VPC that ML resources use."""
    used_by: tuple[str, ...] = ()
    """ARNs of (at most the first 20) ML resources in the VPC."""
    use_count: int = 0


class VpcEndpoint(Value):
    endpoint_id: str
    service_name: str
    """`com.amazonaws.<region>.sagemaker.api`, `com.amazonaws.<region>.s3`..."""
    endpoint_type: str
    """Interface, Gateway or GatewayLoadBalancer."""
    state: str

    def serves(self, service: str) -> bool:
        """Whether this endpoint reaches `service` (`sagemaker.api`, `s3`...) and is usable."""
        return self.service_name.endswith(f".{service}") and self.state.lower() in LIVE_ENDPOINT_STATES


class VpcEndpoints(Record):
    """The VPC endpoints of an ML VPC (aspect of Vpc, same ARN)."""

    part: ClassVar[str] = "ec2.vpc_endpoints"
    service: ClassVar[str] = "ec2"
    resource_type: ClassVar[str] = "AWS::EC2::VPC"
    label: ClassVar[str] = "VPC endpoints of ML VPCs"

    endpoints: tuple[VpcEndpoint, ...] = ()


class FlowLog(Value):
    flow_log_id: str
    resource_id: str
    """The VPC, subnet or network interface whose traffic it logs."""
    status: str
    """FlowLogStatus: ACTIVE when it is logging."""
    traffic_type: str | None = None
    """ACCEPT, REJECT or ALL."""
    delivery: str | None = None
    """DeliverLogsStatus: SUCCESS, or FAILED when the logs cannot be written (DeliverLogsErrorMessage says why)."""
    destination_type: str | None = None

    @property
    def logging(self) -> bool:
        return self.status == "ACTIVE" and self.delivery != "FAILED"


class VpcFlowLogs(Record):
    """The flow logs of an ML VPC and of its ML subnets (aspect of Vpc, same ARN)."""

    part: ClassVar[str] = "ec2.vpc_flow_logs"
    service: ClassVar[str] = "ec2"
    resource_type: ClassVar[str] = "AWS::EC2::VPC"
    label: ClassVar[str] = "flow logs of ML VPCs"

    flow_logs: tuple[FlowLog, ...] = ()


class IngressRule(Value):
    protocol: str
    """`tcp`, `udp`, `icmp`... or `-1` for all traffic."""
    from_port: int | None = None
    to_port: int | None = None
    ipv4_ranges: tuple[str, ...] = ()
    ipv6_ranges: tuple[str, ...] = ()

    @property
    def ports(self) -> str:
        if self.protocol == "-1":
            return "all traffic"
        if self.from_port is None or self.from_port == self.to_port:
            return f"{self.protocol} {self.from_port if self.from_port is not None else 'all ports'}"
        return f"{self.protocol} {self.from_port}-{self.to_port}"


class SecurityGroup(Record):
    """A security group attached to ML resources; named by its group name, also found by its id."""

    part: ClassVar[str] = "ec2.security_group"
    service: ClassVar[str] = "ec2"
    resource_type: ClassVar[str] = "AWS::EC2::SecurityGroup"
    label: ClassVar[str] = "ML security groups"
    arn_resource: ClassVar[str] = "security-group/{id}"

    group_id: str
    vpc_id: str | None = None
    ingress: tuple[IngressRule, ...] = ()
    used_by: tuple[str, ...] = ()
    use_count: int = 0

    def matches(self, key: str) -> bool:
        return key in (self.name, self.arn, self.group_id)
