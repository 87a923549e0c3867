"""Application Auto Scaling collectors: SageMaker scalable targets and policies, listed once per region."""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.patterns import ListOnly
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import ScalableTarget, ScalingPolicy

_SAGEMAKER = {"ServiceNamespace": "sagemaker"}


def _target(ctx: CollectContext, t: dict[str, Any]) -> ScalableTarget:
    resource_id = t.get("ResourceId") or ""
    return ScalableTarget(
        # Older API responses carry no ARN; this derived one is stable and says what the target scales.
        arn=t.get("ScalableTargetARN")
        or f"arn:{ctx.partition}:application-autoscaling:{ctx.region}:{ctx.account_id}:scalable-target/{resource_id}",
        name=resource_id,
        account_id=ctx.account_id,
        region=ctx.region,
        resource_id=resource_id,
        scalable_dimension=t.get("ScalableDimension") or "",
        min_capacity=int(t.get("MinCapacity") or 0),
        max_capacity=int(t.get("MaxCapacity") or 0),
    )


def _policy(ctx: CollectContext, p: dict[str, Any]) -> ScalingPolicy:
    return ScalingPolicy(
        arn=p.get("PolicyARN") or "",
        name=p.get("PolicyName") or "",
        account_id=ctx.account_id,
        region=ctx.region,
        resource_id=p.get("ResourceId") or "",
        scalable_dimension=p.get("ScalableDimension") or "",
        policy_type=p.get("PolicyType") or "",
    )


COLLECTORS = (
    PartCollector(
        ScalableTarget,
        ("application-autoscaling:DescribeScalableTargets",),
        ListOnly("describe_scalable_targets", "ScalableTargets", _target, list_params=lambda _: dict(_SAGEMAKER)),
    ),
    PartCollector(
        ScalingPolicy,
        ("application-autoscaling:DescribeScalingPolicies",),
        ListOnly("describe_scaling_policies", "ScalingPolicies", _policy, list_params=lambda _: dict(_SAGEMAKER)),
    ),
)
