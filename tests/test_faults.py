"""The fault matrix: real scans through the fault-injection layer in front of the moto server.

For every fault kind a scan completes; retries are bounded and counted; a transient fault changes nothing; a
persistent one becomes ERROR, naming the error code, for exactly the scope it hit; and no resource that could not
be evaluated is ever reported PASS. docs/reliability.md states the matrix.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.retries.standard import RetryContext, ThrottledRetryableChecker
from click.testing import CliRunner

from faults import FaultInjector, FaultKind, FaultRule
from mlaudit.cli import cli
from mlaudit.collect.accounts.failures import DENIED_CODES
from mlaudit.collect.engine.budget import THROTTLE_ATTEMPTS_FACTOR
from mlaudit.collect.engine.processes import ProcessRunner
from mlaudit.core.taxonomy import Status
from mlaudit.demo.server import demo_session, moto_server
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report, ScanStatus
from mlaudit.report.saved import load_inventory
from mlaudit.scan import ScanOptions, run_scan
from support import select

REGIONS = ("us-east-1", "eu-west-1")
NOTEBOOK_CHECKS = ("SM-NOTEBOOK-002", "SM-NOTEBOOK-003")
CHECKS = (*NOTEBOOK_CHECKS, "IAM-ML-001", "CW-ML-001")
MAX_ATTEMPTS = 2
"""botocore's attempts per call in these tests (AWS_MAX_ATTEMPTS): one retry, so that waits stay short."""
READ_TIMEOUT = 2.0
"""The client's read timeout in the read-timeout scenarios (the server holds the answer 1.5 times as long)."""
ROLE_NAME = "fault-execution"

Key = tuple[str, str, str]
"""(check id, region, resource name)"""


@dataclass(frozen=True)
class Estate:
    url: str
    faults: FaultInjector
    session: boto3.Session
    """Shared by the scans: botocore loads each service model once per session."""

    def scan(self, read_timeout: float | None = None) -> Report:
        options = ScanOptions(endpoint_url=self.url, session=self.session, regions=REGIONS, checks=select(CHECKS))
        options.read_timeout = read_timeout or options.read_timeout
        return run_scan(options).report

    def client(self, service: str) -> Any:
        """A client that does not retry, to see each injected answer."""
        return self.session.client(service, endpoint_url=self.url, config=Config(retries={"total_max_attempts": 1}))


@pytest.fixture(scope="module")
def estate() -> Iterator[Estate]:
    """A small estate behind the fault layer: a role, and a notebook in a VPC and one outside it per region."""
    faults = FaultInjector()
    with moto_server(faults) as url:
        session = demo_session()
        role = session.client("iam", endpoint_url=url).create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument="{}")
        for region in REGIONS:
            sagemaker = session.client("sagemaker", region_name=region, endpoint_url=url)
            short = region.split("-")[1]
            for name, network in (
                (f"{short}-vpc", {"SubnetId": "subnet-0a1b2c3d", "SecurityGroupIds": ["sg-0a1b2c3d"]}),
                (f"{short}-public", {}),
            ):
                sagemaker.create_notebook_instance(
                    NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=role["Role"]["Arn"], **network
                )
            session.client("logs", region_name=region, endpoint_url=url).create_log_group(
                logGroupName="/aws/sagemaker/NotebookInstances"
            )
        yield Estate(url, faults, demo_session())


@pytest.fixture
def faults(estate: Estate, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultInjector]:
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", str(MAX_ATTEMPTS))
    injector = estate.faults
    injector.reset_counts()
    yield injector
    injector.rules = []


def by_key(report: Report) -> dict[Key, Finding]:
    return {(f.check_id, f.region, f.resource_name): f for f in report.findings}


@pytest.fixture(scope="module")
def baseline(estate: Estate) -> dict[Key, Status]:
    report = estate.scan()
    assert report.scan.status is ScanStatus.COMPLETE and report.scan.statistics.retries == 0
    return {key: f.status for key, f in by_key(report).items()}


