"""Collection patterns shared by many parts, so that each part's collector is a declaration, not a loop.

Each pattern names the operations it calls and knows its minimum-call model (see `census`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.search import SEARCH, searched
from mlaudit.collect.engine.spec import Census
from mlaudit.inventory import RECORD_TYPES, Identity, Record, RefKind

T = TypeVar("T")

Builder = Callable[[Identity, dict[str, Any]], Record]
"""Makes a record from the resource's identity and AWS's answer about it."""
ListParams = Callable[[CollectContext], dict[str, Any]]


@dataclass(frozen=True)
class Listed:
    """How a list summary names its resource: the field holding its id (the id in its ARN), its display name
    (default: the id) and its ARN (when the summary has one; otherwise the record type builds it)."""

    id: str
    name: str | None = None
    arn: str | None = None

    def identity(self, ctx: CollectContext, summary: dict[str, Any]) -> Identity:
        name = summary.get(self.name) if self.name else None
        arn = summary.get(self.arn) if self.arn else None
        return ctx.identity(str(summary[self.id]), name=name, arn=arn)


@dataclass(frozen=True)
class ListThenDescribe:
    """List resources (paginated), then describe each one concurrently and build a record from the description.

    `keys` maps each parameter of the describe call to the summary field that gives it (DescribeUserProfile takes
    DomainId and UserProfileName; default: the id field, under its own name). `list_params` computes extra list
    parameters from the context (a creation-time lower bound). The record and any ERROR about a resource that could
    not be described carry the same identity, made from the summary.
    """

    list: Operation
    items: str
    """The list answer's key holding the summaries."""
    describe: Operation
    listed: Listed
    build: Builder
    keys: Mapping[str, str] = field(default_factory=dict)
    list_params: ListParams | None = None

    reads: tuple[type[Record], ...] = ()

    @property
    def operations(self) -> tuple[Operation, ...]:
        return (self.list, self.describe)

    def __call__(self, ctx: CollectContext) -> Iterator[Record]:
        params = self.list_params(ctx) if self.list_params else {}
        summaries = list(ctx.paginate(self.list, self.items, **params))
        keys = self.keys or {self.listed.id: self.listed.id}

        def describe(summary: dict[str, Any]) -> Record:
            response = ctx.call(self.describe, **{param: summary[key] for param, key in keys.items()})
            return self.build(self.listed.identity(ctx, summary), response or {})

        return ctx.fan_out(
            summaries, describe, identify=lambda summary: self.listed.identity(ctx, summary), admit=self.describe
        )

    def minimum_calls(self, census: Census, record: type[Record], account_id: str, region: str) -> Counter[str]:
        described = len(census.records(record, account_id, region))
        return Counter({str(self.list): census.pages(self.list, described), str(self.describe): described})


