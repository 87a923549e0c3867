"""CloudWatch records: metric alarms, and the endpoint metrics that show whether an endpoint is used.

Metrics are kept as daily values over the scan's window, not as one aggregate, so that each check applies its own
window (`idle_days`, `window_days`) to the same collected data, and a saved inventory can be judged again later.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Value

SAGEMAKER_NAMESPACE = "AWS/SageMaker"
"""Invocation metrics (Invocations, Invocation5XXErrors, ModelLatency...), by EndpointName and VariantName."""
ENDPOINT_INSTANCE_NAMESPACE = "/aws/sagemaker/Endpoints"
"""Instance metrics of endpoint variants (CPUUtilization, GPUUtilization...), by EndpointName and VariantName."""
RETENTION_DAYS = 455
"""CloudWatch keeps hourly (and coarser) datapoints for 15 months: older days cannot be read (nor judged)."""


class WatchedMetric(Value):
    namespace: str
    metric_name: str
    dimensions: tuple[tuple[str, str], ...] = ()
    """(name, value) pairs."""

    def dimension(self, name: str) -> str | None:
        return next((value for key, value in self.dimensions if key == name), None)


class Alarm(Record):
    """What metric and composite alarms share: whether firing does anything."""

    service: ClassVar[str] = "cloudwatch"

    actions_enabled: bool = False
    alarm_actions: int = 0
    """How many actions run when the alarm fires (SNS topics, Auto Scaling policies...)."""

    @property
    def notifies(self) -> bool:
        """Whether firing does something: actions enabled and at least one alarm action."""
        return self.actions_enabled and self.alarm_actions > 0


class MetricAlarm(Alarm):
    part: ClassVar[str] = "cloudwatch.metric_alarm"
    resource_type: ClassVar[str] = "AWS::CloudWatch::Alarm"
    label: ClassVar[str] = "CloudWatch alarms"
    arn_resource: ClassVar[str] = "alarm:{id}"

    metrics: tuple[WatchedMetric, ...] = ()
    """The metric the alarm watches, or every metric of its metric-math expression."""

    def watches(self, namespace: str, metric_names: frozenset[str], dimension: str, value: str) -> bool:
        return any(
            m.namespace == namespace and m.metric_name in metric_names and m.dimension(dimension) == value
            for m in self.metrics
        )


class CompositeAlarm(Alarm):
    """An alarm whose rule combines other alarms' states; teams put the actions there to cut alarm noise."""

    part: ClassVar[str] = "cloudwatch.composite_alarm"
    resource_type: ClassVar[str] = "AWS::CloudWatch::CompositeAlarm"
    label: ClassVar[str] = "CloudWatch composite alarms"
    arn_resource: ClassVar[str] = "alarm:{id}"

    fires_on: tuple[str, ...] = ()
    """Names of the alarms whose ALARM state the rule reads (`ALARM(name)`, `ALARM("arn...")`)."""


def reached_through(composites: list[CompositeAlarm]) -> set[str]:
    """The names of the alarms whose firing reaches an action through notifying composite alarms, at any depth."""
    by_name = {c.name: c for c in composites}
    reached: set[str] = set()
    pending = [c for c in composites if c.notifies]
    while pending:
        for child in pending.pop().fires_on:
            if child not in reached:
                reached.add(child)
                if child in by_name:
                    pending.append(by_name[child])
    return reached


class Datapoint(Value):
    """One period's value of a metric statistic; the period starts at `timestamp`."""

    timestamp: datetime
    value: float


class EndpointMetrics(Record):
    """Metrics of one endpoint (same ARN and name as the endpoint), read over [window_start, window_end)."""

    service: ClassVar[str] = "cloudwatch"
    resource_type: ClassVar[str] = "AWS::SageMaker::Endpoint"

    window_start: datetime
    window_end: datetime


def values_since(datapoints: tuple[Datapoint, ...], start: datetime) -> list[float]:
    """The values of the periods that start at or after `start`."""
    return [d.value for d in datapoints if d.timestamp >= start]


class EndpointInvocations(EndpointMetrics):
    """Daily sums of AWS/SageMaker Invocations over every variant of an endpoint (InvocationsProcessed for an
    asynchronous endpoint, which publishes no Invocations). A day without data is a day without invocations:
    SageMaker publishes the metric only when there is traffic."""

    part: ClassVar[str] = "cloudwatch.endpoint_invocations"
    label: ClassVar[str] = "endpoint invocation metrics"

    daily: tuple[Datapoint, ...] = ()


class VariantUtilization(Value):
    """Daily maxima of a variant's instance metrics, in CloudWatch's units: CPUUtilization is the sum over vCPUs
    (100 per vCPU), GPUUtilization the sum over GPUs (100 per GPU). No datapoints means no data, not zero."""

    variant_name: str
    cpu: tuple[Datapoint, ...] = ()
    gpu: tuple[Datapoint, ...] = ()


class EndpointUtilization(EndpointMetrics):
    part: ClassVar[str] = "cloudwatch.endpoint_utilization"
    label: ClassVar[str] = "endpoint utilisation metrics"

    variants: tuple[VariantUtilization, ...] = ()
