"""The HTML report in a real browser: it loads offline, filters, groups, shows details, and hostile strings stay
text. Screenshots of the demo report (the overview, and the filtered explorer) are saved in the test's temporary
directory; docs/img/report-overview.png is one."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from browser import CHROMIUM_ARGS, chromium_path
from hostile import HOSTILE_STRINGS
from mlaudit.core.taxonomy import Status
from mlaudit.renderers import RenderOptions
from mlaudit.renderers.html import render_html
from mlaudit.report.model import Report
from reports import finding, report_of


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Visit:
    """A page on a report file, recording every network request, dialog and script error it causes."""

    def __init__(self, browser: Browser, html: str, directory: Path) -> None:
        path = directory / "mlaudit.html"
        path.write_text(html, encoding="utf-8")
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page: Page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready=true]", timeout=20_000)
        self.url = path.as_uri()

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
