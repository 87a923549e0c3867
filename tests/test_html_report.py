"""The HTML report is self-contained and escapes every string that came from the account."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest

from hostile import HOSTILE_STRINGS
from mlaudit.catalog.loader import load_catalog
from mlaudit.cli.console import Terminal
from mlaudit.core.taxonomy import Status
from mlaudit.core.text import UNSAFE_CHARACTERS
from mlaudit.evaluate import Location, new_finding
from mlaudit.inventory import AccountInfo, CollectionError
from mlaudit.renderers import FORMATS, RenderOptions
from mlaudit.renderers.html import ROWS_PER_WRITE, render_html, script_json, write_html
from mlaudit.renderers.html_payload import payload
from mlaudit.report.findings import Finding, FindingRemediation, finding_id
from mlaudit.report.model import CallStatistics, Report, ScanInfo, ScanStatus, summarise
from mlaudit.report.ranking import fix_first
from mlaudit.sdk import Remediation


def hostile_report() -> Report:
    checks = load_catalog(include_entry_points=False).checks
    check = checks[0].metadata
    now = datetime.now(UTC)
    findings = [
        Finding(
            id=finding_id(check.id, "123456789012", "us-east-1", text),
            check_id=check.id,
            check_name=check.name,
            title=check.title,
            status=Status.FAIL,
            status_detail=f"tag owner={text}",
            severity=check.severity,
            pillar=check.pillar,
            service=check.service,
            resource_type=check.resource_type,
            resource_arn=f"arn:aws:sagemaker:us-east-1:123456789012:endpoint/{text}",
            resource_name=text,
            account_id="123456789012",
            region="us-east-1",
            remediation=FindingRemediation(text=check.remediation.text, url=check.remediation.url),
            references=list(check.references),
        )
        for text in HOSTILE_STRINGS
    ]
    error = CollectionError(
        part="sagemaker.endpoint",
        service="sagemaker",
        operation="ListEndpoints",
        account_id="123456789012",
        region="us-east-1",
        error_code="<b>Denied</b>",
        message=HOSTILE_STRINGS[1],
    )
    return Report(
        scan=ScanInfo(
            id="test",
            started_at=now,
            finished_at=now,
            status=ScanStatus.PARTIAL,
            profile="<script>p</script>",
            regions=["us-east-1"],
            checks_selected=[check.id],
            since=now,
            settings={},
            errors=[error],
            statistics=CallStatistics(),
        ),
        accounts=[AccountInfo(account_id="123456789012")],
        summary=summarise(findings, [check.id]),
        checks=[check],
        findings=findings,
    )


class _Elements(HTMLParser):
    """Collects start tags and the attributes that load or link anything."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.handlers: list[str] = []
        self.csp = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "meta" and dict(attrs).get("http-equiv") == "Content-Security-Policy":
            self.csp = dict(attrs).get("content") or ""
        for name, value in attrs:
            if name in ("src", "href", "action", "srcset", "poster"):
                self.urls.append(value or "")
            if name.startswith("on"):
                self.handlers.append(name)


def test_hostile_strings_stay_data() -> None:
    html = render_html(hostile_report())
    parser = _Elements()
    parser.feed(html)

    assert parser.tags.count("script") == 2, "only the data block and our own script"
    assert parser.tags.count("img") == 0
    assert parser.handlers == []
    assert "<script>alert" not in html
    assert "</script><script>alert(1)" not in html
    assert "&lt;b&gt;Denied&lt;/b&gt;" in html
    data = re.search(r'<script type="application/json" id="mlaudit-data">(.*?)</script>', html, re.S)
    assert data is not None
    embedded = json.loads(data.group(1))
    name = embedded["columns"].index("name")
    assert {row[name] for row in embedded["rows"]} == set(HOSTILE_STRINGS)