@dataclass(frozen=True)
class ListThenSearch:
    """List resources (what exists), then read their records from `sagemaker:Search`, 100 a page, instead of one
    describe each: for a kind of resource whose Search record holds every field `build` reads (as botocore's
    `SearchRecord` says), and whose fields change after creation only in the summary fields named in `fresh` (a
    status, a modification time). Search's index lags behind the resources: a record is taken only when it agrees
    with the list on those fields, and a listed resource Search does not return yet, or returns as it was, is
    described. One Search returns that the list did not (created since) is left out, as a later list would have it.
    A failed Search fails the part's scope, as a failed list does. `lookback`: list and search only what was created
    within the scan's lookback window. What Search calls the resource is its record type's `search_resource`."""

    list: Operation
    items: str
    describe: Operation
    listed: Listed
    build: Builder
    fresh: tuple[str, ...] = ()
    lookback: bool = False

    reads: tuple[type[Record], ...] = ()

    @property
    def operations(self) -> tuple[Operation, ...]:
        return (self.list, SEARCH, self.describe)

    def _current(self, summary: dict[str, Any], record: dict[str, Any]) -> bool:
        """Whether Search's record agrees with the list on what can change after creation."""
        return all(record.get(key) == summary.get(key) for key in self.fresh)

    def __call__(self, ctx: CollectContext) -> Iterator[Record]:
        resource = ctx.collector.record.search_resource
        if resource is None or self.listed.arn is None:
            raise AssertionError(f"{ctx.collector.part}: Search does not index its resources by ARN")
        arn = self.listed.arn
        summaries = list(ctx.paginate(self.list, self.items, **(created_since(ctx) if self.lookback else {})))
        records = searched(ctx, resource, created_from=ctx.since if self.lookback else None) if summaries else {}
        missing = []
        for summary in summaries:
            record = records.get(summary[arn])
            if record is not None and self._current(summary, record):
                yield self.build(self.listed.identity(ctx, summary), record)
            else:
                missing.append(summary)

        def describe(summary: dict[str, Any]) -> Record:
            response = ctx.call(self.describe, **{self.listed.id: summary[self.listed.id]})
            return self.build(self.listed.identity(ctx, summary), response or {})

        yield from ctx.fan_out(
            missing, describe, identify=lambda summary: self.listed.identity(ctx, summary), admit=self.describe
        )

    def minimum_calls(self, census: Census, record: type[Record], account_id: str, region: str) -> Counter[str]:
        listed = len(census.records(record, account_id, region))
        calls = Counter({str(self.list): census.pages(self.list, listed)})
        if listed:
            calls[str(SEARCH)] = census.pages(SEARCH, listed)
        return calls


@dataclass(frozen=True)
class ListOnly:
    """A list operation whose summaries hold everything checks need: no describe call per resource."""

    list: Operation
    items: str
    listed: Listed
    build: Builder
    list_params: ListParams | None = None
    reads: tuple[type[Record], ...] = ()

    @property
    def operations(self) -> tuple[Operation, ...]:
        return (self.list,)

    def __call__(self, ctx: CollectContext) -> Iterator[Record]:
        params = self.list_params(ctx) if self.list_params else {}
        for summary in ctx.paginate(self.list, self.items, **params):
            yield self.build(self.listed.identity(ctx, summary), summary)

    def minimum_calls(self, census: Census, record: type[Record], account_id: str, region: str) -> Counter[str]:
        listed = len(census.records(record, account_id, region))
        return Counter({str(self.list): census.pages(self.list, listed)})


@dataclass(frozen=True)
class ForEachRecord:
    """One call per record of the parts this collector depends on (an aspect, such as a resource's tags),
    concurrently; a failed call is recorded against that record only. `where` keeps only the records the aspect
    applies to (the keys that support rotation, the buckets of the account)."""

    parts: tuple[type[Record], ...]
    call: Operation
    describe: Callable[[CollectContext, Any], Record]
    where: Callable[[Any], bool] = lambda record: True

    @property
    def operations(self) -> tuple[Operation, ...]:
        return (self.call,)

    @property
    def reads(self) -> tuple[type[Record], ...]:
        return self.parts

    def _records(self, records: Callable[[type[Record]], list[Record]]) -> list[Record]:
        return [record for part in self.parts for record in records(part) if self.where(record)]

    def __call__(self, ctx: CollectContext) -> Iterator[Record]:
        """Scope by scope as the parts are collected (when the part streams), each record read once."""
        for records in ctx.as_collected(self.parts):
            wanted = [record for record in records if self.where(record)]
            yield from ctx.fan_out(
                wanted, lambda record: self.describe(ctx, record), identify=same_identity, admit=self.call
            )

    def minimum_calls(self, census: Census, record: type[Record], account_id: str, region: str) -> Counter[str]:
        count = len(self._records(lambda part: census.records(part, account_id, region)))
        return Counter({str(self.call): count}) if count else Counter()


def same_identity(record: Record) -> Identity:
    """The identity of an aspect's record: that of the record it describes."""
    return Identity(arn=record.arn, name=record.name, account_id=record.account_id, region=record.region)


