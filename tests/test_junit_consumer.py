"""`mlaudit.xml` as its consumers take it: valid against Jenkins' junit-10.xsd (tests/data, from
jenkinsci/xunit-plugin), and within GitLab's rules for unit test reports: a file under 30 MB, and test names unique
(GitLab keeps only the first of equal names)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import xmlschema

from hostile import HOSTILE_STRINGS
from mlaudit.core.taxonomy import Severity, Status
from mlaudit.renderers import FORMATS, RenderOptions
from mlaudit.renderers import junit as junit_module
from mlaudit.report.findings import Suppression
from mlaudit.report.model import Report
from reports import finding, report_of

JENKINS = xmlschema.XMLSchema(Path(__file__).parent / "data" / "junit-10.xsd")
GITLAB_FILE_LIMIT = 30_000_000
"""GitLab reads a JUnit report only when the file is smaller than 30 MB."""


def junit(report: Report) -> str:
    return FORMATS["junit"].render(report, RenderOptions())


def consumed(text: str) -> ElementTree.Element:
    """The report as Jenkins and GitLab read it: valid against Jenkins' schema, every test name unique."""
    JENKINS.validate(text)
    root = ElementTree.fromstring(text)
    names = Counter((case.get("classname"), case.get("name")) for case in root.iter("testcase"))
    assert not [name for name, count in names.items() if count > 1]
    return root


@pytest.fixture(scope="module")
def demo(demo_scan: tuple[Any, Any]) -> Report:
    return demo_scan[0].report


def test_the_demo_report_is_valid_for_jenkins_with_one_case_per_finding(demo: Report) -> None:
    root = consumed(junit(demo))
    assert len(list(root.iter("testcase"))) == len(demo.findings)
    statuses = Counter(f.status for f in demo.findings)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == (
        str(len(demo.findings)),
        str(statuses[Status.FAIL]),
        str(statuses[Status.ERROR]),
    )
    failure = root.find(".//failure")
    assert failure is not None and failure.get("type") in {s.value for s in Severity}


def test_hostile_strings_stay_valid_xml() -> None:
    forbidden = finding("forbidden-characters", detail="owner=lone\ud800 nul\x00 tab\t line\nbreak")
    findings = [*(finding(text, detail=f"owner={text}") for text in HOSTILE_STRINGS), forbidden]
    root = consumed(junit(report_of(findings)))
    assert len(list(root.iter("failure"))) == len(findings)
    message = next(f.get("message") for f in root.iter("failure") if "lone" in str(f.get("message")))
    assert message == "owner=lone\ufffd nul\ufffd tab\t line\nbreak"


def test_a_muted_finding_is_skipped_with_the_suppressions_reason_owner_and_expiry() -> None:
    rule = Suppression(
        source="config",
        muted_status=Status.FAIL,
        reason="The pilot runs at a fixed size",
        owner="recs-team@example.com",
        expires=date(2027, 6, 30),
    )
    muted = finding("pilot", Status.MUTED, "no autoscaling").model_copy(update={"suppression": rule})
    root = consumed(junit(report_of([muted, finding("other")])))
    skipped = root.find(".//skipped")
    assert skipped is not None
    assert (
        skipped.get("message") == "The pilot runs at a fixed size (owner: recs-team@example.com; expires: 2027-06-30)"
    )
    suite = root.find("testsuite")
    assert suite is not None and (suite.get("skipped"), suite.get("failures")) == ("1", "1")


def test_a_report_too_large_for_gitlab_keeps_the_most_important_cases_and_says_what_it_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    detail = "x" * 1_000
    report = report_of(
        [
            *[finding(f"pass-{n}", Status.PASS, detail) for n in range(6_000)],
            *[finding(f"muted-{n}", Status.MUTED, detail) for n in range(5_000)],
            *[finding(f"fail-{n}", Status.FAIL, detail) for n in range(10_000)],
        ]
    )
    text = junit(report)
    with monkeypatch.context() as uncapped:
        uncapped.setattr(junit_module, "MAX_CASE_BYTES", 10**12)
        assert len(junit(report).encode()) > GITLAB_FILE_LIMIT > len(text.encode())
    root = consumed(text)
    kept = Counter(
        str(case.get("name")).split(":endpoint/")[1].split("-")[0]
        for case in root.iterfind("testsuite/testcase")
        if case.get("classname") != "mlaudit.left-out"
    )
    assert kept["fail"] == 10_000 and 0 < kept["muted"] < 5_000 and kept["pass"] == 0
    summary = [suite for suite in root.iter("testsuite") if suite.get("name") == "mlaudit: findings left out"]
    assert len(summary) == 1
    skipped = summary[0].find("testcase/skipped")
    assert skipped is not None
    left_muted = 5_000 - kept["muted"]
    assert skipped.get("message") == (
        f"{6_000 + left_muted} of 21000 findings left out ({left_muted} MUTED, 6000 PASS) to stay under GitLab's "
        "30 MB per JUnit file; mlaudit.json holds them all"
    )
    assert root.get("tests") == str(sum(kept.values()) + 1)
    assert root.get("failures") == "10000"


def test_left_out_failures_make_the_summary_a_failure() -> None:
    detail = "y" * 2_000
    text = junit(report_of([finding(f"fail-{n}", Status.FAIL, detail) for n in range(8_000)]))
    root = consumed(text)
    kept = len(root.findall("testsuite/testcase/failure")) - 1
    failure = root.find("testsuite[@name='mlaudit: findings left out']/testcase/failure")
    assert failure is not None and failure.get("type") == "left-out"
    assert str(failure.get("message")).startswith(f"{8_000 - kept} of 8000 findings left out ({8_000 - kept} FAIL)")
    assert root.get("failures") == str(kept + 1)
