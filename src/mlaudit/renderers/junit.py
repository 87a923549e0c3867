"""`mlaudit.xml`: JUnit XML for GitLab, Jenkins and other CI test reports, written as it goes.

One test suite per check and one test case per resource, named by ARN, account and region (unique within its
suite: GitLab keeps only the first of equal names). A FAIL is a failure whose type is the severity, so CI pages
can sort by it; an ERROR is an error; a MUTED finding is skipped with the suppression's justification. The file
is valid against Jenkins' junit-10.xsd.

GitLab reads a JUnit file only under 30 MB: cases beyond `MAX_CASE_BYTES` are left out, PASS first, then MUTED,
ERROR and the least severe FAIL, and a summary test case says what was left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TextIO

from mlaudit.core.taxonomy import Status
from mlaudit.renderers.options import RenderOptions
from mlaudit.renderers.xml_text import xml_attributes, xml_content
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report

MAX_CASE_BYTES = 28_000_000
"""The test cases' share of the file, leaving room for the suites and the summary under GitLab's 30 MB per file."""
PRIORITY = {Status.FAIL: 0, Status.ERROR: 1, Status.MUTED: 2, Status.PASS: 3}
"""Which cases are kept when the file would be too large, most important first."""
OUTCOME = {Status.FAIL: "failures", Status.ERROR: "errors", Status.MUTED: "skipped"}
"""The suite counter each status adds to (every case adds to `tests`)."""
LEFT_OUT_SUITE = "mlaudit: findings left out"


def _outcome(finding: Finding) -> str:
    if finding.status is Status.MUTED:
        return f"<skipped{xml_attributes({'message': finding.muted_because()})}/>"
    if finding.status not in (Status.FAIL, Status.ERROR):
        return ""
    tag, kind = ("failure", finding.severity.value) if finding.status is Status.FAIL else ("error", "ERROR")
    text = xml_content(
        f"{finding.resource_name}: {finding.status_detail}\nRemediation: {finding.remediation.text}\n"
        f"{finding.remediation.url}"
    )
    return f"<{tag}{xml_attributes({'message': finding.status_detail, 'type': kind})}>{text}</{tag}>"


def _case(finding: Finding) -> str:
    attributes = xml_attributes(
        {
            "classname": f"mlaudit.{finding.check_id}",
            "name": f"{finding.resource_arn} [{finding.account_id} {finding.region}]",
            "time": "0",
        }
    )
    outcome = _outcome(finding)
    return (
        f"    <testcase{attributes}>\n      {outcome}\n    </testcase>\n"
        if outcome
        else f"    <testcase{attributes}/>\n"
    )


def _kept(findings: list[Finding]) -> dict[int, str]:
    """The cases, by finding index, that fit in `MAX_CASE_BYTES`, taken most important first."""
    order = sorted(range(len(findings)), key=lambda i: (PRIORITY[findings[i].status], -findings[i].severity.rank))
    kept, size = {}, 0
    for index in order:
        case = _case(findings[index])
        size += len(case.encode())
        if size > MAX_CASE_BYTES:
            break
        kept[index] = case
    return kept


def _counts(findings: list[Finding]) -> Counter[str]:
    counts = Counter(OUTCOME[f.status] for f in findings if f.status in OUTCOME)
    counts["tests"] = len(findings)
    return counts


def _left_out_case(left_out: Counter[Status], total: int) -> tuple[str, str]:
    """The summary case, and the suite counter it adds to: a failure when failing findings were left out."""
    counts = ", ".join(f"{left_out[status]} {status.value}" for status in PRIORITY if left_out[status])
    message = (
        f"{left_out.total()} of {total} findings left out ({counts}) to stay under GitLab's 30 MB per JUnit file; "
        "mlaudit.json holds them all"
    )
    attributes = xml_attributes({"classname": "mlaudit.left-out", "name": "findings left out", "time": "0"})
    if left_out[Status.FAIL] or left_out[Status.ERROR]:
        outcome, counter = f"<failure{xml_attributes({'message': message, 'type': 'left-out'})}/>", "failures"
    else:
        outcome, counter = f"<skipped{xml_attributes({'message': message})}/>", "skipped"
    return f"    <testcase{attributes}>\n      {outcome}\n    </testcase>\n", counter


def _suite_head(name: str, counts: Counter[str], timestamp: str) -> str:
    values = {key: str(counts[key]) for key in ("tests", "failures", "errors", "skipped")}
    return f"  <testsuite{xml_attributes({'name': name, **values, 'timestamp': timestamp, 'time': '0'})}>\n"


def write_junit(report: Report, options: RenderOptions, out: TextIO) -> None:
    kept = _kept(report.findings)
    by_check: dict[str, list[int]] = defaultdict(list)
    for index in sorted(kept):
        by_check[report.findings[index].check_id].append(index)
    suites = {check_id: _counts([report.findings[i] for i in by_check[check_id]]) for check_id in sorted(by_check)}
    left_out = Counter(f.status for i, f in enumerate(report.findings) if i not in kept)
    summary = _left_out_case(left_out, len(report.findings)) if left_out else None
    totals = sum(suites.values(), Counter())
    if summary:
        totals.update(["tests", summary[1]])
    titles = {c.id: f"{c.id} {c.name}" for c in report.checks}
    timestamp = report.scan.started_at.isoformat()
    root = {key: str(totals[key]) for key in ("tests", "failures", "errors")}
    out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites{xml_attributes({"name": "mlaudit", **root})}>\n')
    for check_id, counts in suites.items():
        out.write(_suite_head(titles.get(check_id, check_id), counts, timestamp))
        for index in by_check[check_id]:
            out.write(kept[index])
        out.write("  </testsuite>\n")
    if summary:
        case, counter = summary
        out.write(_suite_head(LEFT_OUT_SUITE, Counter({"tests": 1, counter: 1}), timestamp))
        out.write(case + "  </testsuite>\n")
    out.write("</testsuites>\n")
