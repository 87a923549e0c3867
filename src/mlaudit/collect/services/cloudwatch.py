"""CloudWatch collectors: metric and composite alarms, both listed by one DescribeAlarms per region, and the metrics
of endpoints and of Bedrock provisioned throughput, read in batches.

Metrics are read only for the resources a check can judge (endpoints in service on provisioned instances,
throughput in service), as daily values over the scan's window (from `ctx.since`, at most CloudWatch's 455-day
retention), with up to 500 queries in each GetMetricData call: a region with a thousand endpoints costs a handful of
calls, not a thousand.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

from mlaudit.collect.accounts.failures import CallFailed
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.spec import Census, MinimumCalls, PartCollector
from mlaudit.inventory import CollectionError, Endpoint, Record
from mlaudit.inventory.bedrock_assets import BEDROCK_NAMESPACE, ProvisionedThroughput, ThroughputInvocations
from mlaudit.inventory.cloudwatch import (
    ENDPOINT_INSTANCE_NAMESPACE,
    RETENTION_DAYS,
    SAGEMAKER_NAMESPACE,
    CompositeAlarm,
    Datapoint,
    EndpointInvocations,
    EndpointUtilization,
    MetricAlarm,
    VariantUtilization,
    WatchedMetric,
)

GET_METRIC_DATA = Operation("cloudwatch:GetMetricData")
DESCRIBE_ALARMS = Operation("cloudwatch:DescribeAlarms")
MAX_QUERIES_PER_CALL = 500
"""GetMetricData's limit on MetricDataQueries per request."""
DAY = timedelta(days=1)
FAILED_QUERY_STATUSES = frozenset({"InternalError", "Forbidden"})


def _watched(metric: dict[str, Any]) -> WatchedMetric:
    return WatchedMetric(
        namespace=metric.get("Namespace") or "",
        metric_name=metric.get("MetricName") or "",
        dimensions=tuple((d.get("Name") or "", d.get("Value") or "") for d in metric.get("Dimensions") or ()),
    )


def _alarm_fields(ctx: CollectContext, a: dict[str, Any]) -> dict[str, Any]:
    return {
        **ctx.identity(a.get("AlarmName") or "", arn=a.get("AlarmArn")),
        "actions_enabled": bool(a.get("ActionsEnabled")),
        "alarm_actions": len(a.get("AlarmActions") or ()),
    }


def _metric_alarm(ctx: CollectContext, a: dict[str, Any]) -> MetricAlarm:
    """A metric alarm, with the metric it watches or, for a metric-math alarm, every metric of the expression."""
    metrics = [_watched(a)] if a.get("MetricName") else []
    stats = [q.get("MetricStat") or {} for q in a.get("Metrics") or ()]
    metrics += [_watched(stat["Metric"]) for stat in stats if stat.get("Metric")]
    return MetricAlarm(**_alarm_fields(ctx, a), metrics=tuple(metrics))


_FIRES_ON = re.compile(r"""\bALARM\(\s*["']?([^"'()]+?)["']?\s*\)""")
"""`ALARM(name)` or `ALARM("name or ARN")` in a composite alarm's rule."""


def _composite_alarm(ctx: CollectContext, a: dict[str, Any]) -> CompositeAlarm:
    children = (child.split(":alarm:", 1)[-1] for child in _FIRES_ON.findall(a.get("AlarmRule") or ""))
    return CompositeAlarm(**_alarm_fields(ctx, a), fires_on=tuple(sorted(set(children))))


@dataclass(frozen=True)
class MetricQuery:
    """One daily statistic of one metric (an endpoint variant's, a provisioned throughput's)."""

    namespace: str
    metric_name: str
    stat: str
    dimensions: tuple[tuple[str, str], ...]
    """(name, value) pairs."""

    @property
    def subject(self) -> str:
        return "/".join(value for _, value in self.dimensions)

    def spec(self, query_id: str) -> dict[str, Any]:
        dimensions = [{"Name": name, "Value": value} for name, value in self.dimensions]
        metric = {"Namespace": self.namespace, "MetricName": self.metric_name, "Dimensions": dimensions}
        return {"Id": query_id, "MetricStat": {"Metric": metric, "Period": int(DAY.total_seconds()), "Stat": self.stat}}


def variant_query(namespace: str, metric_name: str, stat: str, endpoint: str, variant: str) -> MetricQuery:
    return MetricQuery(namespace, metric_name, stat, (("EndpointName", endpoint), ("VariantName", variant)))


Series = dict[MetricQuery, tuple[Datapoint, ...]]
"""The daily datapoints of each query (empty when CloudWatch has no data)."""


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime

    @classmethod
    def of(cls, ctx: CollectContext) -> Window:
        """Whole days back from the last full hour (so that CloudWatch's rounding of StartTime changes nothing),
        as far as the scan's lookback and CloudWatch's retention allow."""
        end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
        days = min(RETENTION_DAYS, max(1, round((end - ctx.since) / DAY)))
        return cls(end - days * DAY, end)