def test_the_baseline_judges_every_resource(baseline: dict[Key, Status]) -> None:
    assert baseline[("SM-NOTEBOOK-002", "eu-west-1", "west-vpc")] is Status.PASS
    assert baseline[("SM-NOTEBOOK-002", "eu-west-1", "west-public")] is Status.FAIL
    assert baseline[("IAM-ML-001", "global", ROLE_NAME)] is Status.PASS
    assert baseline[("CW-ML-001", "eu-west-1", "/aws/sagemaker/NotebookInstances")] is Status.FAIL
    assert Status.ERROR not in baseline.values()


# -- the errors each protocol answers with -------------------------------------------------------------------------
@dataclass(frozen=True)
class Probe:
    service: str
    method: str
    throttled: str
    denied: str
    params: tuple[tuple[str, Any], ...] = ()


PROBES = [
    Probe("sagemaker", "list_notebook_instances", "ThrottlingException", "AccessDeniedException"),  # JSON
    Probe("iam", "get_role", "Throttling", "AccessDenied", (("RoleName", ROLE_NAME),)),  # query
    Probe("ec2", "describe_regions", "RequestLimitExceeded", "UnauthorizedOperation"),  # EC2 query
    Probe("s3", "list_buckets", "SlowDown", "AccessDenied"),  # REST-XML
    Probe("bedrock", "get_model_invocation_logging_configuration", "ThrottlingException", "AccessDeniedException"),
    Probe("bedrock-agent", "list_agents", "ThrottlingException", "AccessDeniedException"),  # REST-JSON
    Probe("cloudwatch", "list_metrics", "Throttling", "AccessDenied"),  # JSON keeping its query-era codes
    Probe("logs", "describe_log_groups", "ThrottlingException", "AccessDeniedException"),
]


def _probe(estate: Estate, probe: Probe) -> ClientError:
    client = estate.client(probe.service)
    with pytest.raises(ClientError) as caught:
        getattr(client, probe.method)(**dict(probe.params))
    return caught.value


@pytest.mark.parametrize("probe", PROBES, ids=lambda p: p.service)
def test_each_protocol_throttles_and_denies_as_aws_does(faults: FaultInjector, estate: Estate, probe: Probe) -> None:
    """botocore classifies the injected throttle as throttling, whatever the service's protocol."""
    faults.rules = [FaultRule(FaultKind.THROTTLE, service=probe.service)]
    throttled = _probe(estate, probe)
    assert throttled.response["Error"]["Code"] == probe.throttled
    assert ThrottledRetryableChecker().is_retryable(RetryContext(attempt_number=1, parsed_response=throttled.response))
    faults.rules = [FaultRule(FaultKind.ACCESS_DENIED, service=probe.service)]
    denied = _probe(estate, probe)
    assert denied.response["Error"]["Code"] == probe.denied and probe.denied in DENIED_CODES
    assert faults.count(service=probe.service) == 2


def test_the_token_bucket_throttles_beyond_the_burst(faults: FaultInjector, estate: Estate) -> None:
    faults.rules = [{"kind": "throttle", "service": "sagemaker", "operation": "ListNotebookInstances", "burst": 2}]
    client = estate.client("sagemaker")
    client.list_notebook_instances()
    client.list_notebook_instances()
    with pytest.raises(ClientError, match="ThrottlingException"):
        client.list_notebook_instances()
    client.list_endpoints()  # a bucket per operation: others are not throttled
    assert faults.count(FaultKind.THROTTLE) == 1


def test_rules_change_while_the_server_runs(faults: FaultInjector, estate: Estate) -> None:
    client = estate.client("sagemaker")
    faults.rules = [FaultRule(FaultKind.SERVER_ERROR, service="sagemaker", status=500)]
    with pytest.raises(ClientError, match="InternalServerException"):
        client.list_notebook_instances()
    faults.rules = []
    assert client.list_notebook_instances()["NotebookInstances"]
    assert faults.count(FaultKind.SERVER_ERROR, "sagemaker", "ListNotebookInstances", "us-east-1") == 1


