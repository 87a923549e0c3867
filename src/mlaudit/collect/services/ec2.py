"""EC2 collectors: the VPCs (found through subnets) and security groups that ML records name, region by region,
and the VPC endpoints of those VPCs. Lookups filter by id, so a subnet or group deleted since is simply absent."""

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
from mlaudit.inventory.network import IngressRule, SecurityGroup, Vpc, VpcEndpoint, VpcEndpoints, ec2_id

MAX_LISTED_USERS = 20
FILTER_VALUES = 200
"""EC2 accepts at most this many values in one filter."""


def _referenced_here(ctx: CollectContext, kind: RefKind) -> dict[str, list[str]]:
    """EC2 ids referenced by this region's records, with the ARNs of the records (EC2 resources are regional)."""
    return {ec2_id(target): users for target, users in ctx.referenced(kind, region=ctx.region).items()}


DESCRIBE_SUBNETS = Operation("ec2:DescribeSubnets")
DESCRIBE_SECURITY_GROUPS = Operation("ec2:DescribeSecurityGroups")
DESCRIBE_VPC_ENDPOINTS = Operation("ec2:DescribeVpcEndpoints")


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


def _vpcs(ctx: CollectContext) -> Iterator[Vpc]:
    users_of_subnet = _referenced_here(ctx, RefKind.SUBNET)
    if not users_of_subnet:
        return
    subnets_of: dict[str, list[str]] = defaultdict(list)
    for subnet in _filtered(ctx, DESCRIBE_SUBNETS, "Subnets", "subnet-id", sorted(users_of_subnet)):
        if subnet.get("VpcId") and subnet.get("SubnetId"):
            subnets_of[subnet["VpcId"]].append(subnet["SubnetId"])
    for vpc_id, subnet_ids in sorted(subnets_of.items()):
        users = sorted({arn for subnet_id in subnet_ids for arn in users_of_subnet.get(subnet_id, ())})
        yield Vpc(
            **ctx.identity(vpc_id),
            subnet_ids=tuple(sorted(subnet_ids)),
            used_by=tuple(users[:MAX_LISTED_USERS]),
            use_count=len(users),
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
        Vpc,
        _vpcs,
        calls=(DESCRIBE_SUBNETS,),
        follows=RefKind.SUBNET,
        minimum=_filtered_minimum(DESCRIBE_SUBNETS, RefKind.SUBNET),
    ),
    PartCollector(VpcEndpoints, ForEachRecord((Vpc,), DESCRIBE_VPC_ENDPOINTS, _vpc_endpoints), aspect_of=Vpc),
    PartCollector(
        SecurityGroup,
        _security_groups,
        calls=(DESCRIBE_SECURITY_GROUPS,),
        follows=RefKind.SECURITY_GROUP,
        minimum=_filtered_minimum(DESCRIBE_SECURITY_GROUPS, RefKind.SECURITY_GROUP),
    ),
)
