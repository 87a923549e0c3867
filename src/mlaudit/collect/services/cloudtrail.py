"""CloudTrail collectors: every trail of the account (listed once), each read in its home region with its logging
status and event selectors; and, per region, who called the Bedrock actions of LLMjacking, from the event history.

LookupEvents is CloudTrail's one read of the event history: it starts nothing and changes nothing (IAM's access
level Read), though its name is not List/Describe/Get (the tests' read-only guard names it as the one exception).
AWS allows it 2 calls a second per account and region (the call budget paces it at that rate), one event name a
call and 50 events a page, newest first."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory import Identity
from mlaudit.inventory.cloudtrail import (
    LLM_JACKING_EVENTS,
    AdvancedEventSelector,
    BedrockCaller,
    CalledEvent,
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
LOOKUP_EVENTS = Operation("cloudtrail:LookupEvents")
HISTORY_DAYS = 90
"""How far back CloudTrail's event history reaches."""
MAX_EVENT_PAGES = 10
"""Pages read of each event name in a region (500 events, newest first): at 2 calls a second, a region's fourteen
event names take at most 70 seconds however busy its models are."""


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


def _caller_of(event: dict[str, Any]) -> tuple[str, str] | None:
    """The identity an event counts for, (ARN, type): a role's sessions count as the role; None for AWS services."""
    identity = json.loads(event.get("CloudTrailEvent") or "{}").get("userIdentity") or {}
    issuer = (identity.get("sessionContext") or {}).get("sessionIssuer") or {}
    arn = issuer.get("arn") if identity.get("type") == "AssumedRole" else None
    arn = arn or identity.get("arn")
    return (arn, identity.get("type") or "Unknown") if arn else None


def _bedrock_callers(ctx: CollectContext) -> Iterator[BedrockCaller]:
    """Who called each LLMjacking event in the region since the scan's window began (at most the 90 days the event
    history holds), one lookup per event name, each read to `MAX_EVENT_PAGES` pages."""
    start = max(ctx.since, datetime.now(UTC) - timedelta(days=HISTORY_DAYS))
    called: dict[tuple[str, str], dict[str, CalledEvent]] = defaultdict(dict)
    unread = []
    for name in LLM_JACKING_EVENTS:
        attributes = [{"AttributeKey": "EventName", "AttributeValue": name}]
        for number, page in enumerate(ctx.pages(LOOKUP_EVENTS, LookupAttributes=attributes, StartTime=start), 1):
            for event in page.get("Events") or ():
                caller, when = _caller_of(event), event.get("EventTime")
                if caller is None or when is None:
                    continue
                seen = called[caller].get(name)
                last = max(seen.last_called, when) if seen else when
                called[caller][name] = CalledEvent(name=name, calls=(seen.calls if seen else 0) + 1, last_called=last)
            if number == MAX_EVENT_PAGES and page.get("NextToken"):
                unread.append(name)
                break
    for (arn, kind), events in sorted(called.items()):
        yield BedrockCaller(
            **ctx.identity(arn.split(":", 5)[-1], arn=arn),
            identity_type=kind,
            events=tuple(events[name] for name in LLM_JACKING_EVENTS if name in events),
            unread=tuple(unread),
        )


def _callers_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """One lookup of each event name (a page of 50 is the most CloudTrail answers)."""
    return Counter({str(LOOKUP_EVENTS): len(LLM_JACKING_EVENTS)})


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
    PartCollector(BedrockCaller, _bedrock_callers, calls=(LOOKUP_EVENTS,), minimum=_callers_minimum),
)
