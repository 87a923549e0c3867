"""Fields that only AWS sets and moto cannot produce (a training job's TuningJobArn, a processing job's
MonitoringScheduleArn...), added to one resource's parsed answer at botocore's boundary, where a real answer
arrives; mlaudit's own code runs unchanged."""

from __future__ import annotations

import boto3


def amend(session: boto3.Session, service_id: str, operation: str, resource: tuple[str, str], **fields: object) -> None:
    """Add `fields` to the `operation` answers whose `resource[0]` field equals `resource[1]` (e.g.
    `("TrainingJobName", "child")`), for every client of this session."""
    key, value = resource

    def add(parsed: dict[str, object], **_: object) -> None:
        if parsed.get(key) == value:
            parsed.update(fields)

    session.events.register(f"after-call.{service_id}.{operation}", add)
