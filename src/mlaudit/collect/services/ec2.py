"""EC2 collectors: the subnets and security groups that ML records name, region by region, the VPCs of those
subnets, and what VPC checks read of them (endpoints, flow logs, route tables). Lookups filter by id, so a subnet or
group deleted since is simply absent."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import ForEachRecord, same_identity
from mlaudit.collect.engine.spec import Census, MinimumCalls, PartCollector
from mlaudit.inventory import RECORD_TYPES, RefKind
from mlaudit.inventory.network import (
    FlowLog,
    IngressRule,
    SecurityGroup,
    Subnet,
    SubnetRouting,
    Vpc,
    VpcEndpoint,
    VpcEndpoints,
    VpcFlowLogs,
    ec2_id,
)

MAX_LISTED_USERS = 20
FILTER_VALUES = 200
"""EC2 accepts at most this many values in one filter."""


def _referenced_here(ctx: CollectContext, kind: RefKind) -> dict[str, list[str]]:
    """EC2 ids referenced by this region's records, with the ARNs of the records (EC2 resources are regional)."""
    return {ec2_id(target): users for target, users in ctx.referenced(kind, region=ctx.region).items()}


DESCRIBE_SUBNETS = Operation("ec2:DescribeSubnets")
DESCRIBE_SECURITY_GROUPS = Operation("ec2:DescribeSecurityGroups")
DESCRIBE_VPC_ENDPOINTS = Operation("ec2:DescribeVpcEndpoints")
DESCRIBE_ROUTE_TABLES = Operation("ec2:DescribeRouteTables")
DESCRIBE_FLOW_LOGS = Operation("ec2:DescribeFlowLogs")


def _filtered(ctx: CollectContext, operation: Operation, key: str, name: str, ids: list[str]) -> Iterator[Any]:
    for start in range(0, len(ids), FILTER_VALUES):
        chunk = ids[start : start + FILTER_VALUES]
        yield from ctx.paginate(operation, key, Filters=[{"Name": name, "Values": chunk}])


def _filtered_minimum(operation: Operation, referenced: RefKind) -> MinimumCalls:
    """One filtered call per chunk of the ids the region's records reference (their answers fit in a page)."""

    def minimum(census: Census, account_id: str, region: str) -> Counter[str]:
        ids = {
            ref.target
            for record_type in RECORD_TYPES
            if referenced in record_type.reference_kinds
            for record in census.records(record_type, account_id, region)
            for ref in record.references()
            if ref.kind is referenced
        }
        return Counter({str(operation): math.ceil(len(ids) / FILTER_VALUES)} if ids else {})

    return minimum


def _subnets(ctx: CollectContext) -> Iterator[Subnet]:
    users_of = _referenced_here(ctx, RefKind.SUBNET)
    if not users_of:
        return
    for subnet in _filtered(ctx, DESCRIBE_SUBNETS, "Subnets", "subnet-id", sorted(users_of)):
        subnet_id = subnet.get("SubnetId") or ""
        users = users_of.get(subnet_id, [])
        yield Subnet(
            **ctx.identity(subnet_id, arn=subnet.get("SubnetArn")),
            vpc_id=subnet.get("VpcId") or "",
            availability_zone=subnet.get("AvailabilityZone"),
            map_public_ip_on_launch=bool(subnet.get("MapPublicIpOnLaunch")),
            used_by=tuple(users[:MAX_LISTED_USERS]),
            use_count=len(users),
        )


def _vpcs(ctx: CollectContext) -> Iterator[Vpc]:
    """The VPCs of the ML subnets, with the ML resources in them (no call: the subnets say which VPC)."""
    users_of_subnet = _referenced_here(ctx, RefKind.SUBNET)
    subnets_of: dict[str, list[str]] = defaultdict(list)
    for subnet in ctx.dependency(Subnet):
        if subnet.vpc_id:
            subnets_of[subnet.vpc_id].append(subnet.name)
    for vpc_id, subnet_ids in sorted(subnets_of.items()):
        users = sorted({arn for subnet_id in subnet_ids for arn in users_of_subnet.get(subnet_id, ())})
        yield Vpc(
            **ctx.identity(vpc_id),
            subnet_ids=tuple(sorted(subnet_ids)),
            used_by=tuple(users[:MAX_LISTED_USERS]),
            use_count=len(users),
        )


def _internet_routes(table: dict[str, Any]) -> tuple[str, ...]:
    """A route table's active routes to an internet gateway (an egress-only gateway, `eigw-`, admits no inbound)."""
    return tuple(
        f"{route.get('DestinationCidrBlock') or route.get('DestinationIpv6CidrBlock') or route.get('DestinationPrefixListId')} "
        f"via {route['GatewayId']}"
        for route in table.get("Routes") or ()
        if str(route.get("GatewayId") or "").startswith("igw-") and route.get("State", "active") == "active"
    )


