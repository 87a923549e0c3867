"""A small run of the scan benchmark (bench/scan.py): no call beyond the minimum the checks need, no request sent
twice, a single check touches only its services, `max_workers` bounds the AWS calls in flight and the limit of each
service keeps a slow or throttled one from stalling the rest; a replayed scan is answered from its recording. And
a small run of plain boto3's ceiling (bench/boto3_ceiling.py), and of the rendering benchmark (bench/render.py)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest

from faults import FaultKind, FaultRule
from mlaudit.collect.engine.budget import DOCUMENTED_RATES, CallBudget, ScopeLimit
from mlaudit.demo.server import demo_session
from mlaudit.scan import ScanOptions, run_scan
from support import select

BENCH = Path(__file__).resolve().parent.parent / "bench"
RESOURCES = 50
"""Two roles sharing their managed policies, three buckets, a few of every SageMaker kind in each region."""


def _load_bench(script: str) -> ModuleType:
    """A benchmark script as a module; its directory is on the path, as when it runs (it imports `replay`)."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{script}", BENCH / f"{script}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bench = _load_bench("scan")
ceiling = _load_bench("boto3_ceiling")
replay = sys.modules["replay"]


@pytest.fixture(scope="module")
def estate() -> Iterator[tuple[str, Any]]:
    with bench.seeded(bench.Estate(RESOURCES), list(bench.CHECKS)) as (url, faults, _):
        yield url, faults


@pytest.mark.parametrize("processes", [1, 2])
def test_a_scan_makes_the_minimum_calls_and_no_request_twice(estate: tuple[str, Any], processes: int) -> None:
    """Also with worker processes: no unit describes what another one did, and their calls are all counted."""
    url, faults = estate
    results = bench.measure(
        url, faults, bench.Estate(RESOURCES), list(bench.CHECKS), workers=8, latency=0.0, processes=processes
    )

    assert results["errors"] == []
    assert results["findings"] > 0
    assert results["missing_records"] == {}, "the minimum counts what was collected: everything seeded must be"
    assert results["duplicates"] == []
    assert results["total_calls"] == results["server_requests"]  # mlaudit counts every call the server saw
    assert set(results["calls"]) <= set(results["minimum"]), "an operation the checks do not need"
    assert results["total_calls"] <= 1.05 * results["minimum_calls"]
    assert 0 < results["peak_rss_mb"] < 300


def test_a_streamed_scan_counts_the_same_findings_without_holding_them(estate: tuple[str, Any]) -> None:
    url, _ = estate
    held = bench.scan_in_child(url, ["SM-NOTEBOOK-001"], 4)
    streamed = bench.scan_in_child(url, ["SM-NOTEBOOK-001"], 4, stream=True)

    assert streamed["findings"] == held["findings"] == held["findings_held"] > 0
    assert streamed["findings_held"] == 0
    assert streamed["errors"] == held["errors"] == []


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
    listed: list[dict[str, Any]] = []
    session.events.register(
        "before-parameter-build.sagemaker.ListNotebookInstances", lambda params, **_: listed.append(dict(params))
    )
    try:
        checks = ["SM-NOTEBOOK-001", "SM-TRAINING-001"]
        run_scan(
            ScanOptions(regions=bench.REGIONS, endpoint_url=url, session=session, checks=select(checks), max_workers=3)
        )
    finally:
        faults.rules = []

    assert faults.peak == 3  # reached (the estate has more to describe than 3 at once), never exceeded
    assert listed and all(params["MaxResults"] == 100 for params in listed)


def _verdicts(url: str, checks: list[str], **scan_options: Any) -> tuple[dict[tuple[str, str, str], str], Any]:
    """A complete scan of the benchmark's server: its verdicts by (check, region, resource), and its result."""
    options = ScanOptions(
        regions=bench.REGIONS, endpoint_url=url, session=demo_session(), checks=select(checks), **scan_options
    )
    result = run_scan(options)
    assert result.report.scan.errors == []
    return {(f.check_id, f.region, f.resource_name): f.status.value for f in result.report.findings}, result