# -- scans through faults ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fault:
    """A fault kind, and the error code a call that it keeps failing is recorded with."""

    name: str
    rule: dict[str, Any]
    code: str

    @property
    def read_timeout(self) -> float | None:
        return READ_TIMEOUT if self.rule["kind"] == "read_timeout" else None

    def on(self, **scope: Any) -> FaultRule:
        return FaultRule(**{**self.rule, **scope})


FAULTS = [
    Fault("throttling", {"kind": "throttle"}, "ThrottlingException"),
    Fault("http-500", {"kind": "server_error", "status": 500}, "InternalServerException"),
    Fault("http-503", {"kind": "server_error", "status": 503}, "ServiceUnavailableException"),
    Fault("connection-reset", {"kind": "connection_reset"}, "ConnectionClosedError"),
    Fault("read-timeout", {"kind": "read_timeout", "seconds": READ_TIMEOUT * 1.5}, "ReadTimeoutError"),
    Fault("access-denied", {"kind": "access_denied"}, "AccessDeniedException"),
]
RETRIED = [fault for fault in FAULTS if fault.name != "access-denied"]


def assert_retries_bounded_and_counted(report: Report, faults: FaultInjector, retried: bool) -> None:
    """Every attempt the server saw beyond a call's first is a retry in the statistics, at most MAX_ATTEMPTS - 1
    per call (a throttled call: MAX_ATTEMPTS * THROTTLE_ATTEMPTS_FACTOR - 1); a denied call is not retried."""
    statistics = report.scan.statistics
    assert sum(faults.requests.values()) - statistics.api_calls == statistics.retries
    per_call = MAX_ATTEMPTS * (THROTTLE_ATTEMPTS_FACTOR if faults.count(FaultKind.THROTTLE) else 1)
    for (service, operation, _), attempts in faults.requests.items():
        assert attempts <= per_call * statistics.by_operation[f"{service}:{operation}"]
    assert (statistics.retries > 0) is retried
    assert statistics.throttles == faults.count(FaultKind.THROTTLE)


@pytest.mark.parametrize("fault", RETRIED, ids=lambda f: f.name)
def test_a_transient_fault_that_clears_within_the_retry_budget_changes_nothing(
    faults: FaultInjector, estate: Estate, baseline: dict[Key, Status], fault: Fault
) -> None:
    faults.rules = [fault.on(service="sagemaker", operation="DescribeNotebookInstance", times=1)]
    report = estate.scan(fault.read_timeout)
    assert {key: f.status for key, f in by_key(report).items()} == baseline
    assert report.scan.status is ScanStatus.COMPLETE and not report.scan.errors
    assert faults.count() == 1 and report.scan.statistics.retries == 1
    assert_retries_bounded_and_counted(report, faults, retried=True)


def assert_error_for_exactly(
    report: Report, baseline: dict[Key, Status], affected: Callable[[Key], bool], code: str
) -> None:
    """What the fault hit is ERROR naming `code`; no PASS for it, ever; everything else is as in the baseline."""
    findings = by_key(report)
    assert report.scan.status is ScanStatus.PARTIAL
    for key, status in baseline.items():
        if affected(key):
            assert key not in findings or findings[key].status is Status.ERROR, key
        else:
            assert findings[key].status is status, key
    errors = [f for f in report.findings if f.status is Status.ERROR]
    assert errors and all(code in f.status_detail for f in errors), [f.status_detail for f in errors]
    assert all(key in baseline or findings[key].status is Status.ERROR for key in findings)
    assert not [f for key, f in findings.items() if affected(key) and f.status is Status.PASS]


def in_west_notebooks(key: Key) -> bool:
    return key[0] in NOTEBOOK_CHECKS and key[1] == "eu-west-1"


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_a_persistent_fault_is_error_for_exactly_its_scope_and_never_pass(
    faults: FaultInjector, estate: Estate, baseline: dict[Key, Status], fault: Fault
) -> None:
    """Describing notebooks fails in one region: those notebooks are ERROR (and IAM roles, which are found through
    them, get a scope ERROR); the other region and the role itself keep their verdicts."""
    faults.rules = [fault.on(service="sagemaker", operation="DescribeNotebookInstance", region="eu-west-1")]
    report = estate.scan(fault.read_timeout)
    assert_error_for_exactly(report, baseline, in_west_notebooks, fault.code)
    west = [f for f in report.findings if in_west_notebooks((f.check_id, f.region, f.resource_name))]
    assert {f.resource_name for f in west} == {"west-vpc", "west-public"}
    assert_retries_bounded_and_counted(report, faults, retried=fault in RETRIED)


