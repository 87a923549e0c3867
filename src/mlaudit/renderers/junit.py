"""`mlaudit.xml`: JUnit XML for GitLab, Jenkins and other CI test reports.

One test suite per check and one test case per resource (named by ARN and region, unique within its suite):
a FAIL is a failure, an ERROR an error, a MUTED finding is skipped with the suppression's reason; the severity
is the failure's type, so CI pages can sort by it.
"""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree

from mlaudit.core.taxonomy import Status
from mlaudit.renderers.xml_text import xml_text
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report


def _case(suite: ElementTree.Element, finding: Finding) -> None:
    case = ElementTree.SubElement(
        suite,
        "testcase",
        classname=xml_text(f"mlaudit.{finding.check_id}"),
        name=xml_text(f"{finding.resource_arn} [{finding.account_id} {finding.region}]"),
        time="0",
    )
    text = xml_text(
        f"{finding.resource_name}: {finding.status_detail}\nRemediation: {finding.remediation.text}\n{finding.remediation.url}"
    )
    if finding.status is Status.FAIL:
        ElementTree.SubElement(
            case, "failure", message=xml_text(finding.status_detail), type=finding.severity.value
        ).text = text
    elif finding.status is Status.ERROR:
        ElementTree.SubElement(case, "error", message=xml_text(finding.status_detail), type="ERROR").text = text
    elif finding.status is Status.MUTED:
        ElementTree.SubElement(case, "skipped", message=xml_text(finding.status_detail))


def render_junit(report: Report) -> str:
    by_check: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_check[finding.check_id].append(finding)
    titles = {c.id: f"{c.id} {c.name}" for c in report.checks}
    root = ElementTree.Element("testsuites", name="mlaudit")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for check_id in sorted(by_check):
        findings = by_check[check_id]
        counts = {
            "tests": len(findings),
            "failures": sum(f.status is Status.FAIL for f in findings),
            "errors": sum(f.status is Status.ERROR for f in findings),
            "skipped": sum(f.status is Status.MUTED for f in findings),
        }
        suite = ElementTree.SubElement(
            root,
            "testsuite",
            name=titles.get(check_id, check_id),
            timestamp=report.scan.started_at.isoformat(),
            attrib={key: str(value) for key, value in counts.items()},
            time="0",
        )
        for finding in findings:
            _case(suite, finding)
        totals = {key: totals[key] + counts[key] for key in totals}
    root.attrib.update({key: str(value) for key, value in totals.items()})
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"