@dataclass(frozen=True)
class ListPerRecord:
    """For each record of a parent part, list its children (paginated), and describe each child when `describe`
    is given (its parameters from the parent and the summary, by `keys`). `identify` gives a child its identity
    from the parent and its summary; `build` makes its record from that identity, AWS's answer (the description,
    or the summary) and the parent. `parent_key` and `child_key` say which children belong to which parent, for
    the minimum-call model (without them, each parent's children are taken to fit in one page). `listing` names
    what an ERROR about a parent whose children could not be listed is about (default: the parent itself; a check
    that judges parents and children alike needs the children's own, such as `user-profile/d-x/*`)."""

    parent: type[Record]
    list: Operation
    items: str
    params: Callable[[Any], dict[str, Any]]
    identify: Callable[[CollectContext, Any, dict[str, Any]], Identity]
    build: Callable[[Identity, dict[str, Any], Any], Record]
    describe: Operation | None = None
    keys: Callable[[Any, dict[str, Any]], dict[str, Any]] | None = None
    parent_key: Callable[[Any], str] | None = None
    child_key: Callable[[Any], str] | None = None
    listing: Callable[[CollectContext, Any], Identity] | None = None

    @property
    def operations(self) -> tuple[Operation, ...]:
        return (self.list, self.describe) if self.describe else (self.list,)

    @property
    def reads(self) -> tuple[type[Record], ...]:
        return (self.parent,)

    def __call__(self, ctx: CollectContext) -> Iterator[Record]:
        def listed(parent: Any) -> list[tuple[Any, dict[str, Any]]]:
            return [(parent, summary) for summary in ctx.paginate(self.list, self.items, **self.params(parent))]

        listing = self.listing
        about: Callable[[Any], Identity] = (lambda parent: listing(ctx, parent)) if listing else same_identity
        children = [child for batch in ctx.fan_out(ctx.dependency(self.parent), listed, about) for child in batch]

        def identify(child: tuple[Any, dict[str, Any]]) -> Identity:
            return self.identify(ctx, *child)

        def read(child: tuple[Any, dict[str, Any]]) -> Record:
            parent, summary = child
            if self.describe is None:
                return self.build(identify(child), summary, parent)
            params = self.keys(parent, summary) if self.keys else {}
            return self.build(identify(child), ctx.call(self.describe, **params) or {}, parent)

        if self.describe is None:
            return (read(child) for child in children)
        return ctx.fan_out(children, read, identify, admit=self.describe)

    def minimum_calls(self, census: Census, record: type[Record], account_id: str, region: str) -> Counter[str]:
        parents = census.records(self.parent, account_id, region)
        children = census.records(record, account_id, region)
        per_parent: Counter[str] = Counter(self.child_key(child) for child in children) if self.child_key else Counter()
        lists = sum(
            census.pages(self.list, per_parent[self.parent_key(parent)] if self.parent_key else 0) for parent in parents
        )
        calls = Counter({str(self.list): lists} if lists else {})
        if self.describe is not None and children:
            calls[str(self.describe)] = len(children)
        return calls


def created_since(ctx: CollectContext) -> dict[str, Any]:
    """List parameters of a history part: only what was created within the scan's lookback window."""
    return {"CreationTimeAfter": ctx.since}


@dataclass(frozen=True)
class DescribeNamed:
    """One describe per distinct name that records of other parts give (the lifecycle configurations notebooks
    name), concurrently: only what is used is read. `build` makes the record from its identity, the description and
    the records that name it."""

    parts: tuple[type[Record], ...]
    names: Callable[[Any], Iterable[str | None]]
    describe: Operation
    param: str
    build: Callable[[Identity, dict[str, Any], list[Any]], Record]

    @property
    def operations(self) -> tuple[Operation, ...]:
        return (self.describe,)

    @property
    def reads(self) -> tuple[type[Record], ...]:
        return self.parts

    def _users(self, records: Callable[[type[Record]], list[Record]]) -> dict[str, list[Record]]:
        users: dict[str, list[Record]] = defaultdict(list)
        for part in self.parts:
            for record in records(part):
                for name in self.names(record):
                    if name:
                        users[name].append(record)
        return users

    def __call__(self, ctx: CollectContext) -> Iterator[Record]:
        users = self._users(ctx.dependency)

        def read(name: str) -> Record:
            params: dict[str, Any] = {self.param: name}
            return self.build(ctx.identity(name), ctx.call(self.describe, **params) or {}, users[name])

        return ctx.fan_out(sorted(users), read, identify=ctx.identity, admit=self.describe)

    def minimum_calls(self, census: Census, record: type[Record], account_id: str, region: str) -> Counter[str]:
        named = len(self._users(lambda part: census.records(part, account_id, region)))
        return Counter({str(self.describe): named} if named else {})