def test_a_fault_on_a_list_call_is_error_for_the_whole_scope(
    faults: FaultInjector, estate: Estate, baseline: dict[Key, Status]
) -> None:
    faults.rules = [FAULTS[0].on(service="sagemaker", operation="ListNotebookInstances", region="eu-west-1")]
    report = estate.scan()
    assert_error_for_exactly(report, baseline, in_west_notebooks, "ThrottlingException")
    west = {f.resource_name for f in report.findings if in_west_notebooks((f.check_id, f.region, f.resource_name))}
    assert west == {"all notebook instances"}
    assert report.scan.statistics.throttles == MAX_ATTEMPTS * THROTTLE_ATTEMPTS_FACTOR


def test_a_call_throttled_at_more_turns_than_botocores_attempts_still_gets_through(
    faults: FaultInjector, estate: Estate, baseline: dict[Key, Status]
) -> None:
    """A throttled attempt costs only its turn, so a call throttled beyond botocore's attempts is still resent."""
    throttles = MAX_ATTEMPTS + 1
    faults.rules = [
        FAULTS[0].on(service="sagemaker", operation="ListNotebookInstances", region="eu-west-1", times=throttles)
    ]
    report = estate.scan()
    assert {key: f.status for key, f in by_key(report).items()} == baseline
    assert report.scan.status is ScanStatus.COMPLETE
    assert report.scan.statistics.throttles == throttles


def test_a_throttled_service_is_error_only_for_its_checks(
    faults: FaultInjector, estate: Estate, baseline: dict[Key, Status]
) -> None:
    faults.rules = [FAULTS[0].on(service="iam")]
    report = estate.scan()
    assert_error_for_exactly(report, baseline, lambda key: key[0] == "IAM-ML-001", "Throttling")


# -- denied permissions --------------------------------------------------------------------------------------------
DENIALS = {
    # IAM roles are found through the notebooks that use them: none could be described, so no role is judged.
    "operation": ({"service": "sagemaker", "operation": "DescribeNotebookInstance"}, lambda key: key[0] != "CW-ML-001"),
    "service": ({"service": "iam"}, lambda key: key[0] == "IAM-ML-001"),
    "region": ({"region": "eu-west-1"}, lambda key: key[1] == "eu-west-1"),
}


@pytest.mark.parametrize("scope", DENIALS)
def test_access_denied_for_one_operation_service_or_region(
    faults: FaultInjector, estate: Estate, baseline: dict[Key, Status], scope: str
) -> None:
    rule, affected = DENIALS[scope]
    faults.rules = [FaultRule(FaultKind.ACCESS_DENIED, **rule)]
    report = estate.scan()
    assert_error_for_exactly(report, baseline, affected, "AccessDenied")
    assert_retries_bounded_and_counted(report, faults, retried=False)
    assert [w for w in report.scan.warnings if w.startswith("missing permissions:")]


