"""CloudTrail collector: every trail of the account (listed once), each read in its home region with its logging
status and event selectors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.spec import PartCollector
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


def _trails(ctx: CollectContext) -> Iterator[CloudTrailTrail]:
    def describe(summary: dict[str, Any]) -> CloudTrailTrail:
        arn, region = summary["TrailARN"], summary.get("HomeRegion") or None
        trail = (ctx.call("get_trail", region=region, Name=arn) or {}).get("Trail") or {}
        status = ctx.call("get_trail_status", region=region, Name=arn) or {}
        selectors = ctx.call("get_event_selectors", region=region, TrailName=arn) or {}
        return CloudTrailTrail(
            arn=arn,
            name=summary.get("Name") or trail.get("Name") or arn.rsplit("/", 1)[-1],
            account_id=ctx.account_id,
            region=trail.get("HomeRegion") or region or ctx.region,
            multi_region=bool(trail.get("IsMultiRegionTrail")),
            organization_trail=bool(trail.get("IsOrganizationTrail")),
            logging=bool(status.get("IsLogging")),
            has_custom_event_selectors=bool(trail.get("HasCustomEventSelectors")),
            event_selectors=tuple(_event_selector(s) for s in selectors.get("EventSelectors") or ()),
            advanced_event_selectors=tuple(
                _advanced_selector(s) for s in selectors.get("AdvancedEventSelectors") or ()
            ),
        )

    summaries = [t for t in ctx.paginate("list_trails", "Trails") if t.get("TrailARN")]
    yield from ctx.fan_out(summaries, describe, identify=lambda t: (t.get("Name") or t["TrailARN"], t["TrailARN"]))


COLLECTORS = (
    PartCollector(
        CloudTrailTrail,
        ("cloudtrail:ListTrails", "cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors"),
        _trails,
    ),
)