def _routing(ctx: CollectContext) -> Iterator[SubnetRouting]:
    """Each ML subnet's route table: the one associated with it, else its VPC's main table."""
    subnets = ctx.dependency(Subnet)
    vpc_ids = sorted({subnet.vpc_id for subnet in subnets if subnet.vpc_id})
    if not vpc_ids:
        return
    own: dict[str, dict[str, Any]] = {}
    main: dict[str, dict[str, Any]] = {}
    for table in _filtered(ctx, DESCRIBE_ROUTE_TABLES, "RouteTables", "vpc-id", vpc_ids):
        for association in table.get("Associations") or ():
            if (association.get("AssociationState") or {}).get("State", "associated") != "associated":
                continue
            if association.get("Main"):
                main[table.get("VpcId") or ""] = table
            elif association.get("SubnetId"):
                own[association["SubnetId"]] = table
    for subnet in subnets:
        table = own.get(subnet.name) or main.get(subnet.vpc_id) or {}
        yield SubnetRouting(
            **same_identity(subnet),
            route_table_id=table.get("RouteTableId"),
            main=subnet.name not in own,
            internet_routes=_internet_routes(table),
        )


def _routing_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """One filtered DescribeRouteTables per chunk of the ML subnets' VPCs (their tables fit in a page)."""
    vpcs = {subnet.vpc_id for subnet in census.records(Subnet, account_id, region)}
    return Counter({str(DESCRIBE_ROUTE_TABLES): math.ceil(len(vpcs) / FILTER_VALUES)} if vpcs else {})


def _flow_logs(ctx: CollectContext, vpc: Vpc) -> VpcFlowLogs:
    """The flow logs of the VPC and of its ML subnets (one filtered call; a VPC's flow logs fit in a page)."""
    resources = [vpc.name, *vpc.subnet_ids]
    logs = ctx.paginate(DESCRIBE_FLOW_LOGS, "FlowLogs", Filter=[{"Name": "resource-id", "Values": resources}])
    return VpcFlowLogs(
        **same_identity(vpc),
        flow_logs=tuple(
            FlowLog(
                flow_log_id=log.get("FlowLogId") or "",
                resource_id=log.get("ResourceId") or "",
                status=log.get("FlowLogStatus") or "",
                traffic_type=log.get("TrafficType"),
                delivery=log.get("DeliverLogsStatus"),
                destination_type=log.get("LogDestinationType"),
            )
            for log in logs
        ),
    )


def _vpc_endpoints(ctx: CollectContext, vpc: Vpc) -> VpcEndpoints:
    endpoints = ctx.paginate(DESCRIBE_VPC_ENDPOINTS, "VpcEndpoints", Filters=[{"Name": "vpc-id", "Values": [vpc.name]}])
    return VpcEndpoints(
        **same_identity(vpc),
        endpoints=tuple(
            VpcEndpoint(
                endpoint_id=e.get("VpcEndpointId") or "",
                service_name=e.get("ServiceName") or "",
                endpoint_type=e.get("VpcEndpointType") or "",
                state=e.get("State") or "",
            )
            for e in endpoints
        ),
    )


def _ingress(permission: dict[str, Any]) -> IngressRule:
    return IngressRule(
        protocol=str(permission.get("IpProtocol") or "-1"),
        from_port=permission.get("FromPort"),
        to_port=permission.get("ToPort"),
        ipv4_ranges=tuple(r["CidrIp"] for r in permission.get("IpRanges") or () if r.get("CidrIp")),
        ipv6_ranges=tuple(r["CidrIpv6"] for r in permission.get("Ipv6Ranges") or () if r.get("CidrIpv6")),
    )


def _security_groups(ctx: CollectContext) -> Iterator[SecurityGroup]:
    users_of = _referenced_here(ctx, RefKind.SECURITY_GROUP)
    if not users_of:
        return
    for group in _filtered(ctx, DESCRIBE_SECURITY_GROUPS, "SecurityGroups", "group-id", sorted(users_of)):
        group_id = group.get("GroupId") or ""
        users = users_of.get(group_id, [])
        yield SecurityGroup(
            **ctx.identity(group_id, name=group.get("GroupName"), arn=group.get("SecurityGroupArn")),
            group_id=group_id,
            vpc_id=group.get("VpcId"),
            ingress=tuple(_ingress(p) for p in group.get("IpPermissions") or ()),
            used_by=tuple(users[:MAX_LISTED_USERS]),
            use_count=len(users),
        )


COLLECTORS = (
    PartCollector(
        Subnet,
        _subnets,
        calls=(DESCRIBE_SUBNETS,),
        follows=RefKind.SUBNET,
        minimum=_filtered_minimum(DESCRIBE_SUBNETS, RefKind.SUBNET),
    ),
    PartCollector(SubnetRouting, _routing, calls=(DESCRIBE_ROUTE_TABLES,), aspect_of=Subnet, minimum=_routing_minimum),
    PartCollector(Vpc, _vpcs, depends_on=(Subnet,), follows=RefKind.SUBNET),
    PartCollector(VpcEndpoints, ForEachRecord((Vpc,), DESCRIBE_VPC_ENDPOINTS, _vpc_endpoints), aspect_of=Vpc),
    PartCollector(VpcFlowLogs, ForEachRecord((Vpc,), DESCRIBE_FLOW_LOGS, _flow_logs), aspect_of=Vpc),
    PartCollector(
        SecurityGroup,
        _security_groups,
        calls=(DESCRIBE_SECURITY_GROUPS,),
        follows=RefKind.SECURITY_GROUP,
        minimum=_filtered_minimum(DESCRIBE_SECURITY_GROUPS, RefKind.SECURITY_GROUP),
    ),
)