def test_nothing_is_loaded_from_anywhere() -> None:
    html = render_html(hostile_report())
    parser = _Elements()
    parser.feed(html)

    assert parser.urls == []
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert parser.csp.startswith("default-src 'none';")
    assert "connect-src" not in parser.csp and "http" not in parser.csp
    assert "@import" not in html and "url(" not in html


def test_script_json_cannot_close_its_element() -> None:
    text = script_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


# -- fix first ----------------------------------------------------------------------------------------------------

CHECKS = {c.metadata.id: c.metadata for c in load_catalog(include_entry_points=False).checks}


def failing(check_id: str, count: int, status: Status = Status.FAIL) -> list[Finding]:
    check = CHECKS[check_id]
    return [
        new_finding(
            check,
            status,
            "detail",
            Location(
                "123456789012", "us-east-1", f"arn:aws:x:us-east-1:123456789012:r/{check_id}-{i}", f"{check_id}-{i}"
            ),
        )
        for i in range(count)
    ]


def ranked_report() -> Report:
    """A low check on 50 resources, high checks on 1 and 3, a medium one on 3 and one on 1, an info check on 5,
    and a high check that only passes."""
    counts = {"SM-TAG-001": 50, "AGENTCORE-001": 1, "AGENTCORE-002": 3, "AGENTCORE-003": 3, "AGENTCORE-004": 1}
    findings = [f for check_id, n in counts.items() for f in failing(check_id, n)]
    findings += failing("IAM-ML-004", 5) + failing("AGENTCORE-005", 4, Status.PASS)
    report = hostile_report()
    checks = [CHECKS[c] for c in [*counts, "IAM-ML-004", "AGENTCORE-005"]]
    return report.model_copy(
        update={"findings": findings, "checks": checks, "summary": summarise(findings, [c.id for c in checks])}
    )


EXPECTED_ORDER = ["AGENTCORE-002", "AGENTCORE-003", "SM-TAG-001", "AGENTCORE-001", "AGENTCORE-004", "IAM-ML-004"]


def test_fix_first_weighs_severity_by_the_log_of_the_resources_affected() -> None:
    ranked = fix_first(ranked_report())
    # high x log2(1 + 3) = 10, medium x log2(4) = 6, low x log2(51) = 5.67, high x log2(2) = 5, medium x 1 = 3,
    # info x anything = 0; the check that only passes is not listed.
    assert [r.check_id for r in ranked] == EXPECTED_ORDER
    assert [round(r.priority, 2) for r in ranked] == [10.0, 6.0, 5.67, 5.0, 3.0, 0.0]
    assert [r.failing for r in ranked] == [3, 3, 50, 1, 1, 5]
    assert len(fix_first(ranked_report(), limit=2)) == 2


def test_terminal_html_and_markdown_list_the_same_fix_first_order() -> None:
    report = ranked_report()
    stream = io.StringIO()
    Terminal(stream).summary(report, [])
    terminal = [line.split()[2] for line in stream.getvalue().splitlines() if line.startswith("  fix first: ")]
    markdown = FORMATS["md"].render(report, RenderOptions())
    table = markdown.split("### Fix first\n\n")[1].split("\n\n")[0].splitlines()[2:]
    html = FORMATS["html"].render(report, RenderOptions())
    chart = html.split("<h2>Fix first")[1].split("</article>")[0]
    assert terminal == EXPECTED_ORDER
    assert [row.split(" | ")[0].strip("| ").replace("\\", "") for row in table] == EXPECTED_ORDER
    assert re.findall(r'data-chart-value="([^"]+)"', chart) == EXPECTED_ORDER


# -- the fix command ----------------------------------------------------------------------------------------------


