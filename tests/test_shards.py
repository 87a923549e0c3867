"""`--shard I/N` and `mlaudit merge`: shards split the (account, region) units of an organization scan without
overlap or gap, and merging their reports gives the findings of the unsharded scan."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner

from mlaudit.cli import cli
from mlaudit.collect.accounts.sharding import Shard, owner
from mlaudit.collect.accounts.targets import AccountSelection
from mlaudit.core.taxonomy import Status
from mlaudit.inventory import Inventory
from mlaudit.report.merging import merge_reports
from mlaudit.scan import ScanOptions, ScanResult, run_scan
from organization import CHECKS, REGIONS, ROLE, Organization, organization  # noqa: F401 - the fixture
from support import select

SHARDS = 3


def test_shards_are_disjoint_cover_every_unit_and_move_few_units_when_one_is_added() -> None:
    units = [
        (f"{n:012d}", region)
        for n in range(100_000_000_000, 100_000_000_060)
        for region in ("us-east-1", "eu-west-1", "ap-south-1", "global")
    ]
    for count in (1, 3, 8):
        owners = [[index for index in range(1, count + 1) if Shard(index, count).owns(*unit)] for unit in units]
        assert all(len(found) == 1 for found in owners), "every unit has exactly one shard"
        sizes = [sum(1 for found in owners if found == [index]) for index in range(1, count + 1)]
        assert min(sizes) > len(units) / count / 2, f"no shard is starved: {sizes}"
    moved = [unit for unit in units if owner(*unit, 8) != owner(*unit, 9)]
    assert moved and all(owner(*unit, 9) == 9 for unit in moved), "going to 9 shards only feeds the new one"


def _units(inventory: Inventory) -> set[tuple[str, str]]:
    return {
        (a.account_id, r)
        for a in inventory.accounts
        if inventory.unreachable(a.account_id) is None
        for r in inventory.regions_of(a.account_id)
    }


def _scan(aws: boto3.Session, shard: Shard | None) -> ScanResult:
    selection = AccountSelection(org=True, role_name=ROLE)
    return run_scan(ScanOptions(session=aws, regions=REGIONS, checks=select(CHECKS), accounts=selection, shard=shard))


def _verdicts(findings: list) -> set[tuple[str, Status, str]]:  # type: ignore[type-arg]
    return {(f.id, f.status, f.status_detail) for f in findings}


def test_shard_scans_split_the_units_and_merge_back_into_the_unsharded_scan(
    aws: boto3.Session, organization: Organization
) -> None:
    whole = _scan(aws, None)
    shards = [_scan(aws, Shard(index, SHARDS)) for index in range(1, SHARDS + 1)]

    shard_units = [_units(result.inventory) for result in shards]
    assert sum(len(units) for units in shard_units) == len(set().union(*shard_units)), "no unit is scanned twice"
    assert set().union(*shard_units) == _units(whole.inventory) and len(_units(whole.inventory)) == 8
    assert sum(1 for result in shards if result.inventory.unreachable(organization.delta)) == 1, (
        "one shard reports delta"
    )

    merged = merge_reports([result.report for result in shards])
    assert _verdicts(merged.findings) == _verdicts(whole.report.findings)
    assert [f.id for f in merged.findings] == [f.id for f in whole.report.findings], "sorted alike, no duplicates"
    assert merged.summary == whole.report.summary
    assert merged.accounts == whole.report.accounts
    assert merged.scan.errors == whole.report.scan.errors
    assert merged.scan.status == whole.report.scan.status and merged.scan.status.value == "partial"
    assert merged.scan.statistics.api_calls == sum(r.report.scan.statistics.api_calls for r in shards)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout + result.stderr


def test_the_merge_command_writes_one_report_of_the_shards(
    aws: boto3.Session, organization: Organization, tmp_path: Path
) -> None:
    common = [
        "--org",
        "--role-name",
        ROLE,
        "--region",
        ",".join(REGIONS),
        "--checks",
        ",".join(CHECKS),
        "--format",
        "json",
        "--fail-on",
        "none",
    ]
    parts = []
    for index in (1, 2):
        code, output = run("scan", *common, "--shard", f"{index}/2", "--output-dir", str(tmp_path / f"shard-{index}"))
        assert code == 0, output
        parts.append(str(tmp_path / f"shard-{index}" / "mlaudit.json"))

    code, output = run("merge", *parts, parts[0], "-o", str(tmp_path / "all.json"))
    assert code == 0 and f"wrote {tmp_path / 'all.json'}: 8 findings, 5 accounts" in output, output
    merged = json.loads((tmp_path / "all.json").read_text())
    shards = [json.loads(Path(part).read_text()) for part in parts]
    assert sorted(f["id"] for f in merged["findings"]) == sorted(f["id"] for shard in shards for f in shard["findings"])
    assert merged["summary"]["by_status"]["FAIL"] == 7 and merged["summary"]["by_check"]["SM-NOTEBOOK-003"]["PASS"] == 1
    assert {a["account_id"] for a in merged["accounts"]} == set(organization.every_account)


@pytest.mark.parametrize(
    ("version", "fragment"), [("0.9.0", "older than this mlaudit reads"), ("2.0.0", "newer than this mlaudit reads")]
)
def test_merge_refuses_another_major_schema_version(tmp_path: Path, version: str, fragment: str) -> None:
    report = {"schema_version": version, "findings": []}
    (tmp_path / "old.json").write_text(json.dumps(report))
    code, output = run("merge", str(tmp_path / "old.json"), "-o", str(tmp_path / "all.json"))
    assert code == 2 and fragment in output and len(output.strip().splitlines()) == 1, output
    assert not (tmp_path / "all.json").exists()
