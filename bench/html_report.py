"""How the HTML report scales: file size per finding, and how fast a headless Chromium opens and filters it.

    python bench/html_report.py [--findings 100000] [--chromium /usr/bin/chromium]

Prints one line per measurement; docs/reports.md records the numbers from this machine.
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

from mlaudit.catalog.loader import load_catalog
from mlaudit.core.taxonomy import Status
from mlaudit.inventory import AccountInfo
from mlaudit.renderers.html import render_html
from mlaudit.report.findings import Finding, FindingRemediation, finding_id
from mlaudit.report.model import CallStatistics, Report, ScanInfo, ScanStatus, sort_findings, summarise

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1")
ACCOUNTS = tuple(f"{100000000000 + i * 7919:012d}" for i in range(12))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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
