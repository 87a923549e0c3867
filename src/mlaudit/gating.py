"""Whether a scan should fail the build: the exit code for a report and a `--fail-on` threshold."""

from __future__ import annotations

from mlaudit.errors import ExitCode
from mlaudit.report import Report, ScanStatus
from mlaudit.taxonomy import Severity, Status


def exit_code(report: Report, fail_on: str) -> int:
    """1 for an unmuted FAIL at or above `fail_on`; else 3 for an incomplete scan; else 0."""
    if fail_on != "none":
        threshold = Severity(fail_on)
        if any(f.status is Status.FAIL and f.severity.at_least(threshold) for f in report.findings):
            return ExitCode.FINDINGS
    if report.scan.status is ScanStatus.PARTIAL:
        return ExitCode.INCOMPLETE
    return ExitCode.OK
