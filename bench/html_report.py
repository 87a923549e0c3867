"""How the HTML report scales: file size per finding, and how fast a headless Chromium opens and filters it.

    python bench/html_report.py [--findings 100000] [--chromium /usr/bin/chromium]

Prints one line per measurement; docs/reports.md records the numbers from this machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from mlaudit.renderers.html import render_html
from synthetic import synthetic_report

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    report = synthetic_report(args.findings)
    started = time.perf_counter()
    html = render_html(report)
    render_seconds = time.perf_counter() - started
    path = Path(tempfile.mkdtemp()) / "mlaudit.html"
    path.write_text(html, encoding="utf-8")
    size = path.stat().st_size
    print(f"findings                 {args.findings}")
    print(f"render (python)          {render_seconds:.2f} s")
    print(f"file size                {size / 1e6:.1f} MB ({size / args.findings:.0f} bytes per finding)")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        started = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready=true]", timeout=120_000)
        print(f"open until interactive   {time.perf_counter() - started:.2f} s")
        for label, action in (
            ("filter status FAIL", lambda: page.locator('#facets button.chip[data-value="FAIL"]').click()),
            ("search 'resource-0424'", lambda: page.fill("#search", "resource-0424")),
            ("group by resource", lambda: page.select_option("#group-by", "resource")),
            (
                "sort by resource",
                lambda: (page.select_option("#group-by", ""), page.locator('th[data-sort="resource"]').click()),
            ),
        ):
            before = page.locator("#result-count").inner_text()
            started = time.perf_counter()
            action()
            deadline = time.perf_counter() + 60
            while page.locator("#result-count").inner_text() == before and time.perf_counter() < deadline:
                time.sleep(0.01)
            print(f"{label:<24} {time.perf_counter() - started:.2f} s ({page.locator('#result-count').inner_text()})")
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
