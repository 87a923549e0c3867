"""The fixed vocabularies of findings: severities, pillars and statuses.

They are string enums so that they serialise as their values in every report format.
"""

from __future__ import annotations

from enum import Enum


class Severity(str, Enum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe; used for `--severity` and `--fail-on` thresholds."""
        return _SEVERITY_RANK[self]

    def at_least(self, threshold: Severity) -> bool:
        return self.rank >= threshold.rank


_SEVERITY_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}


class Pillar(str, Enum):
    """The Well-Architected pillars, plus responsible AI from the Machine Learning Lens."""

    SECURITY = "security"
    RELIABILITY = "reliability"
    OPERATIONAL_EXCELLENCE = "operational-excellence"
    PERFORMANCE = "performance"
    COST = "cost"
    SUSTAINABILITY = "sustainability"
    RESPONSIBLE_AI = "responsible-ai"


class Status(str, Enum):
    """PASS and FAIL are verdicts; ERROR means the check could not look; MUTED is a suppressed finding."""

    PASS = "PASS"
    FAIL = "FAIL"
    ERROR = "ERROR"
    MUTED = "MUTED"
