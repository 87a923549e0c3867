"""Suppressions: accepted risks, documented with a reason, an owner and an expiry, that mute findings.

A muted finding stays in every report, as MUTED with the rule that muted it, so nothing disappears silently.
FAIL and ERROR findings can be muted, never PASS. An expired rule stops applying and says so; a rule that mutes
nothing is reported too, since stale entries rot.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from mlaudit.config.file import SuppressionRule
from mlaudit.core.taxonomy import Status
from mlaudit.inventory import Inventory
from mlaudit.inventory.tags import ResourceTags
from mlaudit.report.findings import Finding, Suppression

TagsOf = Callable[[Finding], "dict[str, str] | None"]
MUTABLE = (Status.FAIL, Status.ERROR)


@dataclass(frozen=True)
class LabelledRule:
    label: str
    """Where the rule is written (`.mlaudit.yaml:14`), for warnings."""
    rule: SuppressionRule


def _any(patterns: Sequence[str], *values: str) -> bool:
    return not patterns or any(fnmatch.fnmatchcase(value, pattern) for pattern in patterns for value in values)


def matches(rule: SuppressionRule, finding: Finding, tags_of: TagsOf) -> bool:
    if rule.finding_id and rule.finding_id != finding.id:
        return False
    if rule.check and not (
        fnmatch.fnmatchcase(finding.check_id, rule.check.upper())
        or fnmatch.fnmatchcase(finding.check_name, rule.check.lower())
    ):
        return False
    if not (_any(rule.accounts, finding.account_id) and _any(rule.regions, finding.region)):
        return False
    if not _any(rule.resources, finding.resource_arn, finding.resource_name):
        return False
    if rule.tags:
        tags = tags_of(finding) or {}
        return all(key in tags and fnmatch.fnmatchcase(tags[key], pattern) for key, pattern in rule.tags.items())
    return True


def _describe(rule: SuppressionRule) -> str:
    target = rule.finding_id or rule.check
    return f"{target} ({rule.reason})"


class Suppressor:
    """Mutes findings one at a time (a streamed scan never holds them all), then says which rules expired or
    matched nothing."""

    def __init__(self, rules: Sequence[LabelledRule], today: date, tags_of: TagsOf = lambda _: None) -> None:
        self._tags_of = tags_of
        self._active = [r for r in rules if not (r.rule.expires and r.rule.expires < today)]
        self._expired = [r for r in rules if r not in self._active]
        self._used: set[str] = set()

    def __call__(self, finding: Finding) -> Finding:
        rule = next(
            (r for r in self._active if finding.status in MUTABLE and matches(r.rule, finding, self._tags_of)), None
        )
        if rule is None:
            return finding
        self._used.add(rule.label)
        suppression = Suppression(
            source="config",
            muted_status=finding.status,
            reason=rule.rule.reason,
            owner=rule.rule.owner,
            expires=rule.rule.expires,
        )
        return finding.model_copy(update={"status": Status.MUTED, "suppression": suppression})

    def warnings(self) -> list[str]:
        expired = [
            f"{r.label}: suppression of {_describe(r.rule)} expired on {r.rule.expires}; no longer applied"
            for r in self._expired
        ]
        return expired + [
            f"{r.label}: suppression of {_describe(r.rule)} matched no finding"
            for r in self._active
            if r.label not in self._used
        ]


def tags_lookup(inventory: Inventory | None) -> TagsOf:
    """The tags of a finding's resource, from the inventory's resource-tags part (None when not collected)."""
    if inventory is None:
        return lambda _: None
    by_arn = {record.arn: record.tags for record in inventory.all_records(ResourceTags)}
    return lambda finding: by_arn.get(finding.resource_arn)
