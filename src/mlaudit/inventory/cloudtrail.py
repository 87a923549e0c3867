"""CloudTrail trails, with their logging status and event selectors: what the account records of API activity; and
the identities whose recent Bedrock calls, in the event history, are those of LLMjacking.

What a trail records is answered here (management events, S3 object-level reads of a bucket), from basic and
advanced event selectors alike, so checks do not re-implement selector semantics.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import PartScope, Record, Value

S3_OBJECT = "AWS::S3::Object"
LLM_JACKING_EVENTS = (
    "InvokeModel",
    "InvokeModelWithResponseStream",
    "ListFoundationModels",
    "GetFoundationModelAvailability",
    "ListFoundationModelAgreementOffers",
    "CreateFoundationModelAgreement",
    "PutFoundationModelEntitlement",
    "GetUseCaseForModelAccess",
    "PutUseCaseForModelAccess",
    "GetModelInvocationLoggingConfiguration",
    "PutModelInvocationLoggingConfiguration",
    "ListProvisionedModelThroughputs",
    "SearchAgreements",
    "AcceptAgreementRequest",
)
"""The CloudTrail event names of an LLMjacking run with stolen credentials (Sysdig's research, which Prowler's
cloudtrail_threat_detection_llm_jacking follows): listing models and checking their availability, accepting their
Marketplace agreements and use case, reading or switching off invocation logging, and invoking. One identity calling
many of them in a short window is the pattern; any one alone is ordinary use."""


class DataResource(Value):
    type: str
    values: tuple[str, ...] = ()
    """ARN prefixes (`arn:aws:s3:::bucket/`), or `arn:aws:s3` for every bucket."""


class EventSelector(Value):
    """A basic event selector."""

    read_write_type: str = "All"
    include_management_events: bool = True
    data_resources: tuple[DataResource, ...] = ()


class FieldSelector(Value):
    field: str
    equals: tuple[str, ...] = ()
    starts_with: tuple[str, ...] = ()
    ends_with: tuple[str, ...] = ()
    not_equals: tuple[str, ...] = ()
    not_starts_with: tuple[str, ...] = ()
    not_ends_with: tuple[str, ...] = ()


class AdvancedEventSelector(Value):
    name: str | None = None
    field_selectors: tuple[FieldSelector, ...] = ()

    def field(self, name: str) -> FieldSelector | None:
        return next((f for f in self.field_selectors if f.field == name), None)


class CloudTrailTrail(Record):
    """A trail of the account (including organization trails it receives), stored account-wide; its region is the
    trail's home region."""

    part: ClassVar[str] = "cloudtrail.trail"
    service: ClassVar[str] = "cloudtrail"
    resource_type: ClassVar[str] = "AWS::CloudTrail::Trail"
    label: ClassVar[str] = "CloudTrail trails"
    scope: ClassVar[PartScope] = PartScope.GLOBAL

    multi_region: bool = False
    organization_trail: bool = False
    logging: bool = False
    has_custom_event_selectors: bool = False
    event_selectors: tuple[EventSelector, ...] = ()
    advanced_event_selectors: tuple[AdvancedEventSelector, ...] = ()

    def covers_region(self, region: str) -> bool:
        return self.multi_region or self.region == region

    def records_management_events(self) -> bool:
        """Read and write management events, as a trail without custom selectors does by default."""
        if not self.has_custom_event_selectors and not self.event_selectors and not self.advanced_event_selectors:
            return True
        basic = any(s.include_management_events and s.read_write_type == "All" for s in self.event_selectors)
        return basic or any(_management_all(s) for s in self.advanced_event_selectors)

    def records_object_reads(self, bucket_arn: str) -> bool:
        """Whether the selectors log object-level read events (GetObject...) for every object of the bucket.

        A selector narrowed to some key prefixes, event names or identities does not count: it leaves reads
        unrecorded. Where the trail logs (region, status) is the caller's question.
        """
        objects = f"{bucket_arn}/"
        basic = any(
            s.read_write_type in ("All", "ReadOnly")
            and any(r.type == S3_OBJECT and any(objects.startswith(v) for v in r.values) for r in s.data_resources)
            for s in self.event_selectors
        )
        return basic or any(_object_reads(s, objects) for s in self.advanced_event_selectors)


def _management_all(selector: AdvancedEventSelector) -> bool:
    category = selector.field("eventCategory")
    return bool(category and "Management" in category.equals) and selector.field("readOnly") is None


_OBJECT_READ_FIELDS = frozenset({"eventCategory", "resources.type", "resources.ARN", "readOnly"})


def _selects_object_reads(selector: AdvancedEventSelector) -> bool:
    """An advanced selector of S3 object data events, reads included, with no field mlaudit cannot judge."""
    if any(f.field not in _OBJECT_READ_FIELDS for f in selector.field_selectors):
        return False
    category, resource_type = selector.field("eventCategory"), selector.field("resources.type")
    if not (category and "Data" in category.equals and resource_type and S3_OBJECT in resource_type.equals):
        return False
    read_only = selector.field("readOnly")
    return not read_only or "true" in [v.lower() for v in read_only.equals]


def _covers_objects(arn: FieldSelector, objects: str) -> bool:
    """Whether a `resources.ARN` field selector keeps every object under `objects`."""
    if arn.equals or arn.ends_with or arn.not_ends_with or any(v.startswith(objects) for v in arn.not_equals):
        return False
    if any(objects.startswith(v) or v.startswith(objects) for v in arn.not_starts_with):
        return False
    return not arn.starts_with or any(objects.startswith(v) for v in arn.starts_with)


def _object_reads(selector: AdvancedEventSelector, objects: str) -> bool:
    """An advanced selector that logs reads of every object under `objects` (`arn:...:s3:::bucket/`)."""
    if not _selects_object_reads(selector):
        return False
    arn = selector.field("resources.ARN")
    return arn is None or _covers_objects(arn, objects)


class CalledEvent(Value):
    """One LLMjacking event an identity called: how often, and when last (events are read newest first)."""

    name: str
    calls: int
    last_called: datetime


class BedrockCaller(Record):
    """An identity that called at least one of the LLMjacking events (`LLM_JACKING_EVENTS`) in a region since the
    window's start, as CloudTrail's event history (LookupEvents) records them: which of them, and how often.

    An IAM user, the root user or a federated user is its ARN; the sessions of one role are the role (its session
    issuer), so that a role used from many sessions counts once. Events without an identity ARN (AWS services)
    are left out. CloudTrail answers events newest first; where an event's lookup stopped at the collector's page
    limit, `unread` names it: older calls of that event are not counted."""

    part: ClassVar[str] = "cloudtrail.bedrock_caller"
    service: ClassVar[str] = "cloudtrail"
    resource_type: ClassVar[str] = "AWS::IAM::Principal"
    label: ClassVar[str] = "Bedrock callers"

    identity_type: str
    """CloudTrail's userIdentity.type: IAMUser, AssumedRole, Root, FederatedUser..."""
    events: tuple[CalledEvent, ...] = ()
    """The LLMjacking events it called, in `LLM_JACKING_EVENTS` order."""
    unread: tuple[str, ...] = ()
    """The events whose lookup stopped at the page limit in this region (the same for every caller of the region)."""

    def called_since(self, start: datetime) -> list[str]:
        """The events it called last at `start` or later."""
        return [event.name for event in self.events if event.last_called >= start]
