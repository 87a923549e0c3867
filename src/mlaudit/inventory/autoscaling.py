"""Application Auto Scaling records for SageMaker variants."""

from __future__ import annotations

from typing import ClassVar

from mlaudit.inventory.base import Record

VARIANT_DIMENSION = "sagemaker:variant:DesiredInstanceCount"


def variant_resource_id(endpoint_name: str, variant_name: str) -> str:
    """The Application Auto Scaling ResourceId of an endpoint variant."""
    return f"endpoint/{endpoint_name}/variant/{variant_name}"


class ScalableTarget(Record):
    part: ClassVar[str] = "autoscaling.scalable_target"
    service: ClassVar[str] = "application-autoscaling"
    resource_type: ClassVar[str] = "AWS::ApplicationAutoScaling::ScalableTarget"
    label: ClassVar[str] = "scalable targets"
    arn_resource: ClassVar[str] = "scalable-target/{id}"

    resource_id: str
    scalable_dimension: str
    min_capacity: int
    max_capacity: int


class ScalingPolicy(Record):
    part: ClassVar[str] = "autoscaling.scaling_policy"
    service: ClassVar[str] = "application-autoscaling"
    resource_type: ClassVar[str] = "AWS::ApplicationAutoScaling::ScalingPolicy"
    label: ClassVar[str] = "scaling policies"
    arn_resource: ClassVar[str] = "scaling-policy/{id}"

    resource_id: str
    scalable_dimension: str
    policy_type: str
