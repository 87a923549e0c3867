"""Whether a scan should fail the build: the exit code for a report and the user's thresholds."""

from __future__ import annotations

from mlaudit.core.errors import ExitCode
from mlaudit.core.taxonomy import Severity, Status
from mlaudit.report.model import Report, ScanStatus


def failing(report: Report, fail_on: str) -> int:
    """Unmuted FAIL findings at or above `fail_on` (none for `none`)."""
    if fail_on == "none":
        return 0
    threshold = Severity(fail_on)
    return sum(
        counts[Status.FAIL] for severity, counts in report.summary.by_severity.items() if severity.at_least(threshold)
    )


def exit_code(report: Report, fail_on: str, fail_on_error: bool = True, exit_zero: bool = False) -> int:
    """1 for an unmuted FAIL at or above `fail_on` (`none`: never); else 3 for an incomplete scan, unless
    `fail_on_error` is off; else 0. `exit_zero` makes every completed scan exit 0 (report-only runs)."""
    if exit_zero:
        return ExitCode.OK
    if failing(report, fail_on):
        return ExitCode.FINDINGS
    if fail_on_error and report.scan.status is ScanStatus.PARTIAL:
        return ExitCode.INCOMPLETE
    return ExitCode.OK


def exit_reason(report: Report, fail_on: str, fail_on_error: bool = True, exit_zero: bool = False) -> str | None:
    """The line that ends a run that does not exit 0: why, and how to make it a report-only run."""
    code = exit_code(report, fail_on, fail_on_error, exit_zero)
    if code == ExitCode.FINDINGS:
        return f"exit 1: {failing(report, fail_on)} FAIL at or above {fail_on}; --fail-on none for a report-only run"
    if code == ExitCode.INCOMPLETE:
        errors = report.summary.by_status[Status.ERROR]
        return (
            f"exit 3: the scan was incomplete ({errors} ERROR, {len(report.scan.errors)} collection errors); "
            "--no-fail-on-error to exit 0 anyway"
        )
    return None