def test_a_placeholder_must_be_in_the_command_and_outside_quotes() -> None:
    with pytest.raises(ValueError, match="has no <role> to fill"):
        Remediation(
            text="t", url="https://x", cli="aws iam get-role --role-name <name>", placeholders={"role": "resource_name"}
        )
    with pytest.raises(ValueError, match="<bucket> is inside quotes"):
        Remediation(
            text="t",
            url="https://x",
            cli='aws s3api x --config \'{"Bucket":"<bucket>"}\'',
            placeholders={"bucket": "resource_name"},
        )
    with pytest.raises(ValueError, match="Input should be 'resource_name'"):
        Remediation(text="t", url="https://x", cli="x <a>", placeholders={"a": "status_detail"})  # type: ignore[dict-item]


def test_the_command_is_filled_shell_quoted_for_each_failing_finding() -> None:
    role = CHECKS["IAM-ML-001"]
    findings = failing("IAM-ML-001", 1)
    hostile = findings[0].model_copy(update={"resource_name": "x'; rm -rf ~ #"})
    passing = failing("IAM-ML-001", 1, Status.PASS)[0].model_copy(update={"resource_name": "fine"})
    assert role.remediation.command_for(hostile) == (
        "aws iam detach-role-policy --role-name 'x'\"'\"'; rm -rf ~ #' "
        "--policy-arn arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"
    )
    report = hostile_report().model_copy(update={"findings": [hostile, passing], "checks": [role]})
    data = payload(report)
    fix = data["columns"].index("fix")
    assert [row[fix] for row in data["rows"]] == [role.remediation.command_for(hostile), 0]
    # Every built-in placeholder names a value a finding has, and each check's command is filled from it.
    declared = {c.id: c.remediation.placeholders for c in CHECKS.values() if c.remediation.placeholders}
    assert len(declared) == 65
    assert {value for placeholders in declared.values() for value in placeholders.values()} == {
        "resource_name",
        "resource_arn",
        "resource_id",
        "region",
    }
    domain = findings[0].model_copy(update={"resource_arn": "arn:aws:sagemaker:eu-west-1:123456789012:domain/d-x1"})
    assert CHECKS["SM-DOMAIN-001"].remediation.command_for(domain) == (
        "aws sagemaker update-domain --domain-id d-x1 --app-network-access-type VpcOnly"
    )


def test_the_page_is_written_in_pieces() -> None:
    report = ranked_report()
    report = report.model_copy(update={"findings": failing("SM-TAG-001", 4000)})
    writes: list[str] = []

    class Recording(io.StringIO):
        def write(self, text: str) -> int:
            writes.append(text)
            return len(text)

    write_html(report, RenderOptions(), Recording())
    whole = "".join(writes)
    assert whole == FORMATS["html"].render(report, RenderOptions())
    rows = [w for w in writes if re.match(r',?\["[0-9a-f]{32}",', w)]
    assert len(rows) == 4000 // ROWS_PER_WRITE and all(w.count('",') > ROWS_PER_WRITE for w in rows)
    assert max(len(w) for w in writes) < len(whole) / 3


def test_what_the_template_prints_from_the_account_is_inert() -> None:
    """Outside the payload (which the script shows inert), the page's own text has no control or bidirectional
    character: collection errors, anomalies and fixed findings are printed by the template."""
    report = hostile_report()
    tricky = "\u202eevil\u202c \x1b[2J \u2066iso\u2069 \u200fmark"
    error = report.scan.errors[0].model_copy(update={"message": tricky, "resource": tricky})
    report = report.model_copy(update={"scan": report.scan.model_copy(update={"errors": [error]})})
    previous = report.model_copy(
        update={"findings": [report.findings[0].model_copy(update={"id": "gone", "resource_name": tricky})]}
    )
    html = render_html(report, RenderOptions(previous=previous))
    page, _, rest = html.partition('<script type="application/json" id="mlaudit-data">')
    page += rest.partition("</script>")[2]
    assert "\ufffdevil\ufffd \ufffd[2J \ufffdiso\ufffd \ufffdmark" in page
    assert UNSAFE_CHARACTERS.search(page) is None
    assert UNSAFE_CHARACTERS.search(render_html(report)) is not None, "the payload keeps the value; the script hides it"
