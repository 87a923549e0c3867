"""What changed between two reports, finding by finding (finding ids are stable across scans).

- new: failing now, and not failing before (absent, passing, errored or muted);
- fixed: failing before, and now passing, or gone from a scope the new scan evaluated with the same check
  (the resource was deleted); a finding outside the new scan's scope is not called fixed;
- still failing: failing in both (its severity may have changed: `changed_severity`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
