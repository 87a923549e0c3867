"""SageMaker HyperPod clusters: persistent fleets of accelerated instances for training, whose network, volumes,
resilience and idle capacity are the cluster owner's to configure."""

from __future__ import annotations

from datetime import timedelta

from mlaudit.inventory import KmsKey
from mlaudit.inventory.sagemaker_hyperpod import ClusterInstanceGroup, HyperPodCluster, HyperPodClusterNodes
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Setting,
    Severity,
    Status,
    check,
    failed,
    ml_lens,
    passed,
)
from mlaudit.sdk.instances import is_accelerated
from mlaudit.sdk.kms import customer_managed_key
from mlaudit.sdk.wording import counted, names


@check(
    id="SM-HYPERPOD-001",
    name="hyperpod-cluster-outside-vpc",
    title="HyperPod clusters should run in a VPC",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=HyperPodCluster,
    rationale="""A HyperPod cluster without a VpcConfig runs its nodes in a network that SageMaker manages, outside
    the team's security groups, VPC endpoints and flow logs, for weeks at a time and with access to the training
    data, checkpoints and the instance groups' roles. In a VPC its traffic to S3, FSx and the internet can be kept
    private and audited, and its security groups go through the network checks.""",
    judges="""Every cluster that is not being deleted or failed. An instance group's OverrideVpcConfig counts for that
    group: the cluster passes when every instance group runs in subnets of the team's, its own or the cluster's.""",
    remediation=Remediation(
        text="The VPC cannot be added to a running cluster: create a replacement cluster with a VpcConfig (private "
        "subnets with an S3 gateway endpoint, and a security group that allows traffic between its nodes), move the "
        "jobs over and delete the old cluster.",
        cli="aws sagemaker create-cluster --cluster-name <name> --instance-groups file://instance-groups.json "
        "--vpc-config SecurityGroupIds=<sg-id>,Subnets=<subnet-id>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-hyperpod-prerequisites.html",
    ),
    references=(ml_lens("MLSEC-04"), ml_lens("MLSEC-09")),
)
def hyperpod_cluster_outside_vpc(cluster: HyperPodCluster, ctx: CheckContext) -> Outcome | None:
    if cluster.status in ("Deleting", "Failed"):
        return None
    outside = [group.name for group in cluster.instance_groups if not (group.subnets or cluster.subnets)]
    if outside:
        return failed("no VpcConfig: instance groups " + names(outside) + " run in a network that SageMaker manages")
    subnets = sorted({s for group in cluster.instance_groups for s in group.subnets} | set(cluster.subnets))
    return passed("runs in subnets " + names(subnets))


def _group_volume_problems(group: ClusterInstanceGroup, cluster: HyperPodCluster, ctx: CheckContext) -> list[str]:
    if not group.ebs_volumes:
        return [f"{group.name}: no EBS volume configuration, so its volumes use a key AWS owns"]
    problems = []
    for volume in group.ebs_volumes:
        which = "root volume" if volume.root else "secondary volume"
        verdict = customer_managed_key(cluster, volume.kms_key_id, ctx, f"{group.name}'s {which}")
        if verdict.status is Status.FAIL:
            problems.append(verdict.detail)
    return problems


@check(
    id="SM-HYPERPOD-002",
    name="hyperpod-volume-not-cmk",
    title="HyperPod instance groups should encrypt their EBS volumes with a customer managed key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=HyperPodCluster,
    uses=(KmsKey,),
    rationale="""The EBS volumes of a HyperPod node (the root volume and the secondary volume at /opt/sagemaker) hold
    containers, datasets staged for training, checkpoints and logs. Without VolumeKmsKeyId they are encrypted with a
    key AWS owns, whose use the team cannot restrict, audit or revoke through a key policy of its own.""",
    judges="""Every instance group of clusters that are not being deleted or failed. A group passes when each EBS
    volume configuration it declares names a customer managed key that exists; a group that declares none fails
    (its volumes use a key AWS owns). Restricted instance groups are not judged.""",
    remediation=Remediation(
        text="Give each instance group an EBS volume configuration with a customer managed key (RootVolume true for "
        "the root volume); new and replaced nodes use it.",
        cli="aws sagemaker update-cluster --cluster-name <name> --instance-groups file://instance-groups-with-kms.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ClusterEbsVolumeConfig.html",
        placeholders={"name": "resource_name"},
    ),
    references=(ml_lens("MLSEC-02"),),
)
def hyperpod_volume_not_cmk(cluster: HyperPodCluster, ctx: CheckContext) -> Outcome | None:
    if cluster.status in ("Deleting", "Failed") or not cluster.instance_groups:
        return None
    problems = [p for group in cluster.instance_groups for p in _group_volume_problems(group, cluster, ctx)]
    if problems:
        return failed("; ".join(problems))
    return passed("every instance group's EBS volumes use a customer managed key")


