"""Tags collector: the tags of every record of the taggable SageMaker parts, and only when a selected check reads
tags (the part is then planned, with the parts it tags).

Where Search indexes a kind of resource (its record type's `search_resource`), its tags come from Search's records,
100 a page, for all the records of a scope at once; a record Search does not return yet (its index lags by
seconds), and every record of a kind Search does not index, is read with one sagemaker:ListTags. A failed Search
is an ERROR for each record of that scope it was to tag."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator

from mlaudit.collect.accounts.failures import CallFailed
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import same_identity
from mlaudit.collect.engine.search import SEARCH, searched
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory import RECORD_TYPES, Record
from mlaudit.inventory.tags import ResourceTags

TAGGED_PARTS = tuple(t for t in RECORD_TYPES if t.taggable and t.service == "sagemaker")
"""Every part whose records carry SageMaker tags (their class sets `taggable`)."""


LIST_TAGS = Operation("sagemaker:ListTags")


def _tags_of(record: Record, tags: list[dict[str, str]]) -> ResourceTags:
    return ResourceTags(**same_identity(record), tags={t.get("Key") or "": t.get("Value") or "" for t in tags})


def _listed(ctx: CollectContext, record: Record) -> ResourceTags:
    return _tags_of(record, list(ctx.paginate(LIST_TAGS, "Tags", ResourceArn=record.arn)))


def _refused(failure: CallFailed) -> Callable[[Record], ResourceTags]:
    def read(record: Record) -> ResourceTags:
        raise failure

    return read


def _from_search(ctx: CollectContext, resource: str, records: list[Record]) -> Iterator[ResourceTags | Record]:
    """The tags Search gives these records (of one kind), and the records it does not return, to be listed."""
    times = [getattr(record, "creation_time", None) for record in records]
    oldest = min(times) if times and all(times) else None  # type: ignore[type-var]
    try:
        found = searched(ctx, resource, created_from=oldest)
    except CallFailed as failure:
        yield from ctx.fan_out(records, _refused(failure), identify=same_identity, admit=SEARCH)
        return
    for record in records:
        answer = found.get(record.arn)
        yield record if answer is None else _tags_of(record, answer.get("Tags") or [])


def _collect(ctx: CollectContext) -> Iterator[ResourceTags]:
    """Scope by scope as the parts are collected (they stream), each record read once."""
    for records in ctx.as_collected(TAGGED_PARTS):
        by_resource: dict[str, list[Record]] = defaultdict(list)
        to_list = []
        for record in records:
            resource = type(record).search_resource
            if resource is None:
                to_list.append(record)
            else:
                by_resource[resource].append(record)
        for resource, indexed in by_resource.items():
            for read in _from_search(ctx, resource, indexed):
                if isinstance(read, ResourceTags):
                    yield read
                else:
                    to_list.append(read)
        yield from ctx.fan_out(to_list, lambda record: _listed(ctx, record), identify=same_identity, admit=LIST_TAGS)


def _minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """One Search page per 100 records of an indexed kind, one ListTags per record of any other."""
    calls: Counter[str] = Counter()
    for part in TAGGED_PARTS:
        count = len(census.records(part, account_id, region))
        if count and part.search_resource is not None:
            calls[str(SEARCH)] += census.pages(SEARCH, count)
        elif count:
            calls[str(LIST_TAGS)] += count
    return calls


COLLECTORS = (
    PartCollector(
        ResourceTags,
        _collect,
        calls=(SEARCH, LIST_TAGS),
        depends_on=TAGGED_PARTS,
        streams=True,
        minimum=_minimum,
    ),
)
