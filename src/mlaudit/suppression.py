"""Suppressions: accepted risks, documented with a reason, an owner and an expiry, that mute findings.

A muted finding stays in every report, as MUTED with the rule that muted it, so nothing disappears silently.
FAIL and ERROR findings can be muted, never PASS. An expired rule stops applying and says so; a rule that mutes
nothing is reported too, since stale entries rot.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from datetime import date
from typing import Callable, Sequence

from mlaudit.config import SuppressionRule
from mlaudit.findings import Finding, Suppression
from mlaudit.inventory import Inventory
from mlaudit.inventory.tags import ResourceTags
from mlaudit.report import Report, with_findings
from mlaudit.taxonomy import Status

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
        fnmatch.fnmatchcase(finding.check_id, rule.check.upper()) or fnmatch.fnmatchcase(finding.check_name, rule.check.lower())
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


def apply_suppressions(report: Report, rules: Sequence[LabelledRule], today: date, tags_of: TagsOf = lambda _: None) -> Report:
    active = []
    warnings = []
    for labelled in rules:
        if labelled.rule.expires and labelled.rule.expires < today:
            warnings.append(f"{labelled.label}: suppression of {_describe(labelled.rule)} expired on {labelled.rule.expires}; no longer applied")
        else:
            active.append(labelled)
    used: set[str] = set()
    findings = []
    for finding in report.findings:
        rule = next((r for r in active if finding.status in MUTABLE and matches(r.rule, finding, tags_of)), None)
        if rule is None:
            findings.append(finding)
            continue
        used.add(rule.label)
        suppression = Suppression(
            source="config", muted_status=finding.status, reason=rule.rule.reason, owner=rule.rule.owner, expires=rule.rule.expires
        )
        findings.append(finding.model_copy(update={"status": Status.MUTED, "suppression": suppression}))
    warnings += [f"{r.label}: suppression of {_describe(r.rule)} matched no finding" for r in active if r.label not in used]
    return with_findings(report, findings, warnings)


def tags_lookup(inventory: Inventory | None) -> TagsOf:
    """The tags of a finding's resource, from the inventory's resource-tags part (None when not collected)."""
    if inventory is None:
        return lambda _: None
    by_arn = {record.arn: record.tags for record in inventory.all_records(ResourceTags)}
    return lambda finding: by_arn.get(finding.resource_arn)