R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class MetricReader(Generic[R]):
    """A part read from GetMetricData for the records of another part that need it: those `judged` true, asked
    what `queries` says (nothing: the record is skipped); `build` makes each one's record from the answers."""

    parent: type[R]
    judged: Callable[[R], bool]
    queries: Callable[[R], list[MetricQuery]]
    build: Callable[[R, Window, Series], Record]

    @property
    def operations(self) -> tuple[Operation, ...]:
        return (GET_METRIC_DATA,)

    @property
    def reads(self) -> tuple[type[Record], ...]:
        return (self.parent,)

    def _wanted(self, records: list[R]) -> list[tuple[R, list[MetricQuery]]]:
        return [(record, self.queries(record)) for record in records if self.judged(record)]

    def __call__(self, ctx: CollectContext) -> Iterator[Record]:
        window = Window.of(ctx)
        failures: list[str] = []
        for batch in _batches(self._wanted(ctx.dependency(self.parent))):
            series, failed = _read(ctx, [q for _, queries in batch for q in queries], window)
            failures += [f"{q.metric_name} of {q.subject}: {status}" for q, status in failed.items()]
            for parent, queries in batch:
                if not any(q in failed for q in queries):
                    yield self.build(parent, window, {q: series[q] for q in queries})
        if failures:
            raise CallFailed(_query_failure(ctx, failures))  # the records without metrics report ERROR

    def minimum_calls(self, census: Census, record: type[Record], account_id: str, region: str) -> Counter[str]:
        """One call per batch of the queries of the records read (their pages: one per call at a day a point)."""
        batches = sum(1 for _ in _batches(self._wanted(census.records(self.parent, account_id, region))))
        return Counter({str(GET_METRIC_DATA): batches} if batches else {})


def _batches(wanted: list[tuple[R, list[MetricQuery]]]) -> Iterator[list[tuple[R, list[MetricQuery]]]]:
    """Records grouped so that each group's queries fit in one call (a record's queries are never split)."""
    batch: list[tuple[R, list[MetricQuery]]] = []
    size = 0
    for record, queries in wanted:
        if not queries:
            continue
        if batch and size + len(queries) > MAX_QUERIES_PER_CALL:
            yield batch
            batch, size = [], 0
        batch.append((record, queries))
        size += len(queries)
    if batch:
        yield batch


def _read(ctx: CollectContext, queries: list[MetricQuery], window: Window) -> tuple[Series, dict[MetricQuery, str]]:
    """One GetMetricData request (its pages merged): the datapoints of each query, and the status of each query
    CloudWatch could not answer."""
    by_id = {f"q{i}": query for i, query in enumerate(queries)}
    values: dict[str, dict[datetime, float]] = defaultdict(dict)
    failed: dict[MetricQuery, str] = {}
    pages = ctx.paginate(
        GET_METRIC_DATA,
        "MetricDataResults",
        MetricDataQueries=[query.spec(query_id) for query_id, query in by_id.items()],
        StartTime=window.start,
        EndTime=window.end,
    )
    for result in pages:
        query_id = result.get("Id") or ""
        if result.get("StatusCode") in FAILED_QUERY_STATUSES and query_id in by_id:
            failed[by_id[query_id]] = str(result["StatusCode"])
        stamps = [t.astimezone(UTC) for t in result.get("Timestamps") or ()]
        values[query_id].update(zip(stamps, result.get("Values") or (), strict=False))
    series = {
        query: tuple(Datapoint(timestamp=t, value=v) for t, v in sorted(values[query_id].items()))
        for query_id, query in by_id.items()
    }
    return series, failed


def _query_failure(ctx: CollectContext, failures: list[str]) -> CollectionError:
    shown = "; ".join(failures[:3]) + (f" and {len(failures) - 3} more" if len(failures) > 3 else "")
    return CollectionError(
        part=ctx.collector.part,
        service="cloudwatch",
        operation="GetMetricData",
        account_id=ctx.account_id,
        region=ctx.region,
        error_code="QueryFailed",
        message=f"CloudWatch could not answer {len(failures)} metric queries ({shown})",
    )


def _identity(record: Record, window: Window) -> dict[str, Any]:
    return {
        "arn": record.arn,
        "name": record.name,
        "account_id": record.account_id,
        "region": record.region,
        "window_start": window.start,
        "window_end": window.end,
    }


def _daily_sums(series: Series) -> tuple[Datapoint, ...]:
    """The day-by-day sum of every query's datapoints."""
    daily: dict[datetime, float] = defaultdict(float)
    for datapoints in series.values():
        for point in datapoints:
            daily[point.timestamp] += point.value
    return tuple(Datapoint(timestamp=t, value=v) for t, v in sorted(daily.items()))


def _invocation_queries(endpoint: Endpoint) -> list[MetricQuery]:
    if not endpoint.instance_variants:
        return []  # serverless endpoints cost nothing while idle
    metric = "InvocationsProcessed" if endpoint.is_async else "Invocations"  # async endpoints publish no Invocations
    return [variant_query(SAGEMAKER_NAMESPACE, metric, "Sum", endpoint.name, v.variant_name) for v in endpoint.variants]


