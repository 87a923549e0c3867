"""Which SageMaker reads a batch API could replace: for every SageMaker part read from a list or a describe, the
fields its collector reads (tests/service_models.py's field walk) held against what `sagemaker:Search` returns for
that kind of resource (botocore's `SearchRecord`), and whether that record carries the resource's tags.

    python bench/batch_reads.py

Nothing is written by hand: the parts, their operations and the fields come from the collectors' declarations and
source, the Search record of a part from botocore's model (the `SearchRecord` member named as the operation names
the resource: `DescribeTrainingJob` -> `TrainingJob`, `ListModelPackageGroups` -> `ModelPackageGroup`; a member
that wraps its resource, as `ModelDashboardModel` does `Model`, is looked into). docs/benchmark.md ("Batch reads:
Search and GetResources") shows the table and what was decided from it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the field walk is test scaffolding
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import ListOnly, ListPerRecord, ListThenDescribe, ListThenSearch
from mlaudit.collect.engine.service_model import service_model
from mlaudit.collect.registry import COLLECTORS, collector_modules
from service_models import FieldWalk, Key, reaches


@dataclass(frozen=True)
class Row:
    """One part: the operation whose answer its records are built from, the fields read from it, and what Search
    offers instead (None: no Search record for this kind of resource)."""

    part: str
    read_from: Operation
    fields: tuple[str, ...]
    search_member: str | None
    missing: tuple[str, ...]
    tags: bool

    @property
    def replaceable(self) -> bool:
        """Search returns every field read (and so could stand for the describe, or the list's summaries)."""
        return self.search_member is not None and not self.missing


def _resource_noun(operation: Operation) -> str:
    """The resource an operation reads, as SageMaker's model names it: DescribeTrainingJob -> TrainingJob,
    ListModelPackageGroups -> ModelPackageGroup."""
    name = operation.name
    for verb in ("Describe", "List"):
        if name.startswith(verb):
            noun = name[len(verb) :]
            return noun[:-1] if verb == "List" and noun.endswith("s") else noun
    return name


def search_record(noun: str) -> tuple[tuple[str, ...], Any] | None:
    """The path below a SearchRecord to this kind of resource, and its shape (None: Search has no record for it)."""
    members = service_model("sagemaker").shape_for("SearchRecord").members
    if noun not in members:
        return None
    shape = members[noun]
    if shape.name != noun and noun in shape.members:  # ModelDashboardModel wraps the Model
        return (noun, noun), shape.members[noun]
    return (noun,), shape


def _leaves(paths: set[tuple[Key, ...]]) -> list[tuple[Key, ...]]:
    """The paths no other path extends (a read of `A.B` stands for its read of `A`)."""
    return sorted((p for p in paths if not any(o[: len(p)] == p and o != p for o in paths)), key=str)


def _source(collector: Any) -> tuple[Operation, str | None] | None:
    """The operation a pattern builds its records from, and the list key holding its summaries (None: a describe)."""
    pattern = collector.collect
    if isinstance(pattern, ListThenDescribe | ListThenSearch):
        return pattern.describe, None
    if isinstance(pattern, ListPerRecord):
        return (pattern.describe, None) if pattern.describe else (pattern.list, pattern.items)
    if isinstance(pattern, ListOnly):
        return pattern.list, pattern.items
    return None


def rows() -> list[Row]:
    walk = FieldWalk(collector_modules())
    read: dict[Operation, set[tuple[Key, ...]]] = {}
    for r in walk.reads:
        if r.path.root is not None:
            read.setdefault(r.path.root, set()).add(r.path.keys)
    found = []
    for collector in COLLECTORS.values():
        source = _source(collector)
        if collector.record.service != "sagemaker" or source is None:
            continue
        operation, items = source
        paths = {p[1:] for p in read.get(operation, set()) if p[:1] == (items,) and len(p) > 1} if items else None
        fields = _leaves(paths if paths is not None else read.get(operation, set()))
        record = search_record(_resource_noun(operation))
        missing = [f for f in fields if record is None or not reaches(record[1], f)]
        tags = record is not None and "Tags" in record[1].members
        found.append(
            Row(
                collector.part,
                operation,
                tuple(".".join(map(str, f)) for f in fields),
                ".".join(record[0]) if record else None,
                tuple(".".join(map(str, f)) for f in missing) if record else (),
                tags,
            )
        )
    return sorted(found, key=lambda row: (row.search_member is None, row.part))


def table() -> str:
    """The table as docs/benchmark.md shows it (Markdown)."""
    lines = [
        "| part | read from | fields read | Search record | fields Search lacks | tags in the record |",
        "|---|---|---:|---|---|---|",
    ]
    for row in rows():
        record = f"`SearchRecord.{row.search_member}`" if row.search_member else "none"
        lacks = ", ".join(f"`{f}`" for f in row.missing) or ("none" if row.search_member else "")
        tags = "yes" if row.tags else ("no" if row.search_member else "")
        lines.append(f"| {row.part} | `{row.read_from.name}` | {len(row.fields)} | {record} | {lacks} | {tags} |")
    return "\n".join(lines)


def main() -> int:
    print(table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
