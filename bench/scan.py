"""How a scan scales: API calls against the minimum its checks need, wall time against what latency and workers
allow, peak memory.

    python bench/scan.py [--resources 1000] [--latency-ms 30] [--workers 16] [--checks ID,ID]
                         [--throttle-rate 5 --throttle-burst 10 [--throttle-scope sagemaker:us-east-1]]
                         [--max-calls-per-service N] [--replay [--recording FILE] [--profile FILE]] [--stream] [--only-services]
                         [--json results.json]

Starts the demo's moto server behind `faults` (a latency on every request, optionally a token bucket
per operation answering ThrottlingException), seeds an ML estate of N resources in three regions (latency off),
scans it with `mlaudit.scan.run_scan` in a child process (so that its peak RSS is the scan's alone), and prints the
measurements: calls from the scan's own statistics, requests as the server saw them. With `--replay`, a first scan
records moto's answers and the measured one is answered from memory by `replay.py`'s server, behind the same
fault rules (neither moto's own cost, ~100 ms a request, nor its WSGI server's limits the scan any more).
docs/benchmark.md records the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from botocore.config import Config

from mlaudit.catalog.loader import load_catalog
from mlaudit.collect.engine.census import minimum_calls as census_minimum
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.collect.registry import plan
from mlaudit.sdk import Check

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the fault injector is test scaffolding
from faults import ANY, FaultKind, FaultRule
from mlaudit.demo.server import DEMO_ACCOUNT_ID, DEMO_REGIONS, demo_session, moto_server
from mlaudit.inventory import GLOBAL_REGION, RECORD_TYPES
from replay import InFlight, replay_server

REGIONS = DEMO_REGIONS
CHECKS = (
    "SM-ENDPOINT-001",  # endpoint configs, described one by one
    "SM-ENDPOINT-003",  # endpoints, described one by one
    "SM-ENDPOINT-005",  # Application Auto Scaling targets and policies: listed once per region
    "SM-ENDPOINT-006",  # CloudWatch alarms: listed once per region
    "SM-ENDPOINT-007",  # endpoint invocations: GetMetricData, up to 500 queries a call
    "SM-MODEL-001",  # models
    "SM-NOTEBOOK-001",  # notebook instances
    "SM-TRAINING-001",  # training jobs of the lookback window
    "S3-ML-001",  # the buckets ML resources reference, and their encryption
    "IAM-ML-001",  # the execution roles ML resources run as, and their attached policies
    "IAM-ML-002",  # their inline and customer managed policies (every role attaches the same two)
)
"""The default selection: every part of the seeded estate, read the way a full scan reads it."""

SETUP_CALLS = {"sts:GetCallerIdentity": 1}
"""What any scan calls before collecting (the regions are given, so none is discovered)."""

MIX = {"endpoint": 15, "endpoint_config": 15, "model": 15, "notebook": 15, "training_job": 30, "bucket": 6, "role": 4}
"""Resources of each kind per hundred: each endpoint has its own config and model."""

SHARED_POLICIES = 2
IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/xgboost:1.7-1"


# -- the estate ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Estate:
    """N resources in the `MIX` proportions, spread round-robin over the regions; names say the kind and index."""

    resources: int

    def count(self, kind: str) -> int:
        return max(1, round(self.resources * MIX[kind] / 100))

    def indices(self, kind: str, region: str) -> list[int]:
        return [i for i in range(self.count(kind)) if REGIONS[i % len(REGIONS)] == region]

    def in_region(self, kind: str, region: str) -> int:
        return len(self.indices(kind, region))

    def bucket(self, i: int) -> str:
        return f"bench-{DEMO_ACCOUNT_ID}-{i % self.count('bucket'):05d}"

    def role_arn(self, i: int) -> str:
        return f"arn:aws:iam::{DEMO_ACCOUNT_ID}:role/bench-role-{i % self.count('role'):05d}"

    @property
    def total(self) -> int:
        return sum(self.count(kind) for kind in MIX)


class _Clients:
    def __init__(self, url: str) -> None:
        self._session, self._url = demo_session(), url
        self._config = Config(max_pool_connections=32, retries={"mode": "standard", "max_attempts": 5})
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def __call__(self, service: str, region: str = REGIONS[0]) -> Any:
        with self._lock:
            if (service, region) not in self._clients:
                self._clients[(service, region)] = self._session.client(
                    service, region_name=region, endpoint_url=self._url, config=self._config
                )
            return self._clients[(service, region)]


def seed(estate: Estate, url: str, workers: int = 16) -> float:
    """Create the estate through the server, phase by phase (a phase's resources reference earlier ones'),
    each phase's creates concurrently. Returns the seconds it took."""
    started = time.perf_counter()
    client = _Clients(url)
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    )
    policy = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    )

    iam_lock = threading.Lock()  # moto's IAM backend is not thread-safe (a 500 when two roles are created at once)

    def shared_policy(i: int) -> None:
        with iam_lock:
            client("iam").create_policy(PolicyName=f"bench-shared-{i}", PolicyDocument=policy)

    def bucket(i: int) -> None:
        region = REGIONS[i % len(REGIONS)]
        s3, name = client("s3", region), estate.bucket(i)
        location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        s3.create_bucket(Bucket=name, **location)
        if i % 2 == 0:
            rule = {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
            s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": [rule]})

    def role(i: int) -> None:
        iam, name = client("iam"), estate.role_arn(i).rsplit("/", 1)[-1]
        with iam_lock:
            iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)
            iam.put_role_policy(RoleName=name, PolicyName="inline", PolicyDocument=policy)
            for shared in range(SHARED_POLICIES):
                iam.attach_role_policy(
                    RoleName=name, PolicyArn=f"arn:aws:iam::{DEMO_ACCOUNT_ID}:policy/bench-shared-{shared}"
                )

    def regional(kind: str, create: Callable[[Any, int], None]) -> list[Callable[[], None]]:
        return [
            (lambda r=region, i=i: create(client("sagemaker", r), i))  # type: ignore[misc]
            for region in REGIONS
            for i in estate.indices(kind, region)
        ]

    def model(sm: Any, i: int) -> None:
        container = {"Image": IMAGE, "ModelDataUrl": f"s3://{estate.bucket(i)}/models/{i}/model.tar.gz"}
        sm.create_model(
            ModelName=f"bench-model-{i:05d}", ExecutionRoleArn=estate.role_arn(i), PrimaryContainer=container
        )

    def endpoint_config(sm: Any, i: int) -> None:
        variant = {
            "VariantName": "AllTraffic",
            "ModelName": f"bench-model-{i % estate.count('model'):05d}",
            "InstanceType": "ml.m5.large",
            "InitialInstanceCount": 1 + i % 2,
        }
        sm.create_endpoint_config(EndpointConfigName=f"bench-config-{i:05d}", ProductionVariants=[variant])

    def endpoint(sm: Any, i: int) -> None:
        config = f"bench-config-{i % estate.count('endpoint_config'):05d}"
        sm.create_endpoint(EndpointName=f"bench-endpoint-{i:05d}", EndpointConfigName=config)

    def notebook(sm: Any, i: int) -> None:
        sm.create_notebook_instance(
            NotebookInstanceName=f"bench-notebook-{i:05d}",
            InstanceType="ml.t3.medium",
            RoleArn=estate.role_arn(i),
            DirectInternetAccess="Disabled" if i % 3 else "Enabled",
        )

    def training_job(sm: Any, i: int) -> None:
        bucket = estate.bucket(i)
        sm.create_training_job(
            TrainingJobName=f"bench-training-{i:05d}",
            AlgorithmSpecification={"TrainingImage": IMAGE, "TrainingInputMode": "File"},
            RoleArn=estate.role_arn(i),
            InputDataConfig=[
                {
                    "ChannelName": "train",
                    "DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": f"s3://{bucket}/data/"}},
                }
            ],
            OutputDataConfig={"S3OutputPath": f"s3://{bucket}/output/"},
            ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50},
            StoppingCondition={"MaxRuntimeInSeconds": 3600},
        )

    phases: list[list[Callable[[], None]]] = [
        [lambda i=i: shared_policy(i) for i in range(SHARED_POLICIES)]  # type: ignore[misc]
        + [lambda i=i: bucket(i) for i in range(estate.count("bucket"))],  # type: ignore[misc]
        [lambda i=i: role(i) for i in range(estate.count("role"))]  # type: ignore[misc]
        + regional("model", model)
        + regional("notebook", notebook)
        + regional("training_job", training_job),
        regional("endpoint_config", endpoint_config),
        regional("endpoint", endpoint),
    ]
    with ThreadPoolExecutor(workers) as pool:
        for phase in phases:
            list(pool.map(lambda create: create(), phase))
    return time.perf_counter() - started