@dataclass
class Followed(Generic[T]):
    """What following references found: each target's answer (those that could be read), and every target's users
    (the sorted ARNs of the records naming it), in the order targets were first named."""

    answers: dict[str, T]
    users: dict[str, list[str]]


def follow_references(
    ctx: CollectContext,
    kind: RefKind,
    read: Callable[[str], T],
    identify: Callable[[str], Identity],
    admit: Operation,
    wanted: Callable[[str], str | None] = lambda target: target,
    first: Callable[[], object] | None = None,
) -> Followed[T]:
    """Read each wanted target of references of `kind` once, batch by batch as the scopes naming them are collected
    (a streaming collector's calls overlap the regional work instead of following it); a failed read is recorded
    against the target's identity. `wanted` names what a reference's target is read as (a bucket for an S3 URI;
    None: not read); `first` runs before the first read, and its failure is the whole part's (a bucket list
    refused). The users are complete once every input is collected."""
    users: dict[str, set[str]] = defaultdict(set)
    answers: dict[str, T] = {}
    for batch in ctx.references_as_collected(kind):
        named: dict[str, set[str]] = defaultdict(set)
        for target, referencing in batch.items():
            if (key := wanted(target)) is not None:
                named[key].update(referencing)
        fresh = sorted(key for key in named if key not in users)
        if fresh and first is not None and not users:
            first()
        for key, referencing_key in named.items():
            users[key].update(referencing_key)
        answers.update(ctx.fan_out(fresh, lambda key: (key, read(key)), identify=identify, admit=admit))
    return Followed(answers, {key: sorted(arns) for key, arns in users.items()})


def _arn_fields(arn: str) -> list[str]:
    """`arn:partition:service:region:account:resource`, split (a short list for anything else)."""
    return arn.split(":", 5)


@dataclass(frozen=True)
class DescribeReferenced:
    """One describe per resource of this account and region that records of the same region reference with `kind`
    (the ECR repository of an image, the file system of a training channel), concurrently: only what ML resources
    name is read. The describe takes the resource's id (the part of its ARN after the resource type, by `params`);
    a resource that no longer exists (an `absent` error code, or nothing under `items`) has no record. `build` makes
    the record from its identity, AWS's description and the ARNs of the records that reference it."""

    kind: RefKind
    describe: Operation
    params: Callable[[str], dict[str, Any]]
    items: str
    build: Callable[[Identity, dict[str, Any], list[str]], Record]
    absent: frozenset[str] = frozenset()

    @property
    def operations(self) -> tuple[Operation, ...]:
        return (self.describe,)

    @property
    def reads(self) -> tuple[type[Record], ...]:
        return tuple(t for t in RECORD_TYPES if self.kind in t.reference_kinds)

    def __call__(self, ctx: CollectContext) -> Iterator[Record]:
        users = {
            target: arns
            for target, arns in ctx.referenced(self.kind, region=ctx.region).items()
            if _arn_fields(target)[3:5] == [ctx.region, ctx.account_id]
        }

        def identify(target: str) -> Identity:
            return ctx.identity(_arn_fields(target)[-1].split("/", 1)[-1], arn=target)

        def read(target: str) -> Record | None:
            answer = ctx.call(self.describe, absent=self.absent, **self.params(identify(target)["name"]))
            found = (answer or {}).get(self.items) or []
            return self.build(identify(target), found[0], users[target]) if found else None

        return ctx.fan_out(sorted(users), read, identify)

    def minimum_calls(self, census: Census, record: type[Record], account_id: str, region: str) -> Counter[str]:
        described = len(census.records(record, account_id, region))
        return Counter({str(self.describe): described} if described else {})
