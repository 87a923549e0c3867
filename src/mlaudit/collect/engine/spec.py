"""How a part is collected, declared as data: the record type, the API operations, the dependencies."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mlaudit.inventory import RECORD_TYPES, Record, RefKind

if TYPE_CHECKING:
    from mlaudit.collect.engine.context import CollectContext


@dataclass(frozen=True)
class History:
    """How much of a part's history is read, stated in the report: the records created within the scan's lookback
    window (`newest` None), or each `per` resource's `newest` records."""

    newest: int | None = None
    per: str | None = None


LOOKBACK = History()
"""Jobs: listed with `CreationTimeAfter` the scan's `since`, never the whole history."""


@dataclass(frozen=True)
class PartCollector:
    """The declaration of one part's collector.

    `operations` lists every API operation the collector may call, as `service:Operation`; the collector
    context refuses any other, so the list is complete by construction (and is what an IAM policy needs).
    """

    record: type[Record]
    operations: tuple[str, ...]
    collect: Callable[[CollectContext], Iterable[Record]]
    depends_on: tuple[type[Record], ...] = ()
    """Parts the collector reads to know what to collect; if one is incomplete, so is this part."""
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
    dependencies: tuple[type[Record], ...] = field(init=False)

    def __post_init__(self) -> None:
        followed = tuple(t for t in RECORD_TYPES if self.follows in t.reference_kinds) if self.follows else ()
        aspect = (self.aspect_of,) if self.aspect_of else ()
        object.__setattr__(self, "dependencies", tuple(dict.fromkeys(self.depends_on + followed + aspect)))

    @property
    def part(self) -> str:
        return self.record.part
