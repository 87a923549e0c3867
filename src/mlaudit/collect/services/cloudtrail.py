"""CloudTrail collector: every trail of the account (listed once), each read in its home region with its logging
status and event selectors."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory import Identity
from mlaudit.inventory.cloudtrail import (
    AdvancedEventSelector,
    CloudTrailTrail,
    DataResource,
    EventSelector,
    FieldSelector,
)


def _event_selector(s: dict[str, Any]) -> EventSelector:
    return EventSelector(
        read_write_type=s.get("ReadWriteType") or "All",
        include_management_events=s.get("IncludeManagementEvents", True) is not False,
        data_resources=tuple(
            DataResource(type=r.get("Type") or "", values=tuple(r.get("Values") or ()))
            for r in s.get("DataResources") or ()
        ),
    )


def _advanced_selector(s: dict[str, Any]) -> AdvancedEventSelector:
    return AdvancedEventSelector(
        name=s.get("Name"),
        field_selectors=tuple(
            FieldSelector(
                field=f.get("Field") or "",
                equals=tuple(f.get("Equals") or ()),
                starts_with=tuple(f.get("StartsWith") or ()),
                ends_with=tuple(f.get("EndsWith") or ()),
                not_equals=tuple(f.get("NotEquals") or ()),
                not_starts_with=tuple(f.get("NotStartsWith") or ()),
                not_ends_with=tuple(f.get("NotEndsWith") or ()),
            )
            for f in s.get("FieldSelectors") or ()
        ),
    )


LIST_TRAILS = Operation("cloudtrail:ListTrails")
GET_TRAIL = Operation("cloudtrail:GetTrail")
GET_TRAIL_STATUS = Operation("cloudtrail:GetTrailStatus")
GET_EVENT_SELECTORS = Operation("cloudtrail:GetEventSelectors")


def _identity(ctx: CollectContext, summary: dict[str, Any]) -> Identity:
    """A trail is listed once for the account and lives in its home region, where it is read."""
    arn = summary["TrailARN"]
    name = summary.get("Name") or arn.rsplit("/", 1)[-1]
    return Identity(arn=arn, name=name, account_id=ctx.account_id, region=summary.get("HomeRegion") or ctx.region)


def _trails(ctx: CollectContext) -> Iterator[CloudTrailTrail]:
    def describe(summary: dict[str, Any]) -> CloudTrailTrail:
        identity = _identity(ctx, summary)
        arn, region = identity["arn"], summary.get("HomeRegion") or None
        trail = (ctx.call(GET_TRAIL, region=region, Name=arn) or {}).get("Trail") or {}
        status = ctx.call(GET_TRAIL_STATUS, region=region, Name=arn) or {}
        selectors = ctx.call(GET_EVENT_SELECTORS, region=region, TrailName=arn) or {}
        return CloudTrailTrail(
            **identity,
            multi_region=bool(trail.get("IsMultiRegionTrail")),
            organization_trail=bool(trail.get("IsOrganizationTrail")),
            logging=bool(status.get("IsLogging")),
            has_custom_event_selectors=bool(trail.get("HasCustomEventSelectors")),
            event_selectors=tuple(_event_selector(s) for s in selectors.get("EventSelectors") or ()),
            advanced_event_selectors=tuple(
                _advanced_selector(s) for s in selectors.get("AdvancedEventSelectors") or ()
            ),
        )

    summaries = [t for t in ctx.paginate(LIST_TRAILS, "Trails") if t.get("TrailARN")]
    yield from ctx.fan_out(summaries, describe, identify=lambda summary: _identity(ctx, summary))


def _minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """The trail list, then three reads of each trail."""
    trails = len(census.records(CloudTrailTrail, account_id, region))
    reads = {str(op): trails for op in (GET_TRAIL, GET_TRAIL_STATUS, GET_EVENT_SELECTORS) if trails}
    return Counter({str(LIST_TRAILS): census.pages(LIST_TRAILS, trails), **reads})


COLLECTORS = (
    PartCollector(
        CloudTrailTrail,
        _trails,
        calls=(LIST_TRAILS, GET_TRAIL, GET_TRAIL_STATUS, GET_EVENT_SELECTORS),
        minimum=_minimum,
    ),
)