# -- the minimum -----------------------------------------------------------------------------------------------
SEEDED_PARTS = {
    "sagemaker.notebook_instance": "notebook",
    "sagemaker.model": "model",
    "sagemaker.endpoint_config": "endpoint_config",
    "sagemaker.endpoint": "endpoint",
    "sagemaker.training_job": "training_job",
    "s3.bucket": "bucket",
    "iam.role": "role",
}
"""The parts the estate seeds, and the kind of resource each holds: the scan must collect every one of them, since
the minimum-call model counts what was collected (see `mlaudit.collect.engine.census`)."""


def missing_records(estate: Estate, collected: dict[str, int]) -> dict[str, tuple[int, int]]:
    """The seeded parts whose records the scan did not all collect: part -> (collected, seeded)."""
    return {
        part: (collected.get(part, 0), estate.count(kind))
        for part, kind in SEEDED_PARTS.items()
        if part in collected and collected[part] != estate.count(kind)
    }


def planned_collectors(checks: list[str]) -> list[PartCollector]:
    """The collectors a scan of these checks runs (what `run_scan` plans)."""
    return plan([t for check in select(checks) for t in check.needs])


def select(checks: list[str]) -> list[Check]:
    return load_catalog(include_entry_points=False).select(checks, (), None)


def services_of(checks: list[str]) -> set[str]:
    """The services the collectors of these checks' parts (and the scan's setup) may call."""
    return {op.service for c in planned_collectors(checks) for op in c.operations} | {
        op.split(":")[0] for op in SETUP_CALLS
    }