SCOPED_CHECKS = ["SM-NOTEBOOK-001", "SM-TRAINING-001", "S3-ML-001"]
"""SageMaker in three regions, and S3."""


def test_a_slow_service_has_at_most_its_limit_in_flight_while_the_others_proceed(estate: tuple[str, Any]) -> None:
    url, faults = estate
    baseline, _ = _verdicts(url, SCOPED_CHECKS, max_workers=8)
    faults.rules = [
        FaultRule(FaultKind.LATENCY, service="sagemaker", region="us-east-1", seconds=0.2),
        FaultRule(FaultKind.LATENCY, seconds=0.02),
    ]
    faults.reset_counts()
    try:
        verdicts, _ = _verdicts(url, SCOPED_CHECKS, max_workers=8, max_calls_per_service=2)
    finally:
        faults.rules = []

    assert verdicts == baseline
    assert faults.peak_in_flight[("sagemaker", "us-east-1")] == 2  # reached, never exceeded
    assert faults.peak_in_flight[("sagemaker", "eu-west-1")] == 2
    assert faults.peak > 2  # the other scopes used the rest of the budget meanwhile


def test_a_throttled_service_is_slowed_alone_and_the_verdicts_do_not_change(estate: tuple[str, Any]) -> None:
    url, faults = estate
    baseline, _ = _verdicts(url, SCOPED_CHECKS, max_workers=8)
    faults.rules = [
        FaultRule(FaultKind.THROTTLE, service="sagemaker", region="us-east-1", rate=5, burst=1),
        FaultRule(FaultKind.LATENCY, seconds=0.02),
    ]
    faults.reset_counts()
    try:
        verdicts, result = _verdicts(url, SCOPED_CHECKS, max_workers=8)
    finally:
        faults.rules = []

    assert verdicts == baseline
    throttled = faults.count(FaultKind.THROTTLE)
    assert throttled > 0 and result.stats.throttles == throttled
    assert faults.count(FaultKind.THROTTLE, region="eu-west-1") == 0


def test_an_operation_keeps_to_the_rate_its_calls_got_through_at_once_throttled() -> None:
    """Unthrottled, nothing is held back; a throttle sets a send rate just under what succeeded over the window,
    once for all the calls sent under the old rate; the rate then paces sends and grows back with successes."""
    scope = ScopeLimit(ceiling=8)
    assert scope.rate is None and scope.slots == 8
    started = time.monotonic()
    window = [scope.acquire() for _ in range(8)]
    for _ in window[:4]:  # four got through...
        scope.release(throttled=False, seconds=0.01)
    while time.monotonic() - started < 0.5:
        time.sleep(0.01)
    for epoch in window[4:]:  # ...the other four were throttled: one decrease, not four
        scope.throttled(epoch)
        scope.release(throttled=True)
    assert scope.epoch == 1 and scope.rate is not None
    assert 0.95 * 4 / 1.0 <= scope.rate <= 0.95 * 4 / 0.5 + 0.01, "just under what got through over the window"
    assert scope.slots < 8, "in flight: as many as the rate needs at the measured latency"

    rate = scope.rate
    sent = []
    for _ in range(3):
        scope.pace()
        sent.append(time.monotonic())
    assert sent[-1] - sent[0] >= 2 / rate - 0.05, "sends are spaced at the rate"
    for _ in range(20):
        scope.acquire()
        scope.release(throttled=False, seconds=0.01)
    assert scope.rate > rate, "successes raise the rate again"


