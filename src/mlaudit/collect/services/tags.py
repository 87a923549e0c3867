"""Tags collector: sagemaker:ListTags for every record of the taggable SageMaker parts, and only when a selected
check reads tags (the part is then planned, with the parts it tags)."""

from __future__ import annotations

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import ForEachRecord, same_identity
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import RECORD_TYPES, Record
from mlaudit.inventory.tags import ResourceTags

TAGGED_PARTS = tuple(t for t in RECORD_TYPES if t.taggable and t.service == "sagemaker")
"""Every part whose records carry SageMaker tags (their class sets `taggable`)."""


LIST_TAGS = Operation("sagemaker:ListTags")


def _tags(ctx: CollectContext, record: Record) -> ResourceTags:
    tags = ctx.paginate(LIST_TAGS, "Tags", ResourceArn=record.arn)
    return ResourceTags(**same_identity(record), tags={t.get("Key") or "": t.get("Value") or "" for t in tags})


COLLECTORS = (PartCollector(ResourceTags, ForEachRecord(TAGGED_PARTS, LIST_TAGS, _tags), streams=True),)
