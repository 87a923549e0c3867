"""How the HTML report scales: file size per finding, and how fast a headless Chromium opens it, then groups and
sorts every finding, the failing ones and a search's few.

    python bench/html_report.py [--findings 100000] [--chromium /usr/bin/chromium]

Prints one line per measurement; docs/benchmark.md records the numbers from this machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the tests' Chromium and its flags
from browser import CHROMIUM, CHROMIUM_ARGS
from mlaudit.renderers import FORMATS, RenderOptions
from synthetic import synthetic_report

TIMED = """([selector, how, value]) => {
    const node = document.querySelector(selector);
    const started = performance.now();
    if (how === "click") node.click();
    else { node.value = value; node.dispatchEvent(new Event("change")); }
    document.body.offsetHeight;  // the layout of what was rendered counts too
    return [performance.now() - started, document.getElementById("result-count").textContent];
}"""
"""Times one synchronous interaction in the page: the handler filters, counts, sorts or groups, and renders."""

SEARCH = """(query) => new Promise((resolve) => {
    const count = document.getElementById("result-count");
    const search = document.getElementById("search");
    const started = performance.now();
    new MutationObserver((_, observer) => {
        observer.disconnect();
        document.body.offsetHeight;
        resolve([performance.now() - started, count.textContent]);
    }).observe(count, { childList: true, characterData: true, subtree: true });
    search.value = query;
    search.dispatchEvent(new Event("input"));
})"""
"""Times a search from typing to the new count shown, the script's 120 ms pause after typing included."""

GROUP = "#group-by"
SORT_BY_RESOURCE = 'th[data-sort="resource"] button'
STEPS = (
    ("all: group by check", TIMED, (GROUP, "change", "check")),
    ("all: group by resource", TIMED, (GROUP, "change", "resource")),
    ("all: ungroup", TIMED, (GROUP, "change", "")),
    ("all: sort by resource", TIMED, (SORT_BY_RESOURCE, "click", "")),
    ("all: sort by resource, desc", TIMED, (SORT_BY_RESOURCE, "click", "")),
    ("filter status FAIL", TIMED, ('#facets button.chip[data-value="FAIL"]', "click", "")),
    ("FAIL: sort by resource", TIMED, (SORT_BY_RESOURCE, "click", "")),
    ("FAIL: group by resource", TIMED, (GROUP, "change", "resource")),
    ("FAIL: ungroup", TIMED, (GROUP, "change", "")),
    ("search 'resource-0424'", SEARCH, "resource-0424"),
    ("search: group by check", TIMED, (GROUP, "change", "check")),
    ("search: ungroup", TIMED, (GROUP, "change", "")),
    ("search: sort by resource", TIMED, (SORT_BY_RESOURCE, "click", "")),
)
"""Grouping and sorting on every finding, then on the failing ones, then on a search's few."""


def _memory(field: str) -> int:
    """This process's resident memory (`VmRSS`) or its peak (`VmHWM`), in MB."""
    status = Path("/proc/self/status").read_text()
    return int(status.split(f"{field}:")[1].split()[0]) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--chromium", default=CHROMIUM)
    args = parser.parse_args()

    report = synthetic_report(args.findings)
    path = Path(tempfile.mkdtemp()) / "mlaudit.html"
    before = _memory("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here (Linux)
    started = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        FORMATS["html"].write(report, RenderOptions(), out)
    render_seconds = time.perf_counter() - started
    size = path.stat().st_size
    print(f"findings                     {args.findings}")
    print(f"render (python)              {render_seconds:.2f} s, peak RSS +{_memory('VmHWM') - before} MB")
    print(f"file size                    {size / 1e6:.1f} MB ({size / args.findings:.0f} bytes per finding)")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        started = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready=true]", timeout=120_000)
        print(f"open until interactive       {time.perf_counter() - started:.2f} s")
        for label, script, argument in STEPS:
            milliseconds, count = page.evaluate(script, argument)
            print(f"{label:<28} {milliseconds:.0f} ms ({count})")
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
