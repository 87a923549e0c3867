"""Application Auto Scaling collectors: SageMaker scalable targets and policies, listed once per region."""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListOnly
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import Identity, ScalableTarget, ScalingPolicy


def _sagemaker_only(ctx: CollectContext) -> dict[str, Any]:
    return {"ServiceNamespace": "sagemaker"}


def _target(identity: Identity, t: dict[str, Any]) -> ScalableTarget:
    return ScalableTarget(
        **identity,
        resource_id=t.get("ResourceId") or "",
        scalable_dimension=t.get("ScalableDimension") or "",
        min_capacity=int(t.get("MinCapacity") or 0),
        max_capacity=int(t.get("MaxCapacity") or 0),
    )


def _policy(identity: Identity, p: dict[str, Any]) -> ScalingPolicy:
    return ScalingPolicy(
        **identity,
        resource_id=p.get("ResourceId") or "",
        scalable_dimension=p.get("ScalableDimension") or "",
        policy_type=p.get("PolicyType") or "",
    )


COLLECTORS = (
    PartCollector(
        ScalableTarget,
        ListOnly(
            Operation("application-autoscaling:DescribeScalableTargets"),
            "ScalableTargets",
            Listed(id="ResourceId", arn="ScalableTargetARN"),
            _target,
            list_params=_sagemaker_only,
        ),
    ),
    PartCollector(
        ScalingPolicy,
        ListOnly(
            Operation("application-autoscaling:DescribeScalingPolicies"),
            "ScalingPolicies",
            Listed(id="PolicyName", arn="PolicyARN"),
            _policy,
            list_params=_sagemaker_only,
        ),
    ),
)