def test_denied_calls_are_summarised_as_the_iam_actions_to_allow(
    faults: FaultInjector, estate: Estate, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the report's warnings and on the terminal: which IAM actions to add, where they were denied."""
    faults.rules = [
        FaultRule(
            FaultKind.ACCESS_DENIED, service="sagemaker", operation="DescribeNotebookInstance", region="eu-west-1"
        ),
        FaultRule(FaultKind.ACCESS_DENIED, service="iam", operation="ListAttachedRolePolicies"),
        FaultRule(FaultKind.ACCESS_DENIED, service="logs"),
    ]
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "demo")
    result = CliRunner().invoke(
        cli,
        [
            "scan",
            "--endpoint-url",
            estate.url,
            "--region",
            ",".join(REGIONS),
            "--output-dir",
            str(tmp_path),
            "--format",
            "json",
            *[arg for check in CHECKS for arg in ("--checks", check)],
        ],
        catch_exceptions=False,
    )
    assert result.exit_code in (1, 3), result.stderr
    expected = (
        "missing permissions: AWS denied 3 IAM action(s) the checks need; allow iam:ListAttachedRolePolicies, "
        "logs:DescribeLogGroups (in eu-west-1, us-east-1), sagemaker:DescribeNotebookInstance (in eu-west-1)"
    )
    assert f"mlaudit: warning: {expected}" in result.stderr
    report = Report.model_validate_json((tmp_path / "mlaudit.json").read_text())
    assert [w for w in report.scan.warnings if w.startswith(expected)]


def test_no_warning_when_nothing_is_denied(faults: FaultInjector, estate: Estate) -> None:
    faults.rules = [FAULTS[0].on(service="iam")]
    assert not estate.scan().scan.warnings


