"""How a part is collected, declared as data: the record type, the API operations, the dependencies.

An operation is named once, as IAM and CloudTrail name it (`sagemaker:ListUserProfiles`): the collector calls it
through that declaration, and the boto3 client and method are derived from it (botocore's `xform_name`), as are
the IAM policy, the docs and the benchmark's minimum-call model.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.service_model import largest_page
from mlaudit.inventory import RECORD_TYPES, Inventory, Record, RefKind

if TYPE_CHECKING:
    from mlaudit.collect.engine.context import CollectContext

R = TypeVar("R", bound=Record)


@dataclass(frozen=True)
class History:
    """How much of a part's history is read, stated in the report: the records created within the scan's lookback
    window (`newest` None), or each `per` resource's `newest` records."""

    newest: int | None = None
    per: str | None = None


LOOKBACK = History()
"""Jobs: listed with `CreationTimeAfter` the scan's `since`, never the whole history."""


@dataclass(frozen=True)
class Census:
    """What a scan collected, for the minimum-call models to count (see `census`)."""

    inventory: Inventory

    def records(self, record_type: type[R], account_id: str, region: str) -> list[R]:
        return self.inventory.records(record_type, account_id, region)

    def regions(self, account_id: str) -> list[str]:
        return self.inventory.regions_of(account_id)

    def collected(self, record_type: type[Record], account_id: str, region: str) -> bool:
        return self.inventory.was_collected(record_type, account_id, region)

    @staticmethod
    def pages(operation: Operation, items: int) -> int:
        """Pages of a list of `items` at the page size collectors ask for (one page where the API sets none)."""
        page = largest_page(operation) or max(items, 1)
        return max(1, math.ceil(items / page))


MinimumCalls = Callable[[Census, str, str], Counter[str]]
"""The fewest calls that read what a part holds in one (account, region) scope, by `service:Operation`."""


@runtime_checkable
class Pattern(Protocol):
    """A reusable way of collecting a part (`patterns`): it knows the operations it calls and its minimum."""

    @property
    def operations(self) -> tuple[Operation, ...]: ...

    @property
    def reads(self) -> tuple[type[Record], ...]:
        """The parts it collects from (its dependencies)."""
        ...

    def __call__(self, ctx: CollectContext) -> Iterable[Record]: ...

    def minimum_calls(self, census: Census, record: type[Record], account_id: str, region: str) -> Counter[str]: ...


@dataclass(frozen=True, eq=False)
class PartCollector:
    """The declaration of one part's collector (one per part: compared and hashed by identity).

    `collect` is a pattern, which names its own operations, or a function, which declares the operations it may
    call in `calls`. The collector context refuses any other operation, so `operations` is complete by
    construction (and is what an IAM policy needs).
    """

    record: type[Record]
    collect: Callable[[CollectContext], Iterable[Record]]
    calls: tuple[Operation, ...] = ()
    """The operations a function collector may call (a pattern names its own)."""
    depends_on: tuple[type[Record], ...] = ()
    """Parts a function collector reads to know what to collect (a pattern says what it reads); if one is
    incomplete, so is this part."""
    follows: RefKind | None = None
    """Collect the targets of every reference of this kind: depends on every part that can hold one."""
    aspect_of: type[Record] | None = None
    """The part whose records this one describes an aspect of (a bucket's encryption). A record missing from it
    is already reported against that part, so its incompleteness does not spread here."""
    history: History | None = None
    """How the part's history is bounded (None: the part is current state, not history)."""
    shares: tuple[str, ...] = ()
    """Answers this part reads with other parts through `CollectContext.shared` (one DescribeAlarms for both kinds
    of alarm): parts sharing an answer are collected in the same process."""
    minimum: MinimumCalls | None = None
    """The minimum-call model of a function collector (a pattern has its own); the benchmark holds calls to it."""
    streams: bool = False
    """The collector reads its inputs scope by scope as they are collected (`CollectContext.as_collected`), so an
    account-wide part starts with the first region, not after the last: its calls overlap the regional work."""
    dependencies: tuple[type[Record], ...] = field(init=False)
    operations: tuple[Operation, ...] = field(init=False)

    def __post_init__(self) -> None:
        followed = tuple(t for t in RECORD_TYPES if self.follows in t.reference_kinds) if self.follows else ()
        aspect = (self.aspect_of,) if self.aspect_of else ()
        read = self.collect.reads if isinstance(self.collect, Pattern) else ()
        object.__setattr__(self, "dependencies", tuple(dict.fromkeys(read + self.depends_on + followed + aspect)))
        own = self.collect.operations if isinstance(self.collect, Pattern) else ()
        object.__setattr__(self, "operations", tuple(dict.fromkeys((*own, *self.calls))))

    @property
    def part(self) -> str:
        return self.record.part

    def minimum_calls(self, census: Census, account_id: str, region: str) -> Counter[str]:
        """The fewest calls that read this part's records in one scope (a part that makes no call needs none)."""
        if self.minimum is not None:
            return self.minimum(census, account_id, region)
        if isinstance(self.collect, Pattern):
            return self.collect.minimum_calls(census, self.record, account_id, region)
        if not self.operations:
            return Counter()
        raise NotImplementedError(f"{self.part} has no minimum-call model")

    @property
    def has_minimum(self) -> bool:
        return self.minimum is not None or isinstance(self.collect, Pattern) or not self.operations
