"""What changed between two reports, finding by finding (finding ids are stable across scans).

- new: failing now, and not failing before (absent, passing, errored or muted);
- fixed: failing before, and now passing, or gone from a scope the new scan evaluated with the same check
  (the resource was deleted); a finding outside the new scan's scope is not called fixed;
- still failing: failing in both (its severity may have changed: `changed_severity`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mlaudit.core.taxonomy import Status
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report


@dataclass
class ReportDiff:
    new: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    """The old findings that are fixed."""
    still_failing: list[Finding] = field(default_factory=list)
    changed_severity: list[tuple[Finding, Finding]] = field(default_factory=list)
    """(old, new) pairs of findings failing in both with a different severity."""

    @property
    def counts(self) -> str:
        """One line of what changed, for the top of every rendering."""
        return (
            f"{len(self.new)} new, {len(self.fixed)} fixed, {len(self.still_failing)} still failing, "
            f"{len(self.changed_severity)} changed severity"
        )

    def sections(self, unchanged: bool = True) -> dict[str, list[Finding]]:
        """The findings of each kind of change, by name (`unchanged`: with those still failing)."""
        sections = {"new": self.new, "fixed": self.fixed}
        return {**sections, "still_failing": self.still_failing} if unchanged else sections

    def to_json(self) -> str:
        document: dict[str, Any] = {
            name: [f.model_dump(mode="json") for f in found] for name, found in self.sections().items()
        }
        document["changed_severity"] = [
            {
                "id": n.id,
                "check_id": n.check_id,
                "resource_arn": n.resource_arn,
                "old": o.severity.value,
                "new": n.severity.value,
            }
            for o, n in self.changed_severity
        ]
        return json.dumps(document, indent=2)

    def table_rows(self, unchanged: bool) -> list[tuple[str, str, str, str, str]]:
        """Rows of (change, severity, check, resource, region) for the terminal."""
        rows = [
            (name.replace("_", " "), f.severity.value, f.check_id, f.resource_name, f.region)
            for name, found in self.sections(unchanged).items()
            for f in found
        ]
        return rows + [
            ("severity changed", f"{o.severity.value}->{n.severity.value}", n.check_id, n.resource_name, n.region)
            for o, n in self.changed_severity
        ]


def _evaluated_scopes(report: Report) -> set[tuple[str, str, str]]:
    return {(f.check_id, f.account_id, f.region) for f in report.findings}


def diff_reports(old: Report, new: Report) -> ReportDiff:
    before = {f.id: f for f in old.findings}
    after = {f.id: f for f in new.findings}
    scopes = _evaluated_scopes(new)
    result = ReportDiff()
    for finding in new.findings:
        if finding.status is not Status.FAIL:
            continue
        previous = before.get(finding.id)
        if previous is None or previous.status is not Status.FAIL:
            result.new.append(finding)
        else:
            result.still_failing.append(finding)
            if previous.severity is not finding.severity:
                result.changed_severity.append((previous, finding))
    for finding in old.findings:
        if finding.status is not Status.FAIL:
            continue
        current = after.get(finding.id)
        if (current is not None and current.status is Status.PASS) or (
            current is None and (finding.check_id, finding.account_id, finding.region) in scopes
        ):
            result.fixed.append(finding)
    return result
