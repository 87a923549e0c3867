"""HyperPod clusters: the fields moto 5.x drops, and the node history it cannot have.

moto creates clusters and their nodes, but ignores NodeRecovery, Orchestrator, AutoScaling and ClusterRole at
create, answers an empty FailureMessage for a healthy cluster (AWS answers none), and describes instance groups
without their Status and with the request's MinInstanceCount where AWS answers MinCount. The overrides keep those
fields and answer as AWS does: AutoScaling with its Status (InService), instance groups InService.

moto requires each instance group's ThreadsPerCore and a lifecycle script bucket whose name starts with
`sagemaker-`; callers give both. Nodes launch when moto creates the cluster: `set_node_launch_time` records an
older launch, as SageMaker would report for a node that has run for weeks, in this process's moto.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult
from moto.sagemaker.models import sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = SageMakerResponse

Operation = Callable[[SageMakerResponse], ActionResult]

KEPT = ("NodeRecovery", "Orchestrator", "AutoScaling", "ClusterRole")
"""CreateCluster fields moto ignores, answered back by DescribeCluster."""


def _kept(self: SageMakerResponse) -> dict[str, dict[str, Any]]:
    return backend_state(self.sagemaker_backend, "cluster_fields")


def _cluster_name(self: SageMakerResponse) -> str:
    return str(self._get_param("ClusterName")).rsplit("/", 1)[-1]


def create_cluster(original: Operation) -> Operation:
    def create(self: SageMakerResponse) -> ActionResult:
        result = original(self)
        given = {field: self._get_param(field) for field in KEPT}
        if given["AutoScaling"]:
            given["AutoScaling"] = {**given["AutoScaling"], "Status": "InService"}
        _kept(self)[_cluster_name(self)] = {field: value for field, value in given.items() if value}
        return result

    return create


def _group(group: dict[str, Any]) -> dict[str, Any]:
    answered = {key: value for key, value in group.items() if key != "MinInstanceCount"}
    if group.get("MinInstanceCount") is not None:
        answered["MinCount"] = group["MinInstanceCount"]
    return {"Status": "InService", **answered}


def describe_cluster(original: Operation) -> Operation:
    def describe(self: SageMakerResponse) -> ActionResult:
        described = original(self).result
        assert isinstance(described, dict)
        answered = {key: value for key, value in described.items() if value not in (None, "")}
        answered["InstanceGroups"] = [_group(group) for group in described.get("InstanceGroups") or ()]
        return ActionResult({**answered, **_kept(self).get(_cluster_name(self), {})})

    return describe


def set_node_launch_time(
    region: str,
    cluster: str,
    launched: datetime,
    instance_group: str | None = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> None:
    """Record that the cluster's nodes (of one instance group, or all) were launched at `launched`. Raises KeyError
    if the cluster is not in this process's moto."""
    nodes: Any = sagemaker_backends[account_id][region].clusters[cluster].nodes  # moto's ClusterNode objects
    for node in nodes.values():
        if instance_group is None or node.instance_group_name == instance_group:
            node.launch_time = launched.astimezone(UTC).replace(tzinfo=None)  # moto keeps naive UTC times


OPERATIONS: dict[str, Operation] = {}
OVERRIDES = {"create_cluster": create_cluster, "describe_cluster": describe_cluster}
