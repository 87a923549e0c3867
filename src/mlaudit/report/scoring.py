"""A score and letter grade per pillar, for readers who want one number.

The score is the severity-weighted share of passing verdicts: a failing critical check weighs ten failing low
ones. ERROR and MUTED findings are left out (no verdict, or an accepted risk); informational checks weigh
nothing. No verdicts at all gives no score rather than a perfect one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mlaudit.core.taxonomy import Pillar, Severity, Status
from mlaudit.report.findings import Finding

WEIGHTS = {Severity.CRITICAL: 10, Severity.HIGH: 5, Severity.MEDIUM: 3, Severity.LOW: 1, Severity.INFO: 0}
GRADES = ((90, "A"), (80, "B"), (70, "C"), (60, "D"))


@dataclass(frozen=True)
class Score:
    value: int | None
    """0-100, or None when nothing was judged."""
    grade: str
    passed: int
    failed: int


def score(findings: Iterable[Finding]) -> Score:
    passed = failed = 0
    weight_passed = weight_total = 0
    for finding in findings:
        if finding.status not in (Status.PASS, Status.FAIL):
            continue
        weight = WEIGHTS[finding.severity]
        weight_total += weight
        if finding.status is Status.PASS:
            passed += 1
            weight_passed += weight
        else:
            failed += 1
    if weight_total == 0:
        return Score(None, "–", passed, failed)
    value = round(100 * weight_passed / weight_total)
    grade = next((letter for floor, letter in GRADES if value >= floor), "F")
    return Score(value, grade, passed, failed)


def pillar_scores(findings: list[Finding]) -> dict[Pillar, Score]:
    return {pillar: score(f for f in findings if f.pillar is pillar) for pillar in Pillar}
