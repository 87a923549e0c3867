"""Whether a scan should fail the build: the exit code for a report and the user's thresholds."""

from __future__ import annotations

from mlaudit.core.errors import ExitCode
from mlaudit.core.taxonomy import Severity, Status
from mlaudit.report.model import Report, ScanStatus


def exit_code(report: Report, fail_on: str, fail_on_error: bool = True, exit_zero: bool = False) -> int:
    """1 for an unmuted FAIL at or above `fail_on` (`none`: never); else 3 for an incomplete scan, unless
    `fail_on_error` is off; else 0. `exit_zero` makes every completed scan exit 0 (report-only runs)."""
    if exit_zero:
        return ExitCode.OK
    if fail_on != "none":
        threshold = Severity(fail_on)
        if any(
            counts[Status.FAIL]
            for severity, counts in report.summary.by_severity.items()
            if severity.at_least(threshold)
        ):
            return ExitCode.FINDINGS
    if fail_on_error and report.scan.status is ScanStatus.PARTIAL:
        return ExitCode.INCOMPLETE
    return ExitCode.OK
