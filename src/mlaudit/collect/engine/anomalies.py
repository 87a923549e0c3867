"""Spotting AWS answers that do not match the service model: a member the model marks required that is missing, or
a value of an enum-typed member that the model does not list.

Collectors read fields with defaults, so such an answer never loses a resource; this module only notices that it
happened, so that a person can tell a field AWS stopped sending (or a status it added) from a clean answer. Only
the field's path, and for an enum its value, are kept: never the answer itself, which can hold secrets.

What to check is worked out once per output shape: a branch of the model with no required member and no enum
below it is never walked, so most of an answer costs nothing.

Some disagreements are not anomalies, because AWS itself answers that way: an enum value that differs from a
listed one only in case (EC2 answers a VPC endpoint's State `available` where its model lists `Available`), a
missing pagination token (its absence marks the last page, though SageMaker's model marks DescribeFeatureGroup's
required), and the members in `OPTIONAL_IN_PRACTICE`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlaudit.inventory import AnomalyKind

MAX_VALUE_CHARS = 64
"""An unexpected enum value is kept up to this length (it is an identifier, not free text)."""

PAGE_TOKENS = frozenset({"NextToken", "nextToken"})
"""Members that are absent on the last page, whatever the model says."""

OPTIONAL_IN_PRACTICE = frozenset({("sagemaker", "DataCaptureConfigSummary", "KmsKeyId")})
"""(service, shape, member) the model marks required but AWS leaves out: DescribeEndpoint answers no KmsKeyId when
the endpoint captures data under S3's default key."""

Sighting = tuple[str, AnomalyKind, "str | None"]
"""(field path, kind, the unexpected value for an enum): one anomaly in one answer."""


@dataclass(eq=False)
class _Node:
    """What to check in one shape of the model, and in the branches below it that can hold an anomaly."""

    required: tuple[str, ...] = ()
    members: dict[str, _Node] = field(default_factory=dict)
    element: _Node | None = None
    """The node of a list's members or a map's values."""
    enum: frozenset[str] | None = None
    """The enum's values, in lower case."""

    @property
    def empty(self) -> bool:
        return not (self.required or self.members or self.element or self.enum is not None)

    def walk(self, value: Any, path: str, found: list[Sighting]) -> None:
        if self.enum is not None:
            if isinstance(value, str) and value.lower() not in self.enum:
                found.append((path, AnomalyKind.UNKNOWN_ENUM_VALUE, value[:MAX_VALUE_CHARS]))
        elif isinstance(value, dict) and self.element is not None:  # a map
            for item in value.values():
                self.element.walk(item, f"{path}{{}}", found)
        elif isinstance(value, dict):
            self._walk_structure(value, path, found)
        elif isinstance(value, list) and self.element is not None:
            for item in value:
                self.element.walk(item, f"{path}[]", found)

    def _walk_structure(self, value: dict[str, Any], path: str, found: list[Sighting]) -> None:
        prefix = f"{path}." if path else ""
        found.extend(
            (prefix + name, AnomalyKind.MISSING_REQUIRED_FIELD, None)
            for name in self.required
            if value.get(name) is None
        )
        for name, node in self.members.items():
            if value.get(name) is not None:
                node.walk(value[name], prefix + name, found)


class ShapeAudit:
    """Compares parsed answers with their operation's output shape; shared by every client of a scan. Two threads
    may work out the same operation's plan at once: they find the same, and either is kept."""

    def __init__(self) -> None:
        self._operations: dict[tuple[str, str], _Node | None] = {}

    def sightings(self, operation_model: Any, parsed: dict[str, Any]) -> list[Sighting]:
        """Every anomaly in one parsed answer of `operation_model` (botocore's `OperationModel`)."""
        node = self._plan(operation_model)
        found: list[Sighting] = []
        if node is not None:
            node.walk(parsed, "", found)
        return found

    def _plan(self, operation_model: Any) -> _Node | None:
        key = (operation_model.service_model.service_name, operation_model.name)
        if key not in self._operations:
            shape = operation_model.output_shape
            self._operations[key] = _compile(shape, key[0], {}) if shape is not None else None
        return self._operations[key]


def _compile(shape: Any, service: str, seen: dict[str, _Node | None]) -> _Node | None:
    """The checks for `shape`, or None when nothing below it can be an anomaly. `seen` holds the shapes compiled
    (or being compiled: a recursive shape refers to its own node)."""
    if shape.name in seen:
        return seen[shape.name]
    node = seen[shape.name] = _Node()
    if shape.type_name == "structure":
        node.required = tuple(
            name
            for name in shape.required_members
            if name not in PAGE_TOKENS and (service, shape.name, name) not in OPTIONAL_IN_PRACTICE
        )
        for name, member in shape.members.items():
            child = _compile(member, service, seen)
            if child is not None:
                node.members[name] = child
    elif shape.type_name == "list":
        node.element = _compile(shape.member, service, seen)
    elif shape.type_name == "map":
        node.element = _compile(shape.value, service, seen)
    elif shape.type_name == "string" and shape.enum:
        node.enum = frozenset(value.lower() for value in shape.enum)
    if node.empty:
        seen[shape.name] = None
        return None
    return node
