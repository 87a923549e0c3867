"""IAM policy documents, kept as structured statements (bucket policies, role trust and permission policies).

Policies are configuration, not secrets, so statements are stored whole; what a statement covers is answered here
once (wildcards, NotAction, principals), so checks only ask questions of it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mlaudit.inventory.base import Value

EVERYONE = "*"


class PolicyPrincipal(Value):
    kind: str
    """`AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for the bare wildcard principal."""
    value: str


class PolicyCondition(Value):
    """One condition key test: `{"StringEquals": {"aws:SourceAccount": ["111122223333"]}}` is one of these."""

    operator: str
    key: str
    values: tuple[str, ...] = ()
    """As text; JSON booleans become `true`/`false`."""


class PolicyStatement(Value):
    sid: str | None = None
    effect: str
    actions: tuple[str, ...] = ()
    not_actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    principals: tuple[PolicyPrincipal, ...] = ()
    conditions: tuple[PolicyCondition, ...] = ()

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    @property
    def denies(self) -> bool:
        return self.effect == "Deny"

    @property
    def applies_to_everyone(self) -> bool:
        """`"Principal": "*"` or `{"AWS": "*"}`."""
        return any(p.value == EVERYONE and p.kind in (EVERYONE, "AWS") for p in self.principals)

    def service_principals(self) -> tuple[str, ...]:
        return tuple(p.value for p in self.principals if p.kind == "Service")

    def covers_action(self, action: str) -> bool:
        """Whether the statement applies to `action` (IAM action names are case-insensitive)."""
        if self.not_actions:
            return not any(wildcard_match(p, action, ignore_case=True) for p in self.not_actions)
        return any(wildcard_match(p, action, ignore_case=True) for p in self.actions)

    def covers_resource(self, arn: str) -> bool:
        if self.not_resources:
            return not any(wildcard_match(p, arn) for p in self.not_resources)
        return any(wildcard_match(p, arn) for p in self.resources)

    def condition_keys(self) -> frozenset[str]:
        """Condition keys, lower-cased (IAM compares key names case-insensitively)."""
        return frozenset(c.key.lower() for c in self.conditions)


def wildcard_match(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """IAM wildcard matching: `*` is any run of characters, `?` any one character."""
    return bool(_compiled(pattern, ignore_case).fullmatch(value))


@lru_cache(maxsize=1024)
def _compiled(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    regex = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile(regex, flags)
