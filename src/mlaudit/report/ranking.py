"""What to fix first: the failing checks ranked by severity and by how many resources fail them.

    priority = severity weight x log2(1 + failing resources)

with the pillar scores' weights (critical 10, high 5, medium 3, low 1, info 0). The logarithm lets the number of
resources count without letting it swamp severity: one critical resource (10) outranks a low check on 1,000
(about 10.0), and a high check on 3 resources (10) ties with it. Ties go to the more severe check, then to more
resources, then to the check id. The terminal, the HTML overview and the Markdown summary all list this order.

It is read from the summary (a streamed report keeps no findings), so a check counts at its declared severity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mlaudit.core.taxonomy import Severity, Status
from mlaudit.report.model import Report
from mlaudit.report.scoring import WEIGHTS

FIX_FIRST = 10
"""How many checks the fix-first lists show."""


@dataclass(frozen=True)
class RankedCheck:
    check_id: str
    title: str
    severity: Severity
    failing: int
    """FAIL findings: one per affected resource."""

    @property
    def priority(self) -> float:
        return WEIGHTS[self.severity] * math.log2(1 + self.failing)


def fix_first(report: Report, limit: int = FIX_FIRST) -> list[RankedCheck]:
    """The failing checks, highest priority first (at most `limit`)."""
    checks = {c.id: c for c in report.checks}
    ranked = [
        RankedCheck(check_id, checks[check_id].title, checks[check_id].severity, counts[Status.FAIL])
        for check_id, counts in report.summary.by_check.items()
        if counts[Status.FAIL] and check_id in checks
    ]
    ranked.sort(key=lambda r: (-r.priority, -r.severity.rank, -r.failing, r.check_id))
    return ranked[:limit]
