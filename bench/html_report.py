"""How the HTML report scales: file size per finding, and how fast a headless Chromium opens it, then groups and
sorts every finding, the failing ones and a search's few.

    python bench/html_report.py [--findings 100000] [--chromium /usr/bin/chromium]

Prints one line per measurement; docs/benchmark.md records the numbers from this machine.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the tests' Chromium and its flags
from browser import CHROMIUM, CHROMIUM_ARGS
from mlaudit.catalog.loader import load_catalog
from mlaudit.core.taxonomy import Status
from mlaudit.inventory import AccountInfo
from mlaudit.renderers import FORMATS, RenderOptions
from mlaudit.report.findings import Finding, FindingRemediation, finding_id
from mlaudit.report.model import CallStatistics, Report, ScanInfo, ScanStatus, sort_findings, summarise

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1")
ACCOUNTS = tuple(f"{100000000000 + i * 7919:012d}" for i in range(12))


def synthetic_report(count: int, seed: int = 7) -> Report:
    """`count` findings over every built-in check, 12 accounts and 6 regions; a third failing."""
    rng = random.Random(seed)
    checks = [c.metadata for c in load_catalog(include_entry_points=False).checks]
    findings = []
    for index in range(count):
        check = checks[index % len(checks)]
        account, region = rng.choice(ACCOUNTS), rng.choice(REGIONS)
        name = f"{check.service}-resource-{index:06d}"
        arn = f"arn:aws:{check.service}:{region}:{account}:{check.resource_type.rsplit('::', 1)[-1].lower()}/{name}"
        status = Status.FAIL if rng.random() < 0.33 else Status.PASS
        findings.append(
            Finding(
                id=finding_id(check.id, account, region, arn),
                check_id=check.id,
                check_name=check.name,
                title=check.title,
                status=status,
                status_detail=f"{check.name.replace('-', ' ')} ({'fails' if status is Status.FAIL else 'passes'})",
                severity=check.severity,
                pillar=check.pillar,
                service=check.service,
                resource_type=check.resource_type,
                resource_arn=arn,
                resource_name=name,
                account_id=account,
                region=region,
                remediation=FindingRemediation(text=check.remediation.text, url=check.remediation.url),
                references=list(check.references),
            )
        )
    now = datetime.now(UTC)
    return Report(
        scan=ScanInfo(
            id="benchmark",
            started_at=now,
            finished_at=now,
            status=ScanStatus.COMPLETE,
            profile=None,
            regions=list(REGIONS),
            checks_selected=[c.id for c in checks],
            since=now,
            settings={},
            errors=[],
            statistics=CallStatistics(),
        ),
        accounts=[AccountInfo(account_id=a) for a in ACCOUNTS],
        summary=summarise(findings, [c.id for c in checks]),
        checks=checks,
        findings=sort_findings(findings),
    )


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
