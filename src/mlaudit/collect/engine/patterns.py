"""Collection patterns shared by many parts, so that each part's collector is a declaration, not a loop."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.inventory import Record

Builder = Callable[[CollectContext, dict[str, Any]], Record]


@dataclass(frozen=True)
class ListThenDescribe:
    """List names (paginated), then describe each one concurrently and build a record from the description.

    `list_params` computes extra list parameters from the context (e.g. a creation-time lower bound); `service`
    names the boto3 client when it is not the record's own service (bedrock-agent for Bedrock agents).
    """

    list_method: str
    list_key: str
    name_field: str
    arn_field: str
    describe_method: str
    build: Builder
    describe_param: str | None = None
    list_params: Callable[[CollectContext], dict[str, Any]] | None = None
    service: str | None = None

    def __call__(self, ctx: CollectContext) -> Iterator[Record]:
        params = self.list_params(ctx) if self.list_params else {}
        summaries = list(ctx.paginate(self.list_method, self.list_key, service=self.service, **params))
        param = self.describe_param or self.name_field

        def describe(summary: dict[str, Any]) -> Record:
            response = ctx.call(self.describe_method, service=self.service, **{param: summary[self.name_field]})
            return self.build(ctx, response or {})

        return ctx.fan_out(summaries, describe, identify=lambda s: (s[self.name_field], s.get(self.arn_field)))


@dataclass(frozen=True)
class ListOnly:
    """A list operation whose summaries hold everything checks need: no describe call per resource."""

    list_method: str
    list_key: str
    build: Builder
    list_params: Callable[[CollectContext], dict[str, Any]] | None = None

    def __call__(self, ctx: CollectContext) -> Iterator[Record]:
        params = self.list_params(ctx) if self.list_params else {}
        for item in ctx.paginate(self.list_method, self.list_key, **params):
            yield self.build(ctx, item)


@dataclass(frozen=True)
class ForEachRecord:
    """One describe per record of the parts this collector depends on (an aspect, such as a resource's tags),
    concurrently; a failed call is recorded against that record only. `where` keeps only the records the aspect
    applies to (the keys that support rotation, the buckets of the account)."""

    parts: tuple[type[Record], ...]
    describe: Callable[[CollectContext, Any], Record]
    where: Callable[[Any], bool] = lambda record: True

    def __call__(self, ctx: CollectContext) -> Iterator[Record]:
        records = [record for part in self.parts for record in ctx.dependency(part) if self.where(record)]
        return ctx.fan_out(records, lambda record: self.describe(ctx, record), identify=lambda r: (r.name, r.arn))


def same_identity(record: Record) -> dict[str, str]:
    """The identity fields of an aspect's record: those of the record it describes."""
    return {"arn": record.arn, "name": record.name, "account_id": record.account_id, "region": record.region}