# -- interrupts ----------------------------------------------------------------------------------------------------
def interrupt_mid_collection(faults: FaultInjector, signum: signal.Signals, arguments: list[str]) -> str:
    """Run `mlaudit ARGUMENTS` with every call slowed down, send `signum` once collection is under way, and check
    the exit code (128 + the signal's number). Returns stderr."""
    faults.rules = [FaultRule(FaultKind.LATENCY, seconds=0.3)]
    process = subprocess.Popen([sys.executable, "-m", "mlaudit", *arguments], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while faults.count(FaultKind.LATENCY) < 4:
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.05)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == {signal.SIGTERM: 143, signal.SIGINT: 130}[signum], stderr
    assert "Traceback" not in stderr
    return stderr


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_a_signal_during_a_scan_writes_a_partial_report_and_exits_128_plus_its_number(
    faults: FaultInjector, estate: Estate, baseline: dict[Key, Status], tmp_path: Path, signum: signal.Signals
) -> None:
    """A real `mlaudit scan` slowed by latency, stopped mid-collection: what was collected is reported, the rest is
    ERROR "interrupted", nothing unevaluated is PASS, and no temporary file is left behind."""
    stderr = interrupt_mid_collection(
        faults,
        signum,
        [
            "scan",
            "--endpoint-url",
            estate.url,
            "--region",
            ",".join(REGIONS),
            "--checks",
            ",".join(CHECKS),
            "--max-workers",
            "2",
            "--output-dir",
            str(tmp_path),
            "--format",
            "json,sarif",
        ],
    )
    assert f"mlaudit: warning: the scan was interrupted ({signum.name})" in stderr
    report = Report.model_validate_json((tmp_path / "mlaudit.json").read_text())
    assert report.scan.status is ScanStatus.PARTIAL
    interrupted = [f for f in report.findings if f"interrupted ({signum.name})" in f.status_detail]
    assert interrupted and all(f.status is Status.ERROR for f in interrupted)
    assert {e.error_code for e in report.scan.errors} == {"Interrupted"}
    for key, finding in by_key(report).items():
        assert finding.status is Status.ERROR or finding.status is baseline[key], key
    assert json.loads((tmp_path / "mlaudit.sarif").read_text())["runs"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mlaudit.json", "mlaudit.sarif"]


def test_a_signal_during_collect_writes_a_partial_snapshot(
    faults: FaultInjector, estate: Estate, tmp_path: Path
) -> None:
    snapshot = tmp_path / "inventory.json"
    interrupt_mid_collection(
        faults,
        signal.SIGTERM,
        [
            "collect",
            "--endpoint-url",
            estate.url,
            "--region",
            ",".join(REGIONS),
            "--checks",
            ",".join(CHECKS),
            "--max-workers",
            "2",
            "--output",
            str(snapshot),
            "--quiet",
        ],
    )
    errors = load_inventory(snapshot).errors
    assert errors and {e.error_code for e in errors} == {"Interrupted"}


# -- worker processes (`--processes`) ------------------------------------------------------------------------------
def _scan_in_processes(estate: Estate, processes: int) -> Any:
    options = ScanOptions(
        endpoint_url=estate.url, session=estate.session, regions=REGIONS, checks=select(CHECKS), processes=processes
    )
    return run_scan(options)


@pytest.mark.parametrize("fault", ["none", "denied"])
def test_worker_processes_collect_what_one_process_collects(faults: FaultInjector, estate: Estate, fault: str) -> None:
    """The same verdicts, errors and calls with the regions collected in two worker processes: records, errors and
    call counts all cross back to the main process."""
    if fault == "denied":
        faults.rules = [
            FaultRule(
                FaultKind.ACCESS_DENIED, service="sagemaker", operation="DescribeNotebookInstance", region="eu-west-1"
            )
        ]
    alone, split = _scan_in_processes(estate, 1), _scan_in_processes(estate, 2)

    assert {k: f.status for k, f in by_key(split.report).items()} == {
        k: f.status for k, f in by_key(alone.report).items()
    }
    assert split.report.scan.errors == alone.report.scan.errors
    assert split.stats.calls == alone.stats.calls
    if fault == "denied":
        assert "AccessDeniedException" in {e.error_code for e in split.report.scan.errors}


def test_a_worker_process_that_dies_loses_only_its_units_to_error(
    faults: FaultInjector, estate: Estate, baseline: dict[Key, Status], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker holding the one slot of the budget killed mid-call: the other finishes the scan (the dead one's
    slot is given back), the parts the dead one was collecting (and those that read them) are ERROR naming it, and
    nothing unevaluated is PASS."""
    started: list[ProcessRunner] = []

    class Watched(ProcessRunner):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            started.append(self)

    monkeypatch.setattr("mlaudit.collect.run.ProcessRunner", Watched)
    faults.rules = [FaultRule(FaultKind.LATENCY, seconds=0.3)]
    options = ScanOptions(
        endpoint_url=estate.url,
        session=estate.session,
        regions=REGIONS,
        checks=select(CHECKS),
        processes=2,
        max_workers=1,
    )
    outcome: list[Any] = []
    scan = threading.Thread(target=lambda: outcome.append(run_scan(options)))
    scan.start()
    deadline = time.monotonic() + 60
    while faults.count(FaultKind.LATENCY) < 4 or not any(started[0].held_slots().values()):
        assert scan.is_alive() and time.monotonic() < deadline
        time.sleep(0.02)
    holder = next(pid for pid, held in started[0].held_slots().items() if held)
    os.kill(holder, signal.SIGKILL)
    scan.join(timeout=120)
    assert not scan.is_alive(), "the scan waited for the slot the dead worker held"

    report = outcome[0].report
    assert report.scan.status is ScanStatus.PARTIAL
    assert "WorkerProcessExited" in {e.error_code for e in report.scan.errors}
    assert [f for f in report.findings if f.status is Status.ERROR and "worker process" in f.status_detail]
    assert [f for f in report.findings if f.status is not Status.ERROR], "the other worker's units were collected"
    for key, finding in by_key(report).items():
        assert finding.status is Status.ERROR or finding.status is baseline[key], key


def test_a_signal_stops_the_worker_processes_and_writes_a_partial_report(
    faults: FaultInjector, estate: Estate, baseline: dict[Key, Status], tmp_path: Path
) -> None:
    interrupt_mid_collection(
        faults,
        signal.SIGTERM,
        [
            "scan",
            "--endpoint-url",
            estate.url,
            "--region",
            ",".join(REGIONS),
            "--checks",
            ",".join(CHECKS),
            "--processes",
            "2",
            "--output-dir",
            str(tmp_path),
            "--format",
            "json",
        ],
    )
    report = Report.model_validate_json((tmp_path / "mlaudit.json").read_text())
    assert report.scan.status is ScanStatus.PARTIAL and {e.error_code for e in report.scan.errors} == {"Interrupted"}
    for key, finding in by_key(report).items():
        assert finding.status is Status.ERROR or finding.status is baseline[key], key
