"""The demo account, scanned through the real code path over HTTP: every check shows a PASS and a FAIL, no ERROR,
no answer outside the service models, and every AWS call mlaudit makes is a read."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from mlaudit.catalog.loader import load_catalog
from mlaudit.cli import cli
from mlaudit.core.taxonomy import Status
from mlaudit.demo.estate import areas
from mlaudit.demo.moto_extensions import extensions
from mlaudit.demo.server import DEMO_REGIONS
from mlaudit.inventory import AccountScope
from mlaudit.report.diffing import diff_reports
from mlaudit.report.saved import load_report
from mlaudit.scan import ScanResult
from support import Recorder, reads


def test_every_check_passes_and_fails_somewhere_and_never_errors(demo_scan: tuple[ScanResult, Recorder]) -> None:
    result, _ = demo_scan
    catalog = [c for c in load_catalog(include_entry_points=False).checks if not c.metadata.opt_in]
    shipped = {c.id for c in catalog}
    # The demo is one account: an account-level check gives it one verdict (a FAIL); its PASS is shown by its tests.
    account_level = {c.id for c in catalog if c.resources == (AccountScope,)}
    statuses = {(f.check_id, f.status) for f in result.report.findings}
    assert {c for c in shipped - account_level if (c, Status.PASS) not in statuses} == set(), (
        "checks without a PASS in the demo"
    )
    assert {c for c in shipped if (c, Status.FAIL) not in statuses} == set(), "checks without a FAIL in the demo"
    assert [f for f in result.report.findings if f.status is Status.ERROR] == []
    assert result.report.scan.status.value == "complete"
    assert result.report.scan.errors == []


def test_moto_answers_as_the_service_models_say(demo_scan: tuple[ScanResult, Recorder]) -> None:
    """No API anomaly: where moto leaves out a field AWS always answers, the demo's moto extensions answer it, so that
    the demo shows none and a test's anomaly is the test's own."""
    result, _ = demo_scan
    assert [(a.service, a.operation, a.path, a.kind.value) for a in result.report.scan.anomalies] == []
    assert result.report.scan.warnings == []


def test_the_scan_only_reads(demo_scan: tuple[ScanResult, Recorder]) -> None:
    _, recorder = demo_scan
    assert recorder.calls, "the recorder saw no calls"
    assert {op for op in recorder.calls if not reads(op)} == set()


def test_call_statistics_match_what_botocore_saw(demo_scan: tuple[ScanResult, Recorder]) -> None:
    result, recorder = demo_scan
    assert result.report.scan.statistics.by_operation == dict(recorder.calls)
    assert result.report.scan.statistics.api_calls == sum(recorder.calls.values())


def test_both_regions_are_scanned(demo_scan: tuple[ScanResult, Recorder]) -> None:
    result, _ = demo_scan
    assert result.report.scan.regions == list(DEMO_REGIONS)
    assert {f.region for f in result.report.findings} >= set(DEMO_REGIONS)


def test_no_two_moto_extensions_claim_one_operation() -> None:
    """moto takes one override per operation (`install` keeps the first), so a second claim would be silently lost."""
    claims = Counter(
        (extension.RESPONSE_CLASS.__name__, name)
        for extension in extensions()
        for name in [*extension.OPERATIONS, *getattr(extension, "OVERRIDES", {})]
    )
    assert [claim for claim, count in claims.items() if count > 1] == []


# -- the demo behaves like one account: the same ids every run -------------------------------------------------------
def mlaudit(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_two_demo_runs_are_the_same_account(tmp_path: Path) -> None:
    """moto's random source is seeded, so keys, VPCs, security groups, agents, guardrails and knowledge bases get
    the same ids every run: a second demo (`collect --demo`, the snapshot workflow's, with no AWS) diffs to nothing
    against the first, the README's baseline flow passes on it, a merge of the two adds nothing."""
    first, second, third = tmp_path / "first", tmp_path / "second", tmp_path / "third"
    code, out, _ = mlaudit("scan", "--demo", "--format", "json", "--output-dir", str(first))
    assert code == 1, "the demo has failing findings"
    assert re.search(r"^seeded foundation: \d+ calls$", out, flags=re.M), "seeding shows its progress"
    seeded = re.findall(r"^seeded (\w+): ", out, flags=re.M)
    assert seeded == [area.__name__.rsplit(".", 1)[-1] for area in areas()]
    baseline = tmp_path / "baseline.json"
    assert mlaudit("baseline", "create", str(first / "mlaudit.json"), "-o", str(baseline))[0] == 0

    snapshot = tmp_path / "inventory.json.gz"
    code, out, _ = mlaudit("collect", "--demo", "-o", str(snapshot))
    assert code == 0 and "seeded foundation" in out and f"wrote {snapshot}" in out
    code, _, err = mlaudit(
        "evaluate", str(snapshot), "--format", "json", "--output-dir", str(second), "--baseline", str(baseline)
    )
    assert code == 0, err
    code, _, _ = mlaudit("evaluate", str(snapshot), "--format", "json", "--output-dir", str(third), "--fail-on", "none")
    assert code == 0

    code, out, _ = mlaudit("diff", str(first / "mlaudit.json"), str(second / "mlaudit.json"))
    assert code == 0 and out.splitlines()[0].startswith("0 new, 0 fixed, 0 still failing")
    code, out, _ = mlaudit("diff", str(first / "mlaudit.json"), str(third / "mlaudit.json"))
    failing = len(diff_reports(load_report(first / "mlaudit.json"), load_report(third / "mlaudit.json")).still_failing)
    assert code == 0 and out.splitlines()[0] == f"0 new, 0 fixed, {failing} still failing, 0 changed severity"
    assert failing == load_report(first / "mlaudit.json").summary.by_status[Status.FAIL]

    merged = tmp_path / "merged.json"
    assert mlaudit("merge", str(first / "mlaudit.json"), str(third / "mlaudit.json"), "-o", str(merged))[0] == 0
    assert len(load_report(merged).findings) == len(load_report(first / "mlaudit.json").findings)
