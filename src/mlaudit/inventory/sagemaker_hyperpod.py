"""SageMaker HyperPod clusters: persistent training clusters of instance groups, orchestrated by Slurm or Amazon EKS,
and the nodes they run.

A cluster references the roles its instance groups run as, the keys of their volumes, the bucket of their
lifecycle scripts and its subnets and security groups, so that the IAM, KMS, S3 and network checks judge them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, Value, kms_refs, role_refs, s3_refs
from mlaudit.inventory.network import security_group_refs, subnet_refs


class ClusterEbsVolume(Value):
    """An instance group's `InstanceStorageConfigs[].EbsVolumeConfig`."""

    root: bool = False
    """The root volume (encrypted with an AWS owned key unless one is given here), or the secondary one."""
    size_gb: int | None = None
    kms_key_id: str | None = None


class ClusterInstanceGroup(Value):
    name: str
    instance_type: str | None = None
    status: str | None = None
    current_count: int = 0
    target_count: int | None = None
    execution_role_arn: str | None = None
    ebs_volumes: tuple[ClusterEbsVolume, ...] = ()
    deep_health_checks: tuple[str, ...] = ()
    """`OnStartDeepHealthChecks`: InstanceStress, InstanceConnectivity..."""
    lifecycle_s3_uri: str | None = None
    """Where the group's lifecycle scripts (run as root on every node) come from."""
    subnets: tuple[str, ...] = ()
    """`OverrideVpcConfig`: the group's own subnets, instead of the cluster's."""
    security_group_ids: tuple[str, ...] = ()


class HyperPodCluster(Record):
    part: ClassVar[str] = "sagemaker.cluster"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::Cluster"
    label: ClassVar[str] = "HyperPod clusters"
    arn_resource: ClassVar[str] = "cluster/{lower_id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset(
        {RefKind.IAM_ROLE, RefKind.KMS_KEY, RefKind.S3, RefKind.SUBNET, RefKind.SECURITY_GROUP}
    )

    status: str
    subnets: tuple[str, ...] = ()
    security_group_ids: tuple[str, ...] = ()
    instance_groups: tuple[ClusterInstanceGroup, ...] = ()
    orchestrator: str | None = None
    """EKS or Slurm (None: not reported)."""
    node_recovery: str | None = None
    """Automatic or None."""
    autoscaling_mode: str | None = None
    """Enable or Disable (Karpenter autoscaling, EKS clusters only)."""
    autoscaling_status: str | None = None
    cluster_role_arn: str | None = None
    """The role HyperPod uses for the cluster's own operations (autoscaling)."""
    creation_time: datetime | None = None

    @property
    def in_service(self) -> bool:
        return self.status == "InService"

    def references(self) -> Iterator[Reference]:
        groups = self.instance_groups
        yield from role_refs(self.cluster_role_arn, *(g.execution_role_arn for g in groups))
        yield from kms_refs(self, *(v.kms_key_id for g in groups for v in g.ebs_volumes))
        yield from s3_refs(*(g.lifecycle_s3_uri for g in groups))
        yield from subnet_refs(self, *self.subnets, *(s for g in groups for s in g.subnets))
        yield from security_group_refs(
            self, *self.security_group_ids, *(s for g in groups for s in g.security_group_ids)
        )


class ClusterNode(Value):
    instance_group: str
    instance_id: str
    instance_type: str | None = None
    status: str | None = None
    """Running, Pending, Failure, ShuttingDown, SystemUpdating, DeepHealthCheckInProgress..."""
    launch_time: datetime | None = None


class HyperPodClusterNodes(Record):
    """The nodes of a HyperPod cluster (aspect of HyperPodCluster, same ARN), as ListClusterNodes gives them."""

    part: ClassVar[str] = "sagemaker.cluster_nodes"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::Cluster"
    label: ClassVar[str] = "HyperPod cluster nodes"

    nodes: tuple[ClusterNode, ...] = ()
    listed_at: datetime
    """When the nodes were listed: how long they have run is measured from here."""
