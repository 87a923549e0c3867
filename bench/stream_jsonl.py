"""How much memory the findings take: JSON Lines streamed while the checks run, against the rendered report.

    python bench/stream_jsonl.py [--notebooks 50000]

Builds an inventory of N notebook instances in memory (no AWS, no moto), evaluates every built-in check that reads
only notebook instances (about six findings each), and writes `mlaudit.jsonl` two ways, each in a fresh child
process: streamed (`mlaudit.report.streaming`, what `--format jsonl` alone does) and rendered from a whole report (what
any other format needs). Prints the peak RSS above the inventory's own, the time, and the number of lines;
docs/benchmark.md records the numbers.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mlaudit.catalog.loader import load_catalog
from mlaudit.inventory import AccountInfo, Inventory, NotebookInstance
from mlaudit.renderers.jsonl import render_jsonl
from mlaudit.report.model import CallStatistics
from mlaudit.report.streaming import FindingStream
from mlaudit.scan import report_from_inventory

ACCOUNT = "123456789012"
REGION = "us-east-1"


def inventory_of(notebooks: int) -> Inventory:
    now = datetime.now(UTC)
    inventory = Inventory([AccountInfo(account_id=ACCOUNT)], [REGION], now - timedelta(days=90), now)
    records = [
        NotebookInstance(
            arn=f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:notebook-instance/nb-{i}",
            name=f"nb-{i}",
            account_id=ACCOUNT,
            region=REGION,
            status="InService",
            instance_type="ml.t3.medium",
            direct_internet_access="Enabled" if i % 2 else "Disabled",
            root_access="Enabled" if i % 3 else "Disabled",
            platform_identifier="notebook-al2-v2",
            minimum_imds_version="2",
        )
        for i in range(notebooks)
    ]
    inventory.add(NotebookInstance.part, ACCOUNT, REGION, records, [])
    return inventory


def measure(mode: str, notebooks: int, directory: Path) -> dict[str, float]:
    """One mode, in this (child) process: the peak RSS it adds above the inventory, its time, its lines."""
    checks = [c for c in load_catalog(include_entry_points=False).checks if set(c.needs) == {NotebookInstance}]
    inventory = inventory_of(notebooks)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    path = directory / f"{mode}.jsonl"
    if mode == "streamed":
        report_from_inventory(inventory, checks, {}, None, CallStatistics(), FindingStream(path))
    else:
        path.write_text(render_jsonl(report_from_inventory(inventory, checks, {}, None, CallStatistics())))
    seconds = time.perf_counter() - started
    added_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    lines = sum(1 for _ in path.open())
    return {"checks": len(checks), "seconds": round(seconds, 2), "added_rss_mb": round(added_mb, 1), "lines": lines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notebooks", type=int, default=50_000)
    parser.add_argument("--mode", choices=("streamed", "rendered"), help=argparse.SUPPRESS)
    parser.add_argument("--directory", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(measure(args.mode, args.notebooks, args.directory)))
        return
    with tempfile.TemporaryDirectory() as directory:
        for mode in ("streamed", "rendered"):
            command = [
                sys.executable,
                __file__,
                "--notebooks",
                str(args.notebooks),
                "--mode",
                mode,
                "--directory",
                directory,
            ]
            result = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
            print(
                f"{mode:>8}: {result['lines']:,} findings from {result['checks']} checks over {args.notebooks:,} notebooks, "
                f"{result['seconds']} s, peak RSS +{result['added_rss_mb']} MB above the inventory"
            )


if __name__ == "__main__":
    main()