def test_a_throttled_call_waiting_to_be_resent_keeps_a_describe_admitted_for_the_others() -> None:
    """A call throttled and not yet resent holds its describe thread, so the scope admits one more describe until
    it is resent (or botocore gives up on it): the operation always has a call ready at its turn."""
    scope = ScopeLimit(ceiling=8)
    epoch = scope.acquire()
    scope.throttled(epoch)
    admitted = scope.admissions
    scope.release(throttled=True)
    assert scope.backing_off == 1 and scope.admissions == admitted + 1
    scope.acquire(resend=True)
    assert scope.backing_off == 0 and scope.admissions == admitted
    scope.release(throttled=True)
    scope.gave_up()
    assert scope.backing_off == 0 and scope.admissions == admitted


def test_a_replayed_scan_is_answered_from_the_recording_alone(estate: tuple[str, Any]) -> None:
    url, faults = estate
    checks = ["SM-NOTEBOOK-001", "SM-TRAINING-001", "IAM-ML-001"]
    baseline, _ = _verdicts(url, checks, max_workers=4)
    try:
        bench.record(url, faults, checks, workers=4)
        recorded = len(faults.recording.answers)
        with replay.replay_server(faults, url) as replayed_url:
            results = bench.measure(replayed_url, faults, bench.Estate(RESOURCES), checks, workers=4, latency=0.0)
    finally:
        faults.recording.answers.clear()

    assert results["replayed"] and results["replay_misses"] == 0  # moto answered nothing
    assert recorded == results["total_calls"] == results["server_requests"] > 0
    assert results["errors"] == [] and results["findings"] == len(baseline)


def test_the_replay_server_applies_the_fault_rules_and_sends_what_was_not_recorded_to_moto(
    estate: tuple[str, Any],
) -> None:
    url, faults = estate
    checks = ["SM-NOTEBOOK-001", "SM-TRAINING-001"]
    baseline, _ = _verdicts(url, checks, max_workers=4)
    try:
        bench.record(url, faults, ["SM-NOTEBOOK-001"], workers=4)
        faults.rules = [
            FaultRule(FaultKind.THROTTLE, service="sagemaker", region="us-east-1", rate=5, burst=1),
            FaultRule(FaultKind.LATENCY, seconds=0.02),
        ]
        faults.reset_counts()
        with replay.replay_server(faults, url) as replayed_url:
            verdicts, result = _verdicts(replayed_url, checks, max_workers=4)
    finally:
        faults.rules = []
        faults.recording.answers.clear()

    assert verdicts == baseline  # training jobs were not recorded: moto answered them
    assert faults.recording.misses > 0
    throttled = faults.count(FaultKind.THROTTLE)
    assert throttled > 0 and result.stats.throttles == throttled
    assert faults.peak > 1


def test_a_saved_recording_answers_only_the_estate_and_checks_it_was_recorded_for(tmp_path: Path) -> None:
    path = str(tmp_path / "recording.pkl")
    estate, checks = bench.Estate(RESOURCES), ["SM-NOTEBOOK-001"]
    answers = {
        ("AKID", "us-east-1", "sagemaker", "POST", "/", "", "SageMaker.ListModels", b"{}"): ("200 OK", [], b"{}")
    }
    assert bench.load_recording(path, estate, checks) is None  # nothing saved yet: the run records

    bench.save_recording(path, estate, checks, answers)

    assert bench.load_recording(path, estate, checks) == answers
    with pytest.raises(SystemExit, match="scanned by SM-NOTEBOOK-001: remove it"):
        bench.load_recording(path, estate, ["SM-TRAINING-001"])
    with pytest.raises(SystemExit):
        bench.load_recording(path, bench.Estate(RESOURCES + 1), checks)


def test_the_boto3_ceiling_is_measured_against_a_server_that_waits_the_latency() -> None:
    server = ceiling.Waiting(latency=0.02)
    with replay.serve(server) as url:
        result = ceiling.measure(url, server, threads=4, calls=40)

    assert result["alone_ms"] >= 20  # every call waited the latency
    assert 0 < result["calls_per_second"] <= 4 / 0.02 * 1.05  # 4 threads can wait for no more than 200 a second
    assert result["cpu_ms_per_call"] > 0


