"""The HTML report is self-contained and escapes every string that came from the account."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

from hostile import HOSTILE_STRINGS
from mlaudit.catalog.loader import load_catalog
from mlaudit.core.taxonomy import Status
from mlaudit.inventory import AccountInfo, CollectionError
from mlaudit.renderers.html import render_html, script_json
from mlaudit.report.findings import Finding, FindingRemediation, finding_id
from mlaudit.report.model import CallStatistics, Report, ScanInfo, ScanStatus, summarise


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
