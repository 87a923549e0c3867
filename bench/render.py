"""How fast, and in how much memory, each format renders a large report.

    python bench/render.py [--findings 100000] [--formats json,csv,...]

Builds a synthetic report of N findings (bench/synthetic.py: every built-in check, 12 accounts, 6 regions,
realistic field sizes), then writes each format to its file in a fresh child process, the way `mlaudit report`
writes files (`write_reports`), and last every format together in one. A child measures the wall time of the
writing and the peak RSS it adds above the report itself: its resident memory once the report is built, against
`ru_maxrss` after writing (the peak is reset after building where Linux allows it, `/proc/self/clear_refs`).
Prints one line per format; docs/benchmark.md records the numbers ("Rendering 100,000 findings").
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mlaudit.renderers import FORMATS, RenderOptions
from mlaudit.report.output import write_reports
from synthetic import synthetic_report

ALL = "all"
TARGET_SECONDS = 5.0
TARGET_ALL_MB = 500.0
"""Issue 15's targets at 100,000 findings: each format within 5 s, all of them within 500 MB above the findings."""
NAME_WIDTH = max(len(name) for name in FORMATS)


def _resident_mb() -> float:
    """This process's resident memory now (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def _reset_peak() -> None:
    """Make the peak RSS start again from now, so that building the report's garbage does not count."""
    with contextlib.suppress(OSError):  # the peak then includes the building: an overestimate, never an under-
        Path("/proc/self/clear_refs").write_text("5")


def measure(names: list[str], findings: int, directory: Path) -> dict[str, float]:
    """In this (child) process: build the report, then write `names` to `directory`."""
    report = synthetic_report(findings)
    gc.collect()
    _reset_peak()
    report_mb = _resident_mb()
    started = time.perf_counter()
    paths = write_reports(report, [FORMATS[name] for name in names], directory, RenderOptions())
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "seconds": round(seconds, 2),
        "added_mb": round(max(peak_mb - report_mb, 0.0), 1),
        "report_mb": round(report_mb, 1),
        "file_mb": round(sum(_size(p) for p in paths) / 1e6, 2),
    }


def _size(path: Path) -> int:
    """Bytes a format wrote: its file, or every file of its directory (`ocsf-parquet`)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size


def run_child(name: str, findings: int, directory: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--findings", str(findings), "--child", name, "--directory", str(directory)]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def line(name: str, findings: int, result: dict[str, float]) -> str:
    within = result["seconds"] < TARGET_SECONDS if name != ALL else result["added_mb"] < TARGET_ALL_MB
    return (
        f"{name:<{NAME_WIDTH}} {findings:>9,} findings {result['seconds']:>7.2f} s  peak RSS +{result['added_mb']:>7.1f} MB "
        f"above the built report (process {result['report_mb']:.0f} MB)  file {result['file_mb']:>8.2f} MB  "
        f"{'within' if within else 'OVER'} the target"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated (default: every format)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--directory", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        names = list(FORMATS) if args.child == ALL else [args.child]
        print(json.dumps(measure(names, args.findings, args.directory)))
        return
    names = [name.strip() for name in args.formats.split(",") if name.strip()]
    unknown = sorted(set(names) - set(FORMATS))
    if unknown:
        parser.error(f"unknown format(s): {', '.join(unknown)}")
    for name in [*names, ALL]:
        with tempfile.TemporaryDirectory() as directory:
            print(line(name, args.findings, run_child(name, args.findings, Path(directory))), flush=True)


if __name__ == "__main__":
    main()