def test_the_rendering_benchmark_writes_every_format_and_prints_a_line_for_each() -> None:
    """A small run of bench/render.py (the numbers at 100,000 findings are in docs/benchmark.md)."""
    from mlaudit.renderers import FORMATS

    done = subprocess.run(
        [sys.executable, str(BENCH / "render.py"), "--findings", "200"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )

    pattern = re.compile(
        r"^(?P<name>[\w-]+) +200 findings +(?P<seconds>[\d.]+) s  peak RSS \+ *(?P<added>[\d.]+) MB above the built "
        r"report \(process (?P<process>\d+) MB\)  file +(?P<file>[\d.]+) MB  within the target$"
    )
    lines = [pattern.match(line) for line in done.stdout.splitlines()]
    assert all(lines), done.stdout
    measured = {m["name"]: m for m in lines if m}
    assert list(measured) == [*FORMATS, "all"]
    assert all(float(m["file"]) > 0 and int(m["process"]) > 0 for m in measured.values())
    files = sum(float(m["file"]) for name, m in measured.items() if name != "all")
    assert abs(float(measured["all"]["file"]) - files) <= 0.01 * len(FORMATS), "all nine write the same files"


def test_an_operation_with_a_documented_rate_is_paced_at_it_from_the_first_call() -> None:
    """LookupEvents' quota is 2 calls a second per account and region: its scope starts paced at that rate and
    successes never raise it above."""
    scope = CallBudget(max_workers=8).limit(("123456789012", "us-east-1", "LookupEvents"))
    assert scope.rate == DOCUMENTED_RATES["LookupEvents"] == 2.0
    sent = []
    for _ in range(3):
        scope.pace()
        sent.append(time.monotonic())
        scope.acquire()
        scope.release(throttled=False, seconds=0.01)
    assert sent[-1] - sent[0] >= 2 / 2.0 - 0.05, "sends are spaced at the documented rate"
    assert scope.rate == 2.0, "successes do not raise it above the documented rate"
    assert CallBudget(max_workers=8).limit(("123456789012", "us-east-1", "ListTrails")).rate is None


def test_a_paginator_that_sends_no_request_takes_no_turn(aws: boto3.Session) -> None:
    """The last `next()` of a paginator after a page without a next token sends nothing, so it waits for no turn at
    the operation's rate: four one-page lookups at 2 a second take three turns' spacing (1.5 s), not seven."""
    budget = CallBudget(max_workers=8)
    client = aws.client("cloudtrail")
    started = time.monotonic()
    for _ in range(4):
        pages = iter(client.get_paginator("lookup_events").paginate())
        for _ in range(2):  # the one page, then the end
            with budget.slot(client, "123456789012", "LookupEvents"):
                next(pages, None)
    elapsed = time.monotonic() - started
    assert 3 / 2.0 - 0.05 <= elapsed < 6 / 2.0, f"{elapsed:.2f} s"


def test_the_parts_read_from_search_are_those_whose_search_record_has_every_field_read() -> None:
    """bench/batch_reads.py's table, derived from the collectors and botocore's models, is what the collectors do:
    a part is read from Search's records only where they hold every field its collector reads."""
    from mlaudit.collect.engine.patterns import ListThenSearch
    from mlaudit.collect.registry import COLLECTORS

    batch_reads = _load_bench("batch_reads")
    table = {row.part: row for row in batch_reads.rows()}
    searched = {c.part for c in COLLECTORS.values() if isinstance(c.collect, ListThenSearch)}
    assert searched == {"sagemaker.model", "sagemaker.hyper_parameter_tuning_job", "sagemaker.feature_group"}
    assert all(table[part].replaceable for part in searched)
    assert not table["sagemaker.training_job"].replaceable and not table["sagemaker.endpoint"].replaceable
    assert batch_reads.table() in (BENCH.parent / "docs" / "benchmark.md").read_text(encoding="utf-8"), (
        "docs/benchmark.md shows another table than `python bench/batch_reads.py` prints"
    )