# -- the scan, in a child process -------------------------------------------------------------------------------
def peak_rss_mb() -> float:
    """This process's peak resident memory. On Linux, from VmHWM: `ru_maxrss` survives exec, so a child forked
    from the benchmark (which holds the seeded moto server) would report the parent's memory as its own."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_cpu_seconds() -> float:
    """CPU time of this process's children that have ended (the scan's worker processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class PhaseClock:
    """When the scan's last regional part, and its last part, were collected (a collection observer)."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.regional = self.collected = 0.0

    def planned(self, tasks: Any) -> None:
        pass

    def finished(self, task: Any, records: int, errors: int) -> None:
        self.collected = time.perf_counter() - self.started
        if task.region != GLOBAL_REGION:
            self.regional = self.collected


def scan_child(
    url: str, checks: list[str], workers: int, per_service: int | None = None, processes: int = 1, stream: bool = False
) -> dict[str, Any]:
    """One scan, measured from inside the process that runs it (and its worker processes, if any). `stream`: its
    findings are written to JSON Lines as they come (as `--format jsonl` alone does), not held for a report."""
    from mlaudit.report.streaming import FindingStream
    from mlaudit.scan import ScanOptions, run_scan

    options = ScanOptions(
        checks=select(checks),
        regions=REGIONS,
        endpoint_url=url,
        session=demo_session(),
        max_workers=workers,
        max_calls_per_service=per_service,
        processes=processes,
    )
    started, cpu_started, workers_cpu_started = time.perf_counter(), time.process_time(), children_cpu_seconds()
    clock = PhaseClock()
    with tempfile.TemporaryDirectory() as out:
        streamed = (lambda _: FindingStream(Path(out) / "mlaudit.jsonl")) if stream else None
        result = run_scan(options, observer=clock, stream=streamed)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    inventory = result.inventory
    minimum = Counter(SETUP_CALLS) + census_minimum(plan(options.parts), inventory)
    return {
        "minimum": dict(minimum),
        "collected": {
            t.part: sum(1 for _ in inventory.all_records(t)) for t in RECORD_TYPES if t.part in inventory.parts()
        },
        "wall_seconds": wall,
        "regional_parts_seconds": clock.regional,
        "all_parts_seconds": clock.collected,
        "cpu_seconds": cpu,
        "workers_cpu_seconds": children_cpu_seconds() - workers_cpu_started,
        "workers_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 if processes > 1 else 0.0,
        "calls": dict(result.stats.calls),
        "retries": result.stats.retries,
        "throttles": result.stats.throttles,
        "findings": sum(result.report.summary.by_status.values()),
        "findings_held": len(result.report.findings),
        "errors": [error.describe() for error in result.report.scan.errors],
        "peak_rss_mb": peak_rss_mb(),
    }


def scan_in_child(
    url: str,
    checks: list[str],
    workers: int,
    per_service: int | None = None,
    profile: str | None = None,
    processes: int = 1,
    stream: bool = False,
) -> dict[str, Any]:
    """`profile`: a file for py-spy's samples of the scan while it holds the GIL (its CPU time), as collapsed
    stacks (`pip install py-spy`; flamegraph.pl and speedscope read them)."""
    # Run through `-c`, not as a script: the scan's worker processes are spawned, and a spawned process imports its
    # parent's main script again (this one, with the benchmark's imports), which `mlaudit` itself does not cost.
    main = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import scan; sys.exit(scan.main())"
    command = [sys.executable, "-c", main, "--child", url, "--checks", ",".join(checks), "--workers", str(workers)]
    command += ["--max-calls-per-service", str(per_service)] if per_service else []
    command += ["--processes", str(processes)] if processes > 1 else []
    command += ["--stream"] if stream else []
    if profile:
        sampler = ["py-spy", "record", "--gil", "--threads", "--format", "raw", "--rate", "250", "-o", profile]
        sampler += ["--subprocesses", "--"] if processes > 1 else ["--"]
        command = [*sampler, *command]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the scan failed:\n{done.stderr}")
    return json.loads(next(line for line in reversed(done.stdout.splitlines()) if line.startswith("{")))


# -- the benchmark ----------------------------------------------------------------------------------------------
def faults_for(
    latency: float, throttle_rate: float | None, throttle_burst: int, throttle_scope: str = ""
) -> list[FaultRule]:
    """The fault rules of a run: latency on every request, and optionally a token bucket per operation (of every
    service and region, or of `service[:region]` only)."""
    rules = [FaultRule(FaultKind.LATENCY, seconds=latency)] if latency else []
    if throttle_rate is not None:
        service, _, region = throttle_scope.partition(":")
        rules.append(
            FaultRule(
                FaultKind.THROTTLE,
                service=service or ANY,
                region=region or ANY,
                rate=throttle_rate,
                burst=throttle_burst,
            )
        )
    return rules


@contextmanager
def seeded(
    estate: Estate, checks: list[str], rules: Iterable[FaultRule] = (), empty: bool = False
) -> Iterator[tuple[str, InFlight, float]]:
    """A moto server behind `rules` (none while seeding) holding the estate (`empty`: nothing, for a loaded
    recording to answer): its URL, its fault injector and the seconds seeding took. `checks` are scanned once
    before seeding: moto creates each service's backend in each region on its first request, which is no cost of
    the scans measured afterwards."""
    from mlaudit.scan import ScanOptions, run_scan

    faults = InFlight(rules)
    with moto_server(faults) as url:
        rules, faults.rules = faults.rules, []
        seconds = 0.0
        if not empty:
            run_scan(ScanOptions(regions=REGIONS, endpoint_url=url, session=demo_session(), checks=select(checks)))
            seconds = seed(estate, url)
        faults.rules = rules
        faults.reset_counts()
        yield url, faults, seconds


def load_recording(path: str, estate: Estate, checks: list[str]) -> dict[Any, Any] | None:
    """The answers saved in `path` by an earlier run of the same estate and checks (None: no such file)."""
    if not os.path.exists(path):
        return None
    with open(path, "rb") as saved:
        recording = pickle.load(saved)  # noqa: S301 - a file this script wrote
    if (recording["resources"], recording["checks"]) != (estate.resources, checks):
        raise SystemExit(
            f"{path} holds the answers to {recording['resources']} resources scanned by "
            f"{','.join(recording['checks'])}: remove it to record this run's"
        )
    return recording["answers"]


def save_recording(path: str, estate: Estate, checks: list[str], answers: dict[Any, Any]) -> None:
    with open(path, "wb") as out:
        pickle.dump({"resources": estate.resources, "checks": checks, "answers": answers}, out)


def record(
    url: str, faults: InFlight, checks: list[str], workers: int, per_service: int | None = None, processes: int = 1
) -> float:
    """Scan once with the faults off, recording moto's answers for `replay_server`. Returns the seconds it took.
    A call that failed (moto too slow for botocore's read timeout) leaves no answer: its replay is sent to moto,
    and the replay measures moto again, so it is said at once."""
    rules, faults.rules = faults.rules, []
    faults.recording.mode = "record"
    started = time.perf_counter()
    try:
        scan = scan_in_child(url, checks, workers, per_service, processes=processes)
    finally:
        faults.rules = rules
        faults.recording.mode = "off"
    if scan["errors"]:
        print(
            f"warning: the recording scan had {len(scan['errors'])} errors, whose requests moto will answer in "
            f"the replay (first: {scan['errors'][0]})",
            file=sys.stderr,
            flush=True,
        )
    return time.perf_counter() - started


def measure(
    url: str,
    faults: InFlight,
    estate: Estate,
    checks: list[str],
    workers: int,
    latency: float,
    per_service: int | None = None,
    profile: str | None = None,
    processes: int = 1,
    stream: bool = False,
) -> dict[str, Any]:
    """Scan the seeded server and compare: every number the benchmark prints."""
    faults.reset_counts()
    server_cpu_started = time.process_time()
    scan = scan_in_child(url, checks, workers, per_service, profile, processes, stream)
    server_cpu = time.process_time() - server_cpu_started
    minimum, calls = Counter(scan["minimum"]), Counter(scan["calls"])
    total = sum(calls.values())
    floor = rate_limited_floor(faults)
    sagemaker_resources = sum(estate.count(kind) for kind in SAGEMAKER_KINDS)
    sagemaker_calls = sum(n for op, n in calls.items() if op.startswith("sagemaker:"))
    bound = total * latency / workers
    return {
        "resources": estate.total,
        "by_kind": {kind: estate.count(kind) for kind in MIX},
        "regions": list(REGIONS),
        "checks": checks,
        "latency_ms": latency * 1000,
        "workers": workers,
        "max_calls_per_service": per_service,
        "processes": processes,
        "streamed": stream,
        **scan,
        "calls": dict(sorted(calls.items())),
        "minimum": dict(sorted(minimum.items())),
        "missing_records": missing_records(estate, scan["collected"]),
        "total_calls": total,
        "server_requests": sum(faults.recording.requests.values()),
        "server_cpu_seconds": server_cpu,
        "duplicates": faults.duplicates(),
        "minimum_calls": sum(minimum.values()),
        "calls_over_minimum": total / sum(minimum.values()),
        "calls_per_second": total / scan["wall_seconds"],
        "injected_throttles": faults.count(FaultKind.THROTTLE),
        "replayed": faults.recording.mode == "replay",
        "replay_misses": faults.recording.misses,
        "peak_in_flight": faults.peak,
        "mean_in_flight": faults.busy_seconds / scan["wall_seconds"],
        "rate_limited_floor_seconds": floor[0] if floor else None,
        "rate_limited_busiest_queue": floor[1] if floor else None,
        "rate_limited_ratio": scan["wall_seconds"] / floor[0] if floor and floor[0] else None,
        "sagemaker_calls_per_resource": sagemaker_calls / sagemaker_resources,
        "bound_seconds": bound,
        "wall_over_bound": scan["wall_seconds"] / bound if bound else None,
    }


def rate_limited_floor(faults: InFlight) -> tuple[float, str] | None:
    """The fewest seconds the answered requests take under the throttle rule's token buckets, and the queue that
    sets it: each (service, operation, region) bucket lets `burst` through at once and then `rate` a second, so the
    busiest queue's answered requests beyond its burst, over the rate (None: no throttle rule)."""
    rule = next((r for r in faults.rules if r.kind is FaultKind.THROTTLE), None)
    if rule is None or not rule.rate:
        return None
    answered = Counter(faults.requests)
    for (kind, *queue), count in faults.injected.items():
        if kind is FaultKind.THROTTLE:
            answered[tuple(queue)] -= count  # type: ignore[index]
    floors = {
        queue: max(0, count - rule.burst) / rule.rate
        for queue, count in answered.items()
        if rule.service in (ANY, queue[0]) and rule.region in (ANY, queue[2])
    }
    if not floors:
        return 0.0, "(none)"
    queue, floor = max(floors.items(), key=lambda item: item[1])
    return floor, ":".join(queue)


SAGEMAKER_KINDS = ("endpoint", "endpoint_config", "model", "notebook", "training_job")
"""The estate's SageMaker resources (the unit of "calls per resource")."""


def single_check_services(url: str, checks: list[str]) -> list[tuple[str, set[str], set[str]]]:
    """For each check alone: the services its scan touched, and those its parts' collectors may call."""
    rows = []
    for check in checks:
        scan = scan_in_child(url, [check], 4)
        rows.append((check, {op.split(":")[0] for op in scan["calls"]}, services_of([check])))
    return rows


def print_results(r: dict[str, Any]) -> None:
    print(
        f"estate                   {r['resources']} resources in {len(r['regions'])} regions: "
        + ", ".join(f"{n} {kind}" for kind, n in r["by_kind"].items())
    )
    print(f"checks                   {','.join(r['checks'])}")
    per_service = f", at most {r['max_calls_per_service']} per service" if r["max_calls_per_service"] else ""
    processes = f", {r['processes']} processes" if r["processes"] > 1 else ""
    print(
        f"latency, workers         {r['latency_ms']:.0f} ms per request, {r['workers']} workers{per_service}{processes}"
    )
    print(
        f"wall time                {r['wall_seconds']:.2f} s (regional parts collected at {r['regional_parts_seconds']:.1f} s, "
        f"account-wide parts at {r['all_parts_seconds']:.1f} s, then the report)"
    )
    if r["replayed"]:
        print(
            f"replayed                 moto's recorded answers ({r['replay_misses']} requests not recorded: moto answered)"
        )
    print(f"API calls                {r['total_calls']} (the server answered {r['server_requests']})")
    print(f"minimum calls            {r['minimum_calls']}  ratio {r['calls_over_minimum']:.3f}")
    if r["missing_records"]:
        print(f"  not every seeded resource was collected (part: collected, seeded): {r['missing_records']}")
    print(f"duplicate requests       {sum(n - 1 for _, n in r['duplicates'])}")
    for request, n in r["duplicates"][:5]:
        print(f"  {n}x {request[:150]}")
    print(f"calls per second         {r['calls_per_second']:.0f}")
    cpu = r["cpu_seconds"] + r["workers_cpu_seconds"]
    workers = (
        f" (main {r['cpu_seconds']:.2f} s, workers {r['workers_cpu_seconds']:.2f} s)" if r["processes"] > 1 else ""
    )
    print(
        f"CPU time of the scan     {cpu:.2f} s{workers}, {cpu / r['wall_seconds']:.0%} of the wall time, "
        f"{1000 * cpu / r['total_calls']:.2f} ms a call"
    )
    print(f"CPU time of the server   {r['server_cpu_seconds']:.2f} s (this machine has {os.cpu_count()} cores)")
    print(
        f"throttles, retries       {r['throttles']} throttled, {r['retries']} retried "
        f"({r['injected_throttles']} throttles injected)"
    )
    if r["bound_seconds"]:
        print(f"bound calls*latency/workers {r['bound_seconds']:.2f} s  wall/bound {r['wall_over_bound']:.2f}")
    if r["rate_limited_ratio"]:
        print(
            f"rate-limited: wall {r['wall_seconds']:.1f} s, floor {r['rate_limited_floor_seconds']:.1f} s, "
            f"ratio {r['rate_limited_ratio']:.2f} (busiest queue {r['rate_limited_busiest_queue']})"
        )
    print(f"calls per resource: {r['sagemaker_calls_per_resource']:.2f} (SageMaker calls per SageMaker resource)")
    print(f"calls in flight          {r['mean_in_flight']:.1f} on average, {r['peak_in_flight']} at most")
    workers_rss = f" (largest worker process {r['workers_peak_rss_mb']:.0f} MB)" if r["processes"] > 1 else ""
    print(f"peak RSS (scan)          {r['peak_rss_mb']:.0f} MB{workers_rss}")
    print(
        f"findings, errors         {r['findings']}, {len(r['errors'])}{' (streamed to JSON Lines)' if r['streamed'] else ''}"
    )
    print(f"{'operation':<52}{'calls':>8}{'minimum':>9}")
    for op in sorted(set(r["calls"]) | set(r["minimum"])):
        print(f"  {op:<50}{r['calls'].get(op, 0):>8}{r['minimum'].get(op, 0):>9}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=1000)
    parser.add_argument("--latency-ms", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument(
        "--checks", default=",".join(CHECKS), help="comma-separated check ids or globs (`*`: a full scan)"
    )
    parser.add_argument("--throttle-rate", type=float, help="tokens per second of each operation's bucket")
    parser.add_argument("--throttle-burst", type=int, default=10)
    parser.add_argument(
        "--throttle-scope", default="", metavar="SERVICE[:REGION]", help="throttle only this service (and region)"
    )
    parser.add_argument("--max-calls-per-service", type=int, help="mlaudit's limit per (account, region, service)")
    parser.add_argument("--processes", type=int, default=1, help="mlaudit's --processes")
    parser.add_argument(
        "--compare-processes",
        metavar="N,N",
        help="measure each of these --processes values in turn, "
        "--rounds times, on the same estate, and print one line each (single runs vary by 10 to 15 %%)",
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--only-services", action="store_true", help="scan each check alone; assert it touches only its services"
    )
    parser.add_argument(
        "--replay",
        action="store_true",
        help="record moto's answers in a first scan, then measure a scan answered from the recording",
    )
    parser.add_argument(
        "--recording",
        metavar="FILE",
        help="with --replay: answer from the recording saved in FILE by "
        "an earlier run of the same --resources and --checks (no seeding, no recording), else save it there",
    )
    parser.add_argument(
        "--profile", metavar="FILE", help="py-spy's samples of the measured scan's CPU time (collapsed stacks)"
    )
    parser.add_argument(
        "--stream",
        action="store_true",
        help="the measured scan streams its findings to JSON Lines "
        "(as --format jsonl alone does) instead of holding them for a report",
    )
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    checks = [c for c in args.checks.split(",") if c]
    if args.child:
        print(
            json.dumps(
                scan_child(args.child, checks, args.workers, args.max_calls_per_service, args.processes, args.stream)
            )
        )
        return 0
    estate = Estate(args.resources)
    rules = faults_for(args.latency_ms / 1000, args.throttle_rate, args.throttle_burst, args.throttle_scope)
    saved = load_recording(args.recording, estate, checks) if args.replay and args.recording else None
    with (
        seeded(estate, checks, rules, empty=saved is not None) as (url, faults, seed_seconds),
        ExitStack() as replaying,
    ):
        if saved is None:
            print(f"seeded {estate.total} resources in {seed_seconds:.1f} s", flush=True)
        if args.only_services:
            failed = 0
            for check, touched, allowed in single_check_services(url, checks):
                outside = touched - allowed
                failed += bool(outside)
                verdict = "OUTSIDE: " + ",".join(sorted(outside)) if outside else "ok"
                print(f"{check:<18} touched {','.join(sorted(touched)):<70} {verdict}")
            return 1 if failed else 0
        if args.replay and saved is not None:
            faults.recording.answers.update(saved)
            print(f"loaded {len(saved)} answers from {args.recording}", flush=True)
        elif args.replay:
            seconds = record(url, faults, checks, args.workers, args.max_calls_per_service, args.processes)
            print(f"recorded {len(faults.recording.answers)} answers in {seconds:.1f} s", flush=True)
            if args.recording:
                save_recording(args.recording, estate, checks, faults.recording.answers)
        if args.replay:
            url = replaying.enter_context(replay_server(faults, url))
        if args.compare_processes:
            for _ in range(args.rounds):
                for processes in [int(n) for n in args.compare_processes.split(",")]:
                    r = measure(
                        url,
                        faults,
                        estate,
                        checks,
                        args.workers,
                        args.latency_ms / 1000,
                        args.max_calls_per_service,
                        processes=processes,
                    )
                    print(
                        f"{processes} process(es): wall {r['wall_seconds']:.1f} s, regional parts {r['regional_parts_seconds']:.1f} s, "
                        f"all parts {r['all_parts_seconds']:.1f} s, CPU main {r['cpu_seconds']:.1f} s + workers "
                        f"{r['workers_cpu_seconds']:.1f} s, server {r['server_cpu_seconds']:.1f} s, wall/bound "
                        f"{r['wall_over_bound']:.2f}",
                        flush=True,
                    )
            return 0
        results = measure(
            url,
            faults,
            estate,
            checks,
            args.workers,
            args.latency_ms / 1000,
            args.max_calls_per_service,
            args.profile,
            args.processes,
            args.stream,
        )
        results["seed_seconds"] = seed_seconds
    print_results(results)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
