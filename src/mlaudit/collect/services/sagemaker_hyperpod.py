"""HyperPod clusters: listed, then described (the summaries hold no instance group); the nodes of each cluster in
service, listed (ListClusterNodes pages through them)."""

from __future__ import annotations

import math
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from mlaudit.collect.engine.answers import dig
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import ForEachRecord, Listed, ListThenDescribe, same_identity
from mlaudit.collect.engine.service_model import largest_page
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory import Identity
from mlaudit.inventory.sagemaker_hyperpod import (
    ClusterEbsVolume,
    ClusterInstanceGroup,
    ClusterNode,
    HyperPodCluster,
    HyperPodClusterNodes,
)

LIST_CLUSTER_NODES = Operation("sagemaker:ListClusterNodes")


def _volumes(group: dict[str, Any]) -> tuple[ClusterEbsVolume, ...]:
    configs = [dig(storage, "EbsVolumeConfig") for storage in group.get("InstanceStorageConfigs") or ()]
    return tuple(
        ClusterEbsVolume(
            root=bool(dig(config, "RootVolume")),
            size_gb=dig(config, "VolumeSizeInGB"),
            kms_key_id=dig(config, "VolumeKmsKeyId"),
        )
        for config in configs
        if isinstance(config, dict)
    )


def _group(group: dict[str, Any]) -> ClusterInstanceGroup:
    return ClusterInstanceGroup(
        name=group.get("InstanceGroupName") or "",
        instance_type=group.get("InstanceType"),
        status=group.get("Status"),
        current_count=group.get("CurrentCount") or 0,
        target_count=group.get("TargetCount"),
        execution_role_arn=group.get("ExecutionRole"),
        ebs_volumes=_volumes(group),
        deep_health_checks=tuple(group.get("OnStartDeepHealthChecks") or ()),
        lifecycle_s3_uri=dig(group, "LifeCycleConfig", "SourceS3Uri"),
        subnets=tuple(dig(group, "OverrideVpcConfig", "Subnets") or ()),
        security_group_ids=tuple(dig(group, "OverrideVpcConfig", "SecurityGroupIds") or ()),
    )


def _cluster(identity: Identity, d: dict[str, Any]) -> HyperPodCluster:
    return HyperPodCluster(
        **identity,
        status=d.get("ClusterStatus") or "Unknown",
        subnets=tuple(dig(d, "VpcConfig", "Subnets") or ()),
        security_group_ids=tuple(dig(d, "VpcConfig", "SecurityGroupIds") or ()),
        instance_groups=tuple(_group(group) for group in d.get("InstanceGroups") or () if isinstance(group, dict)),
        orchestrator="EKS" if dig(d, "Orchestrator", "Eks") else "Slurm",
        node_recovery=d.get("NodeRecovery"),
        autoscaling_mode=dig(d, "AutoScaling", "Mode"),
        autoscaling_status=dig(d, "AutoScaling", "Status"),
        cluster_role_arn=d.get("ClusterRole"),
        creation_time=d.get("CreationTime"),
    )


def _nodes(ctx: CollectContext, cluster: HyperPodCluster) -> HyperPodClusterNodes:
    listed_at = datetime.now(UTC)
    summaries = ctx.paginate(LIST_CLUSTER_NODES, "ClusterNodeSummaries", ClusterName=cluster.name)
    return HyperPodClusterNodes(
        **same_identity(cluster),
        nodes=tuple(
            ClusterNode(
                instance_group=node.get("InstanceGroupName") or "",
                instance_id=node.get("InstanceId") or "",
                instance_type=node.get("InstanceType"),
                status=dig(node, "InstanceStatus", "Status"),
                launch_time=node.get("LaunchTime"),
            )
            for node in summaries
        ),
        listed_at=listed_at,
    )


def _in_service(cluster: HyperPodCluster) -> bool:
    return cluster.in_service


def _nodes_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """One ListClusterNodes page per page of each cluster's nodes (clusters out of service are not listed)."""
    page = largest_page(LIST_CLUSTER_NODES) or 100
    calls = sum(
        max(1, math.ceil(len(record.nodes) / page))
        for record in census.records(HyperPodClusterNodes, account_id, region)
    )
    return Counter({str(LIST_CLUSTER_NODES): calls} if calls else {})


COLLECTORS = (
    PartCollector(
        HyperPodCluster,
        ListThenDescribe(
            Operation("sagemaker:ListClusters"),
            "ClusterSummaries",
            Operation("sagemaker:DescribeCluster"),
            Listed(id="ClusterName", arn="ClusterArn"),
            _cluster,
        ),
    ),
    PartCollector(
        HyperPodClusterNodes,
        ForEachRecord((HyperPodCluster,), LIST_CLUSTER_NODES, _nodes, where=_in_service),
        aspect_of=HyperPodCluster,
        minimum=_nodes_minimum,
    ),
)
