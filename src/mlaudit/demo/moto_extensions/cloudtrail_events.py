"""CloudTrail's event history (LookupEvents), which moto (5.2) does not implement.

moto records no event of the calls it serves, so the history holds what `record_event` puts in it: management
events of one region, each with its identity (`userIdentity` in the CloudTrailEvent JSON, as AWS writes it).

- lookup_events: the region's events newest first, filtered by one `LookupAttributes` entry (EventName, Username,
  EventSource or ReadOnly, as AWS allows only one) and by `StartTime`/`EndTime`, 50 a page by default (AWS's
  maximum), with a `NextToken` while more remain.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from moto.cloudtrail.models import cloudtrail_backends
from moto.cloudtrail.responses import CloudTrailResponse
from moto.moto_api._internal import mock_random

from mlaudit.demo.moto_extensions.paging import page
from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = CloudTrailResponse
_EVENTS = "event_history"
ATTRIBUTES = {"EventName": "EventName", "Username": "Username", "EventSource": "EventSource", "ReadOnly": "ReadOnly"}
"""The lookup attributes this extension filters on, by the event field each one matches."""


def record_event(
    account_id: str,
    region: str,
    event_name: str,
    identity: dict[str, Any],
    when: datetime,
    source: str = "bedrock.amazonaws.com",
    read_only: bool = True,
) -> None:
    """Put one management event in a region's history, as CloudTrail would have recorded it: `identity` is its
    `userIdentity` (type, arn, accountId, sessionContext...). Raises KeyError outside this process's moto."""
    events = backend_state(cloudtrail_backends[account_id][region], _EVENTS)
    event_id = mock_random.uuid4().hex
    record = {
        "eventVersion": "1.09",
        "userIdentity": identity,
        "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": source,
        "eventName": event_name,
        "awsRegion": region,
        "readOnly": read_only,
        "eventID": event_id,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": account_id,
        "eventCategory": "Management",
    }
    events[event_id] = {
        "EventId": event_id,
        "EventName": event_name,
        "ReadOnly": str(read_only).lower(),
        "EventTime": when.timestamp(),
        "EventSource": source,
        "Username": identity.get("userName") or str(identity.get("arn", "")).rsplit("/", 1)[-1],
        "Resources": [],
        "CloudTrailEvent": json.dumps(record),
    }


def _matches(event: dict[str, Any], attributes: list[dict[str, str]], start: Any, end: Any) -> bool:
    if start is not None and event["EventTime"] < float(start):
        return False
    if end is not None and event["EventTime"] > float(end):
        return False
    return all(event.get(ATTRIBUTES[a["AttributeKey"]]) == a["AttributeValue"] for a in attributes)


def lookup_events(self: CloudTrailResponse) -> str:
    attributes = self._get_param("LookupAttributes") or []
    start, end = self._get_param("StartTime"), self._get_param("EndTime")
    history = backend_state(self.cloudtrail_backend, _EVENTS).values()
    events = sorted((e for e in history if _matches(e, attributes, start, end)), key=lambda e: -e["EventTime"])
    return json.dumps(page(self, "Events", events, default_size=50))


OPERATIONS = {"lookup_events": lookup_events}
