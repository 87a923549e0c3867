"""EC2 collectors: the VPCs (found through subnets) and security groups that ML records name, region by region,
and the VPC endpoints of those VPCs. Lookups filter by id, so a subnet or group deleted since is simply absent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.patterns import ForEachRecord, same_identity
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import RefKind
from mlaudit.inventory.network import IngressRule, SecurityGroup, Vpc, VpcEndpoint, VpcEndpoints, ec2_id

MAX_LISTED_USERS = 20
FILTER_VALUES = 200
"""EC2 accepts at most this many values in one filter."""


def _referenced_here(ctx: CollectContext, kind: RefKind) -> dict[str, list[str]]:
    """EC2 ids referenced by this region's records, with the ARNs of the records (EC2 resources are regional)."""
    return {ec2_id(target): users for target, users in ctx.referenced(kind, region=ctx.region).items()}


def _filtered(ctx: CollectContext, method: str, key: str, name: str, ids: list[str]) -> Iterator[dict[str, Any]]:
    for start in range(0, len(ids), FILTER_VALUES):
        chunk = ids[start : start + FILTER_VALUES]
        yield from ctx.paginate(method, key, Filters=[{"Name": name, "Values": chunk}])


def _arn(ctx: CollectContext, resource: str, resource_id: str) -> str:
    return f"arn:{ctx.partition}:ec2:{ctx.region}:{ctx.account_id}:{resource}/{resource_id}"


def _vpcs(ctx: CollectContext) -> Iterator[Vpc]:
    users_of_subnet = _referenced_here(ctx, RefKind.SUBNET)
    if not users_of_subnet:
        return
    subnets_of: dict[str, list[str]] = defaultdict(list)
    for subnet in _filtered(ctx, "describe_subnets", "Subnets", "subnet-id", sorted(users_of_subnet)):
        if subnet.get("VpcId") and subnet.get("SubnetId"):
            subnets_of[subnet["VpcId"]].append(subnet["SubnetId"])
    for vpc_id, subnet_ids in sorted(subnets_of.items()):
        users = sorted({arn for subnet_id in subnet_ids for arn in users_of_subnet.get(subnet_id, ())})
        yield Vpc(
            arn=_arn(ctx, "vpc", vpc_id),
            name=vpc_id,
            account_id=ctx.account_id,
            region=ctx.region,
            subnet_ids=tuple(sorted(subnet_ids)),
            used_by=tuple(users[:MAX_LISTED_USERS]),
            use_count=len(users),
        )


def _vpc_endpoints(ctx: CollectContext, vpc: Vpc) -> VpcEndpoints:
    endpoints = ctx.paginate(
        "describe_vpc_endpoints", "VpcEndpoints", Filters=[{"Name": "vpc-id", "Values": [vpc.name]}]
    )
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
    for group in _filtered(ctx, "describe_security_groups", "SecurityGroups", "group-id", sorted(users_of)):
        group_id = group.get("GroupId") or ""
        users = users_of.get(group_id, [])
        yield SecurityGroup(
            arn=group.get("SecurityGroupArn") or _arn(ctx, "security-group", group_id),
            name=group.get("GroupName") or group_id,
            account_id=ctx.account_id,
            region=ctx.region,
            group_id=group_id,
            vpc_id=group.get("VpcId"),
            ingress=tuple(_ingress(p) for p in group.get("IpPermissions") or ()),
            used_by=tuple(users[:MAX_LISTED_USERS]),
            use_count=len(users),
        )


COLLECTORS = (
    PartCollector(Vpc, ("ec2:DescribeSubnets",), _vpcs, follows=RefKind.SUBNET),
    PartCollector(VpcEndpoints, ("ec2:DescribeVpcEndpoints",), ForEachRecord((Vpc,), _vpc_endpoints), aspect_of=Vpc),
    PartCollector(SecurityGroup, ("ec2:DescribeSecurityGroups",), _security_groups, follows=RefKind.SECURITY_GROUP),
)
