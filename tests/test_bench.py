"""A small run of the scan benchmark (bench/scan.py): no call beyond the minimum the checks need, no request sent
twice, a single check touches only its services, and `max_workers` bounds the AWS calls in flight."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Iterator

import pytest

from mlaudit.demo.faults import FaultKind, FaultRule
from mlaudit.demo.server import demo_session
from mlaudit.scan import ScanOptions, run_scan

BENCH = Path(__file__).resolve().parent.parent / "bench" / "scan.py"
RESOURCES = 50
"""Two roles sharing their managed policies, three buckets, a few of every SageMaker kind in each region."""


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_scan", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


@pytest.fixture(scope="module")
def estate() -> Iterator[tuple[str, Any]]:
    with bench.seeded(bench.Estate(RESOURCES), list(bench.CHECKS)) as (url, faults, _):
        yield url, faults


def test_a_scan_makes_the_minimum_calls_and_no_request_twice(estate: tuple[str, Any]) -> None:
    url, faults = estate
    results = bench.measure(url, faults, bench.Estate(RESOURCES), list(bench.CHECKS), workers=8, latency=0.0)

    assert results["errors"] == []
    assert results["findings"] > 0
    assert results["unmodelled_parts"] == []
    assert results["duplicates"] == []
    assert results["total_calls"] == results["mlaudit_calls"]
    assert set(results["calls"]) <= set(results["minimum"]), "an operation the checks do not need"
    assert results["total_calls"] <= 1.05 * results["minimum_calls"]
    assert 0 < results["peak_rss_mb"] < 300


def test_a_single_check_touches_only_its_services(estate: tuple[str, Any]) -> None:
    [(check, touched, allowed)] = bench.single_check_services(estate[0], ["SM-NOTEBOOK-001"])

    assert check == "SM-NOTEBOOK-001"
    assert touched == {"sagemaker", "sts"}
    assert touched <= allowed


def test_max_workers_bounds_the_calls_in_flight_and_lists_ask_for_the_largest_page(estate: tuple[str, Any]) -> None:
    url, faults = estate
    faults.rules = [FaultRule(FaultKind.LATENCY, seconds=0.05)]
    faults.reset_counts()
    session = demo_session()
    log = bench.RequestLog()
    session.events.register("before-parameter-build", log)
    try:
        checks = ["SM-NOTEBOOK-001", "SM-TRAINING-001"]
        run_scan(ScanOptions(regions=bench.REGIONS, endpoint_url=url, session=session, checks=checks, max_workers=3))
    finally:
        faults.rules = []

    assert faults.peak == 3  # reached (the estate has more to describe than 3 at once), never exceeded
    listed = [json.loads(params) for (op, _, params) in log.requests if op == "sagemaker:ListNotebookInstances"]
    assert listed and all(params["MaxResults"] == 100 for params in listed)