@check(
    id="SM-HYPERPOD-003",
    name="hyperpod-deep-health-checks-off",
    title="HyperPod accelerated instance groups should run deep health checks when nodes start",
    severity=Severity.LOW,
    pillar=Pillar.RELIABILITY,
    resource=HyperPodCluster,
    settings={
        "required_checks": Setting(
            default=("InstanceStress", "InstanceConnectivity"),
            description="OnStartDeepHealthChecks every accelerated instance group should run",
        )
    },
    rationale="""A GPU or Trainium node with a faulty accelerator or interconnect joins the cluster looking healthy,
    then slows or crashes every distributed job scheduled on it, and a large training run loses hours before the
    node is found. Deep health checks stress the accelerators (InstanceStress) and test the network between them
    (InstanceConnectivity) when a node is created or replaced, so a faulty node never takes a job.""",
    judges="""Instance groups on GPU, Trainium or Inferentia instances of EKS-orchestrated clusters that are not being
    deleted or failed (HyperPod runs deep health checks on EKS clusters; Slurm clusters and CPU groups are not
    judged).""",
    remediation=Remediation(
        text="Set OnStartDeepHealthChecks to InstanceStress and InstanceConnectivity on each accelerated instance "
        "group; the checks run when nodes are added or replaced.",
        cli="aws sagemaker update-cluster --cluster-name <name> --instance-groups "
        "'InstanceGroupName=<group>,InstanceType=<type>,InstanceCount=<n>,ExecutionRole=<role-arn>,"
        "LifeCycleConfig={SourceS3Uri=<uri>,OnCreate=on_create.sh},"
        "OnStartDeepHealthChecks=InstanceStress,InstanceConnectivity'",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-hyperpod-eks-resiliency-deep-health-checks.html",
        placeholders={"name": "resource_name"},
    ),
    references=(ml_lens("MLCOST-18"), ml_lens("MLPER-05")),
)
def hyperpod_deep_health_checks_off(cluster: HyperPodCluster, ctx: CheckContext) -> Outcome | None:
    groups = [g for g in cluster.instance_groups if is_accelerated(g.instance_type)]
    if cluster.orchestrator != "EKS" or cluster.status in ("Deleting", "Failed") or not groups:
        return None
    required = list(ctx.setting("required_checks"))
    missing = {
        group.name: [name for name in required if name not in group.deep_health_checks]
        for group in groups
        if any(name not in group.deep_health_checks for name in required)
    }
    if missing:
        return failed("; ".join(f"{group}: no {names(checks)} deep health check" for group, checks in missing.items()))
    return passed(f"accelerated instance groups {names([g.name for g in groups])} run {names(required)}")


