"""The HTML report in a real browser: it loads offline, filters, groups, shows details, and hostile strings stay
text and inert. Each test groups its assertions on one page, so that Chromium starts once per module. Screenshots of
the demo report (the overview, and the filtered explorer) are saved in the test's temporary directory;
docs/img/report-overview.png is one."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from browser import CHROMIUM_ARGS, chromium_path
from hostile import HOSTILE_STRINGS
from mlaudit.catalog.loader import load_catalog
from mlaudit.core.taxonomy import Status
from mlaudit.evaluate import Location, new_finding
from mlaudit.inventory import AccountInfo
from mlaudit.renderers import RenderOptions
from mlaudit.renderers.html import render_html
from mlaudit.report.findings import Finding, Suppression
from mlaudit.report.model import CallStatistics, Report, ScanInfo, ScanStatus, sort_findings, summarise
from mlaudit.report.ranking import fix_first
from mlaudit.sdk import CheckMetadata, Remediation
from mlaudit.sdk.references import CheckReference, ReferenceType
from reports import finding, report_of

CHECKS = {c.id: c.metadata for c in load_catalog(include_entry_points=False).checks}
ACCOUNT = "123456789012"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """A page on a report file, recording every network request, dialog and script error it causes."""

    def __init__(
        self, browser: Browser, html: str, directory: Path, width: int = 1400, fragment: str = "", dark: bool = False
    ) -> None:
        path = directory / "mlaudit.html"
        path.write_text(html, encoding="utf-8")
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page: Page = browser.new_page(
            viewport={"width": width, "height": 1000}, color_scheme="dark" if dark else "light"
        )
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.url = path.as_uri()
        self.page.goto(self.url + fragment)
        self.page.wait_for_selector("body[data-ready=true]", timeout=20_000)

    def rows(self) -> list[str]:
        return self.page.locator("#findings tbody tr").all_inner_texts()


@pytest.fixture
def demo_page(browser: Browser, demo_scan: tuple, tmp_path: Path) -> Iterator[Visit]:  # type: ignore[type-arg]
    report: Report = demo_scan[0].report
    visit = Visit(browser, render_html(report), tmp_path)
    yield visit
    visit.page.close()


def test_demo_report_loads_offline_and_filters(demo_page: Visit, demo_scan: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    report: Report = demo_scan[0].report
    page = demo_page.page
    page.screenshot(path=str(tmp_path / "demo-overview.png"))
    assert len(demo_page.rows()) == min(50, len(report.findings))
    page.locator('#facets button.chip[data-facet="status"][data-value="FAIL"]').click()
    failing = demo_page.rows()
    assert failing and all(row.startswith("FAIL") for row in failing)
    assert len(failing) == min(50, sum(f.status is Status.FAIL for f in report.findings))
    page.fill("#search", "churn")
    churn = [
        f
        for f in report.findings
        if f.status is Status.FAIL and "churn" in (f.resource_name + f.resource_arn + f.status_detail).lower()
    ]
    expect(page.locator("#result-count")).to_have_text(re.compile(rf"^{len(churn)} of "))
    assert churn and all("churn" in row.lower() for row in demo_page.rows())
    page.screenshot(path=str(tmp_path / "demo-report.png"), full_page=True)
    assert (tmp_path / "demo-report.png").stat().st_size > 10_000
    assert [url for url in demo_page.requests if url != demo_page.url] == []
    assert demo_page.errors == []


def test_detail_panel_and_grouping(demo_page: Visit) -> None:
    page = demo_page.page
    page.locator("#findings tbody tr").first.click()
    detail = page.locator("#detail")
    assert detail.is_visible()
    text = detail.inner_text()
    assert "why it matters" in text.lower() and "how to fix it" in text.lower() and "aws " in text
    page.keyboard.press("Escape")
    assert not detail.is_visible()
    page.select_option("#group-by", "check")
    groups = page.locator("#groups tbody tr")
    assert page.locator("#groups").is_visible() and groups.count() > 1
    first_check = groups.first.locator("code").inner_text()
    groups.first.click()
    assert not page.locator("#groups").is_visible()
    assert all(first_check in row for row in demo_page.rows())


def test_chart_rows_filter_the_explorer(demo_page: Visit) -> None:
    page = demo_page.page
    page.locator('g[data-chart-facet="region"][data-chart-value="eu-west-1"]').click()
    rows = demo_page.rows()
    assert rows and all("eu-west-1" in row and row.startswith("FAIL") for row in rows)


def test_hostile_strings_stay_text_in_the_dom(browser: Browser, tmp_path: Path) -> None:
    report = report_of([finding(text, detail=f"owner={text}") for text in HOSTILE_STRINGS])
    visit = Visit(browser, render_html(report), tmp_path)
    page = visit.page
    assert visit.dialogs == [] and visit.errors == []
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 2
    assert page.evaluate("typeof window.xss") == "undefined"
    names = page.locator("#findings tbody .resource").all_inner_texts()
    assert "<script>alert('xss')</script>" in names
    page.locator("#findings tbody tr").first.click()
    assert visit.dialogs == []
    assert [url for url in visit.requests if url != visit.url] == []
    visit.page.close()


def test_changes_since_a_previous_report_are_marked(browser: Browser, tmp_path: Path) -> None:
    current = report_of([finding("old-problem"), finding("new-problem"), finding("fixed-one", Status.PASS)])
    previous = report_of([finding("old-problem"), finding("fixed-one")])
    visit = Visit(browser, render_html(current, RenderOptions(previous=previous)), tmp_path)
    page = visit.page
    assert "1 new" in page.locator(".change").inner_text() and "1 fixed" in page.locator(".change").inner_text()
    page.locator('[data-filter-change="new"]').click()
    rows = visit.rows()
    assert len(rows) == 1 and "new-problem" in rows[0]
    visit.page.close()


# -- a report made for the explorer's rules ----------------------------------------------------------------------

RLO_NAME = "\u202eevil\u202c-\u2066isolated\u2069-\u200fmark"
LONG_NAME = "training-data-" + "x" * 600
ROLE = "acme-ds-notebook-role"
SHELL_HOSTILE = "it's; rm -rf ~ #$(id)"
SUPPRESSION = Suppression(
    source="config",
    muted_status=Status.FAIL,
    reason="accepted until the VPC migration",
    owner="ml-platform@acme",
    expires=date(2027, 1, 31),
)
UNSAFE_LINKS = CHECKS["SM-NOTEBOOK-001"].model_copy(
    update={
        "remediation": Remediation(text="fix", url="javascript:alert(1)"),
        "references": (
            CheckReference(type=ReferenceType.DOCUMENTATION, id="plain", url="http://example.com/insecure"),
            CheckReference(type=ReferenceType.DOCUMENTATION, id="safe", url="https://example.com/safe"),
        ),
    }
)


def finding_of(
    check: CheckMetadata,
    name: str,
    status: Status = Status.FAIL,
    region: str = "us-east-1",
    suppression: Suppression | None = None,
) -> Finding:
    arn = f"arn:aws:{check.service}:{region}:{ACCOUNT}:thing/{name}"
    return new_finding(
        check, status, f"detail of {name}", Location(ACCOUNT, region, arn, name), suppression=suppression
    )


def report_with(findings: list[Finding], checks: list[CheckMetadata]) -> Report:
    now = datetime.now(UTC)
    ids = [c.id for c in checks]
    return Report(
        scan=ScanInfo(
            id="explorer",
            started_at=now,
            finished_at=now,
            status=ScanStatus.COMPLETE,
            profile=None,
            regions=sorted({f.region for f in findings}),
            checks_selected=ids,
            since=now,
            settings={},
            errors=[],
            statistics=CallStatistics(),
        ),
        accounts=[AccountInfo(account_id=ACCOUNT)],
        summary=summarise(findings, ids),
        checks=checks,
        findings=sort_findings(findings),
    )


def explorer_report() -> Report:
    iam, tag, notebook = CHECKS["IAM-ML-001"], CHECKS["SM-TAG-001"], UNSAFE_LINKS
    findings = [
        finding_of(iam, ROLE),
        finding_of(iam, SHELL_HOSTILE, region="eu-west-1"),
        finding_of(iam, "https://evil.example/phish", status=Status.PASS),
        finding_of(iam, "accepted-role", status=Status.MUTED, suppression=SUPPRESSION),
        finding_of(tag, RLO_NAME),
        finding_of(tag, LONG_NAME, region="eu-west-1"),
        *[finding_of(tag, f"untagged-{i}", region="eu-west-1") for i in range(6)],
        finding_of(notebook, "notebook-a", status=Status.PASS),
    ]
    return report_with(findings, [iam, tag, notebook])


@pytest.fixture
def explorer(browser: Browser, tmp_path: Path) -> Iterator[tuple[Visit, Report]]:
    report = explorer_report()
    visit = Visit(browser, render_html(report), tmp_path)
    yield visit, report
    assert visit.errors == [] and visit.dialogs == []
    assert [url for url in visit.requests if url.split("#")[0] != visit.url] == []
    visit.page.close()


def open_row(page: Page, name_part: str) -> str:
    page.fill("#search", name_part.lower())
    rows = page.locator("#findings tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(name_part)
    rows.first.click()
    return page.locator("#detail").inner_text()


def detail_value(page: Page, label: str) -> str:
    return page.locator(f"#detail dt:text-is('{label}') + dd").first.inner_text()


def test_account_strings_are_inert_and_long_values_clipped(explorer: tuple[Visit, Report]) -> None:
    visit, _ = explorer
    page = visit.page
    body = page.locator("body").inner_text()
    for control in "\u202e\u202c\u2066\u2069\u200f":
        assert control not in body
    assert "\ufffdevil\ufffd-\ufffdisolated\ufffd-\ufffdmark" in page.locator("#findings tbody").inner_text()
    # The long name: cut in its cell, whole on hover and in the detail.
    cell = page.locator("#findings tbody .resource", has_text="training-data-")
    assert cell.inner_text() == LONG_NAME[:79] + "…"
    assert cell.get_attribute("title") == LONG_NAME
    open_row(page, "training-data-")
    assert detail_value(page, "Resource") == LONG_NAME
    page.keyboard.press("Escape")
    detail = open_row(page, "evil")
    assert "\u202e" not in detail and "\ufffdevil" in detail_value(page, "Resource")


def test_muted_detail_fix_command_and_links(explorer: tuple[Visit, Report]) -> None:
    visit, _ = explorer
    page = visit.page
    detail = open_row(page, "accepted-role")
    assert detail_value(page, "Reason") == "accepted until the VPC migration"
    assert detail_value(page, "Owner") == "ml-platform@acme"
    assert detail_value(page, "Expires") == "2027-01-31"
    assert detail_value(page, "Hides") == "FAIL" and "Muted" in detail
    page.keyboard.press("Escape")

    open_row(page, ROLE)
    command = page.locator("#detail pre.fix-command").inner_text()
    assert command == (
        f"aws iam detach-role-policy --role-name {ROLE} --policy-arn arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"
    )
    assert "for this resource" in page.locator("#detail .cli-head").inner_text()
    # The links are the check's https addresses, nothing else.
    links = page.locator("#detail a").evaluate_all("nodes => nodes.map(n => [n.href, n.rel, n.target])")
    iam = CHECKS["IAM-ML-001"]
    assert links == [
        [u, "noopener noreferrer", "_blank"] for u in [iam.remediation.url, *(r.url for r in iam.references)]
    ]
    page.keyboard.press("Escape")

    # A shell sees the hostile name as one argument, exactly as it is.
    open_row(page, "rm -rf")
    words = shlex.split(page.locator("#detail pre.fix-command").inner_text())
    assert words[words.index("--role-name") + 1] == SHELL_HOSTILE
    page.keyboard.press("Escape")

    # An account string that looks like an address stays text; metadata addresses that are not https stay text.
    open_row(page, "evil.example")
    assert page.locator("#detail a[href*='evil']").count() == 0
    assert "AWS CLI (fill in the <placeholders>)" in page.locator("#detail").inner_text()
    page.keyboard.press("Escape")
    open_row(page, "notebook-a")
    assert page.locator("#detail a").evaluate_all("nodes => nodes.map(n => n.href)") == ["https://example.com/safe"]
    assert "javascript:alert(1)" in page.locator("#detail").inner_text()


def chip_counts(page: Page, facet: str) -> dict[str, int]:
    chips = page.locator(f'#facets button.chip[data-facet="{facet}"]')
    return {chip.get_attribute("data-value") or "": int(chip.locator(".n").inner_text()) for chip in chips.all()}


def test_facet_counts_follow_the_filters_and_the_view_is_in_the_fragment(
    explorer: tuple[Visit, Report], browser: Browser, tmp_path: Path
) -> None:
    visit, report = explorer
    page = visit.page
    assert chip_counts(page, "status") == {"FAIL": 10, "MUTED": 1, "PASS": 2}
    assert chip_counts(page, "severity") == {"high": 5, "low": 8}
    page.locator('#facets button.chip[data-facet="severity"][data-value="low"]').click()
    # Each facet counts what choosing its value would show with the other filters: status within low severity,
    # severity over every status.
    assert chip_counts(page, "status") == {"FAIL": 8, "MUTED": 0, "PASS": 0}
    assert chip_counts(page, "severity") == {"high": 5, "low": 8}
    page.locator('#facets button.chip[data-facet="status"][data-value="FAIL"]').click()
    assert chip_counts(page, "severity") == {"high": 2, "low": 8}
    page.select_option('#facets select[data-facet="region"]', "eu-west-1")
    assert chip_counts(page, "severity") == {"high": 1, "low": 7}
    region_options = page.locator('#facets select[data-facet="region"] option').all_inner_texts()
    assert region_options == ["all (2)", "eu-west-1 (7)", "us-east-1 (1)"]
    page.fill("#search", "untagged")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^6 of 13 findings"))
    assert chip_counts(page, "status") == {"FAIL": 6, "MUTED": 0, "PASS": 0}
    page.select_option("#group-by", "check")
    fragment = page.evaluate("location.hash")
    assert fragment == "#status=FAIL&severity=low&region=eu-west-1&q=untagged&group=check"

    # The same view, opened from the link.
    shared = Visit(browser, render_html(report), tmp_path, fragment=fragment)
    assert shared.page.locator("#search").input_value() == "untagged"
    assert shared.page.locator("#group-by").input_value() == "check"
    assert shared.page.locator("#result-count").inner_text() == page.locator("#result-count").inner_text()
    pressed = shared.page.locator('#facets button.chip[aria-pressed="true"]')
    assert pressed.evaluate_all("chips => chips.map(c => c.dataset.value)") == ["FAIL", "low"]
    shared.page.select_option("#group-by", "")
    shared.page.locator('th[data-sort="resource"] button').click()
    shared.page.locator('th[data-sort="resource"] button').click()
    assert shared.page.evaluate("location.hash").endswith("&q=untagged&sort=-resource")
    names = shared.page.locator("#findings tbody .resource").all_inner_texts()
    assert names == sorted(names, reverse=True) and len(names) == 6
    # Editing the fragment by hand changes the view too.
    shared.page.evaluate("location.hash = '#status=PASS'")
    expect(shared.page.locator("#result-count")).to_have_text(re.compile(r"^2 of 13 findings"))
    assert shared.page.locator("#search").input_value() == ""
    # A resource pinned from its group is part of the view; one the report does not have is ignored.
    role = next(f.resource_arn for f in report.findings if f.resource_name == ROLE)
    shared.page.evaluate("arn => { location.hash = '#resource=' + encodeURIComponent(arn); }", role)
    expect(shared.page.locator("#result-count")).to_have_text(re.compile(r"^1 of 13 findings"))
    assert shared.page.locator("#facets .chip[aria-pressed=true]").inner_text() == f"{role} ×"
    shared.page.evaluate("location.hash = '#resource=arn:aws:iam::1:role/none&severity=bogus'")
    expect(shared.page.locator("#result-count")).to_have_text(re.compile(r"^13 of 13 findings"))
    assert shared.errors == []
    shared.page.close()


def test_rows_and_headers_work_from_the_keyboard(explorer: tuple[Visit, Report]) -> None:
    visit, _ = explorer
    page = visit.page
    headers = page.locator("#findings thead th[data-sort]")
    assert headers.evaluate_all("ths => ths.map(th => th.getAttribute('aria-sort'))") == ["none"] * 5
    page.locator('th[data-sort="resource"] button').focus()
    page.keyboard.press("Enter")
    assert page.locator('th[data-sort="resource"]').get_attribute("aria-sort") == "ascending"
    page.keyboard.press("Space")
    assert page.locator('th[data-sort="resource"]').get_attribute("aria-sort") == "descending"
    # Tab goes from the last header to the first row; Enter opens it, Escape gives the focus back.
    page.locator('th[data-sort="region"] button').focus()
    page.keyboard.press("Tab")
    first = page.locator("#findings tbody tr").first
    assert page.evaluate("document.activeElement === document.querySelector('#findings tbody tr')")
    name = first.locator(".resource").inner_text()
    page.keyboard.press("Enter")
    assert page.locator("#detail").is_visible()
    assert page.evaluate("document.activeElement.id") == "close-detail"
    assert page.locator("#detail").get_attribute("role") == "dialog"
    assert page.locator("#detail-title").inner_text() == page.locator("#detail h3").inner_text()
    page.keyboard.press("Escape")
    assert not page.locator("#detail").is_visible()
    assert page.evaluate("document.activeElement.dataset.findingId") == first.get_attribute("data-finding-id")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.locator("#detail").is_visible() and detail_value(page, "Resource") != name
    page.keyboard.press("Escape")
    # Group rows, and the overview's chart bars, too.
    page.select_option("#group-by", "check")
    page.locator("#groups tbody tr").first.focus()
    page.keyboard.press("Enter")
    assert page.locator("#findings").is_visible()
    assert page.evaluate("document.activeElement.tagName") == "TR"
    page.locator("g[data-chart-facet]").first.focus()
    page.keyboard.press("Space")
    assert page.locator('#facets button.chip[data-facet="status"][aria-pressed="true"]').all_inner_texts()


def luminance(css: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"\d+", css)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(page: Page, selector: str) -> tuple[float, float]:
    """The luminance of the background an element is seen on (its own, or its nearest ancestor's) and the contrast
    ratio of its text on it (WCAG 2's formula)."""
    colours = page.locator(selector).first.evaluate(
        """n => {
            let back = n;
            while (back.parentElement && getComputedStyle(back).backgroundColor === "rgba(0, 0, 0, 0)") {
                back = back.parentElement;
            }
            return [getComputedStyle(back).backgroundColor, getComputedStyle(n).color];
        }"""
    )
    back, ink = luminance(colours[0]), luminance(colours[1])
    return back, (max(back, ink) + 0.05) / (min(back, ink) + 0.05)


def test_dark_mode_follows_the_system(browser: Browser, tmp_path: Path) -> None:
    report = explorer_report()
    light = Visit(browser, render_html(report), tmp_path)
    dark = Visit(browser, render_html(report), tmp_path, dark=True)
    for visit, is_dark in ((light, False), (dark, True)):
        page = visit.page
        page.locator("#findings tbody tr").first.click()
        for selector in (
            "html",
            ".explorer",
            "#detail",
            "#search",
            ".chip",
            ".status-FAIL",
            ".status-PASS",
            ".status-MUTED",
            ".secondary",
            "#detail a",
        ):
            back, ratio = contrast(page, selector)
            assert (back < 0.05) if is_dark else (back > 0.8), (selector, back)
            assert ratio >= 4.5, (selector, ratio)
        assert visit.errors == []
        page.close()


def fits(page: Page) -> None:
    """Nothing is wider than the window: no horizontal scrolling of the page, nor of the findings' table."""
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " document.querySelector('.table-wrap').scrollWidth, document.querySelector('.table-wrap').clientWidth]"
    )
    assert widths[0] <= widths[1] == 420 and widths[2] <= widths[3], widths


def test_usable_at_420_pixels(browser: Browser, demo_scan: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    for report in (explorer_report(), demo_scan[0].report):
        visit = Visit(browser, render_html(report), tmp_path, width=420)
        page = visit.page

        fits(page)
        assert page.locator("#findings thead th:visible").all_inner_texts() == [
            "Status",
            "Severity",
            "Check",
            "Resource",
        ]
        page.locator("#findings tbody tr").first.click()
        box = page.locator("#detail").bounding_box()
        assert box is not None and box["x"] >= 0 and box["width"] <= 420
        fits(page)
        page.keyboard.press("Escape")
        page.select_option("#group-by", "resource")
        fits(page)
        page.screenshot(path=str(tmp_path / "narrow.png"), full_page=True)
        assert visit.errors == []
        page.close()


def test_fix_first_weighs_severity_and_resources(demo_page: Visit, demo_scan: tuple) -> None:  # type: ignore[type-arg]
    report: Report = demo_scan[0].report
    ranked = [r.check_id for r in fix_first(report)]
    chart = demo_page.page.locator("article.chart", has_text="Fix first")
    shown = chart.locator("g[data-chart-facet=check]").evaluate_all("gs => gs.map(g => g.dataset.chartValue)")
    assert shown == ranked and len(ranked) == 10
    counts = {c: report.summary.by_check[c][Status.FAIL] for c in report.summary.by_check}
    most_failing = max(counts, key=lambda c: counts[c])
    assert most_failing == "SM-TAG-001" and ranked[0] != "SM-TAG-001"
    assert CHECKS[ranked[0]].severity.rank > CHECKS["SM-TAG-001"].severity.rank
