"""Reading IAM policy documents (JSON text or the dicts boto3 decodes for IAM) into structured statements.

The policy grammar allows a string or a list almost everywhere; statements come out with tuples throughout.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote

from mlaudit.inventory.policies import EVERYONE, PolicyCondition, PolicyPrincipal, PolicyStatement


def parse_policy(document: str | dict[str, Any] | None) -> tuple[PolicyStatement, ...]:
    """The statements of a policy document; () for none. Raises ValueError on a document that is not JSON."""
    if not document:
        return ()
    if isinstance(document, str):
        text = document.strip()
        document = json.loads(text if text.startswith("{") else unquote(text))
    statements = document.get("Statement") or []  # type: ignore[union-attr]
    return tuple(_statement(s) for s in ([statements] if isinstance(statements, dict) else statements))


def _texts(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [] if value is None else [value]
    return tuple(str(item).lower() if isinstance(item, bool) else str(item) for item in items)


def _principals(value: Any) -> tuple[PolicyPrincipal, ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        return tuple(PolicyPrincipal(kind=EVERYONE, value=v) for v in _texts(value))
    return tuple(PolicyPrincipal(kind=kind, value=v) for kind, values in value.items() for v in _texts(values))


def _conditions(value: Any) -> tuple[PolicyCondition, ...]:
    return tuple(
        PolicyCondition(operator=operator, key=key, values=_texts(values))
        for operator, tests in (value or {}).items()
        for key, values in (tests or {}).items()
    )


def _statement(s: dict[str, Any]) -> PolicyStatement:
    return PolicyStatement(
        sid=s.get("Sid"),
        effect=str(s.get("Effect") or ""),
        actions=_texts(s.get("Action")),
        not_actions=_texts(s.get("NotAction")),
        resources=_texts(s.get("Resource")),
        not_resources=_texts(s.get("NotResource")),
        principals=_principals(s.get("Principal")),
        conditions=_conditions(s.get("Condition")),
    )