def _invocations(endpoint: Endpoint, window: Window, series: Series) -> EndpointInvocations:
    return EndpointInvocations(**_identity(endpoint, window), daily=_daily_sums(series))


def _throughput_queries(throughput: ProvisionedThroughput) -> list[MetricQuery]:
    """Requests that use provisioned throughput name its ARN as their modelId."""
    return [MetricQuery(BEDROCK_NAMESPACE, "Invocations", "Sum", (("ModelId", throughput.arn),))]


def _throughput_invocations(throughput: ProvisionedThroughput, window: Window, series: Series) -> Record:
    return ThroughputInvocations(**_identity(throughput, window), daily=_daily_sums(series))


def _utilization_query(metric_name: str, endpoint: str, variant: str) -> MetricQuery:
    return variant_query(ENDPOINT_INSTANCE_NAMESPACE, metric_name, "Maximum", endpoint, variant)


def _utilization_queries(endpoint: Endpoint) -> list[MetricQuery]:
    return [
        _utilization_query(metric, endpoint.name, v.variant_name)
        for v in endpoint.instance_variants
        for metric in ("CPUUtilization", "GPUUtilization")
    ]


def _utilization(endpoint: Endpoint, window: Window, series: Series) -> EndpointUtilization:
    variants = [
        VariantUtilization(
            variant_name=v.variant_name,
            cpu=series[_utilization_query("CPUUtilization", endpoint.name, v.variant_name)],
            gpu=series[_utilization_query("GPUUtilization", endpoint.name, v.variant_name)],
        )
        for v in endpoint.instance_variants
    ]
    return EndpointUtilization(**_identity(endpoint, window), variants=tuple(variants))


def _in_service(endpoint: Endpoint) -> bool:
    return endpoint.in_service


def _throughput_in_service(throughput: ProvisionedThroughput) -> bool:
    return throughput.status == "InService"


ALARMS = "alarms"
"""The shared answer both alarm parts read."""


def _alarms(ctx: CollectContext) -> dict[str, list[dict[str, Any]]]:
    """Both kinds of alarm of the region, by result key, from one paginated DescribeAlarms (without `AlarmTypes`
    AWS answers metric alarms only): whichever alarm part runs first fetches them for both."""

    def fetch() -> dict[str, list[dict[str, Any]]]:
        alarms: dict[str, list[dict[str, Any]]] = {"MetricAlarms": [], "CompositeAlarms": []}
        for page in ctx.pages(DESCRIBE_ALARMS, AlarmTypes=["MetricAlarm", "CompositeAlarm"]):
            for key, items in alarms.items():
                items.extend(page.get(key) or [])
        return alarms

    return ctx.shared(ALARMS, fetch)


def _alarms_of(
    key: str, build: Callable[[CollectContext, dict[str, Any]], Record]
) -> Callable[[CollectContext], Iterator[Record]]:
    """A part's collector: the alarms of one kind, from the answer both parts share."""
    return lambda ctx: (build(ctx, alarm) for alarm in _alarms(ctx)[key])


def _alarms_minimum(record_type: type[Record]) -> MinimumCalls:
    """DescribeAlarms once a region for both kinds, counted with the metric alarms (or with the composite ones when
    metric alarms were not collected)."""

    def minimum(census: Census, account_id: str, region: str) -> Counter[str]:
        if record_type is CompositeAlarm and census.collected(MetricAlarm, account_id, region):
            return Counter()
        alarms = sum(len(census.records(kind, account_id, region)) for kind in (MetricAlarm, CompositeAlarm))
        return Counter({str(DESCRIBE_ALARMS): census.pages(DESCRIBE_ALARMS, alarms)})

    return minimum


COLLECTORS = (
    PartCollector(
        MetricAlarm,
        _alarms_of("MetricAlarms", _metric_alarm),
        calls=(DESCRIBE_ALARMS,),
        shares=(ALARMS,),
        minimum=_alarms_minimum(MetricAlarm),
    ),
    PartCollector(
        CompositeAlarm,
        _alarms_of("CompositeAlarms", _composite_alarm),
        calls=(DESCRIBE_ALARMS,),
        shares=(ALARMS,),
        minimum=_alarms_minimum(CompositeAlarm),
    ),
    PartCollector(
        EndpointInvocations,
        MetricReader(Endpoint, _in_service, _invocation_queries, _invocations),
        aspect_of=Endpoint,
    ),
    PartCollector(
        EndpointUtilization,
        MetricReader(Endpoint, _in_service, _utilization_queries, _utilization),
        aspect_of=Endpoint,
    ),
    PartCollector(
        ThroughputInvocations,
        MetricReader(ProvisionedThroughput, _throughput_in_service, _throughput_queries, _throughput_invocations),
        aspect_of=ProvisionedThroughput,
    ),
)