@check(
    id="SM-HYPERPOD-004",
    name="hyperpod-node-recovery-off",
    title="HyperPod clusters should replace faulty nodes automatically",
    severity=Severity.MEDIUM,
    pillar=Pillar.RELIABILITY,
    resource=HyperPodCluster,
    rationale="""Accelerator failures are routine at HyperPod's scale. With NodeRecovery Automatic, HyperPod reboots
    or replaces a node its health agents find faulty, and a job resumes from its last checkpoint; with None, the
    node stays in the cluster until an administrator notices, while jobs fail or wait and the cluster bills in
    full.""",
    judges="""Every cluster that is not being deleted or failed; a cluster that reports no NodeRecovery fails.""",
    remediation=Remediation(
        text="Turn automatic node recovery on for the cluster.",
        cli="aws sagemaker update-cluster --cluster-name <name> --node-recovery Automatic",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-hyperpod-eks-resiliency-node-recovery.html",
        placeholders={"name": "resource_name"},
    ),
    references=(ml_lens("MLCOST-18"),),
)
def hyperpod_node_recovery_off(cluster: HyperPodCluster, ctx: CheckContext) -> Outcome | None:
    if cluster.status in ("Deleting", "Failed"):
        return None
    if cluster.node_recovery == "Automatic":
        return passed("faulty nodes are rebooted or replaced automatically (NodeRecovery Automatic)")
    if cluster.node_recovery is None:
        return failed("the cluster reports no NodeRecovery: nothing says faulty nodes are replaced")
    return failed(f"NodeRecovery is {cluster.node_recovery}: faulty nodes stay until an administrator replaces them")


@check(
    id="SM-HYPERPOD-005",
    name="hyperpod-cluster-idle-capacity",
    title="HyperPod clusters should not hold accelerated nodes that nothing scales down",
    severity=Severity.MEDIUM,
    pillar=Pillar.COST,
    resource=HyperPodCluster,
    uses=(HyperPodClusterNodes,),
    settings={
        "static_days": Setting(
            default=14,
            description="days an unchanged set of running accelerated nodes may be held without autoscaling",
            minimum=1,
            maximum=365,
        )
    },
    rationale="""A HyperPod cluster bills for every node it holds, whether jobs run on them or not: a cluster of
    p5 nodes left between projects costs as much as one training around the clock. SageMaker's APIs cannot see the
    jobs on a node, but they show what holds the capacity: running accelerated nodes, none launched for weeks, and no
    autoscaling to release them when the queue empties. Such a cluster should scale its groups down between runs,
    or autoscale.""",
    judges="""Clusters in service with running nodes on GPU, Trainium or Inferentia instances (ListClusterNodes);
    others are not judged. A cluster passes when Karpenter autoscaling is enabled and in service (idle nodes are
    released), or when one of its running accelerated nodes launched within static_days (its capacity changes);
    otherwise it fails.""",
    remediation=Remediation(
        text="Scale the accelerated instance groups down to zero between training runs (or delete the cluster), or "
        "enable autoscaling on an EKS cluster so that idle nodes are released.",
        cli="aws sagemaker update-cluster --cluster-name <name> --instance-groups "
        "'InstanceGroupName=<group>,InstanceType=<type>,InstanceCount=0,ExecutionRole=<role-arn>,"
        "LifeCycleConfig={SourceS3Uri=<uri>,OnCreate=on_create.sh}'",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-hyperpod-eks-autoscaling.html",
        placeholders={"name": "resource_name"},
    ),
    references=(ml_lens("MLCOST-16"), ml_lens("MLSUS-04"), ml_lens("MLCOST-09")),
)
def hyperpod_cluster_idle_capacity(cluster: HyperPodCluster, ctx: CheckContext) -> Outcome | None:
    if not cluster.in_service:
        return None
    listing = ctx.require(HyperPodClusterNodes, cluster.arn)
    running = [n for n in listing.nodes if n.status == "Running" and is_accelerated(n.instance_type)]
    if not running:
        return None
    held = counted(len(running), "running accelerated node")
    if cluster.autoscaling_mode == "Enable" and cluster.autoscaling_status == "InService":
        return passed(f"{held}; autoscaling releases idle nodes")
    newest = max((n.launch_time for n in running if n.launch_time), default=None)
    days = ctx.setting("static_days")
    if newest is not None and listing.listed_at - newest <= timedelta(days=days):
        return passed(f"{held}; the newest launched {newest:%Y-%m-%d}, within {days} days")
    since = f"none launched since {newest:%Y-%m-%d}" if newest else "with no launch time"
    types = sorted({n.instance_type or "" for n in running})
    return failed(f"{held} ({names(types)}), {since}, and no autoscaling releases them when idle")
