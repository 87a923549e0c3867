"""Amazon Macie's sensitive data discovery in the regions that hold ML buckets: whether Macie runs there, whether
it discovers sensitive data automatically, and which buckets its classification scope leaves out."""

from __future__ import annotations

from typing import ClassVar

from mlaudit.inventory.base import Record


class MacieDiscovery(Record):
    """Macie in one region holding buckets of the account that ML resources use (named by the region)."""

    part: ClassVar[str] = "macie2.discovery"
    service: ClassVar[str] = "macie2"
    resource_type: ClassVar[str] = "AWS::Macie::Session"
    label: ClassVar[str] = "Macie sessions"
    arn_resource: ClassVar[str] = "session"

    status: str | None = None
    """ENABLED or PAUSED; None when Macie is not enabled in the region."""
    automated_discovery: str | None = None
    """ENABLED or DISABLED; None when Macie is not enabled (nothing to ask)."""
    excluded_buckets: tuple[str, ...] = ()
    """The buckets the automated discovery's classification scope excludes."""
    classification_scope_id: str | None = None
