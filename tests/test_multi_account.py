"""Scanning other accounts: one assumed role (`--role-arn`) or every account of an organization (`--org`), against
moto's Organizations and STS. moto's AssumeRole gives credentials for the account in the role ARN, and resources
created with them land in that account, so each member account holds its own notebooks."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from botocore.credentials import RefreshableCredentials
from click.testing import CliRunner

from mlaudit.cli import cli
from mlaudit.collect.accounts.assume import RoleSpec, assumed_session
from mlaudit.collect.accounts.organization import AccountFilter, organization_accounts
from mlaudit.collect.accounts.session import AwsClients
from mlaudit.collect.accounts.targets import AccountSelection
from mlaudit.collect.permissions import RUNNER_OPERATIONS, required_operations
from mlaudit.collect.run import collect_inventory
from mlaudit.core.errors import CredentialsError
from mlaudit.core.taxonomy import Status
from mlaudit.report.model import CallStatistics, Report, ScanStatus
from mlaudit.report.saved import load_inventory, save_inventory
from mlaudit.scan import ScanOptions, report_from_inventory, run_scan
from organization import CHECKS, REGIONS, ROLE, Organization, organization  # noqa: F401 - the fixture
from support import ACCOUNT_ID, Recorder, select


def org_scan(aws: boto3.Session, **selection: object) -> Report:
    options = ScanOptions(
        session=aws,
        regions=REGIONS,
        checks=select(CHECKS),
        accounts=AccountSelection(org=True, role_name=ROLE, **selection),
    )  # type: ignore[arg-type]
    return run_scan(options).report


def by_account(report: Report) -> dict[tuple[str, str, str], Status]:
    return {(f.account_id, f.check_id, f.resource_name): f.status for f in report.findings}


def test_an_organization_scan_attributes_findings_to_their_accounts_and_reports_an_unreachable_one(
    aws: boto3.Session, organization: Organization
) -> None:
    recorder = Recorder()
    aws.events.register("before-call", recorder)
    report = org_scan(aws)

    o = organization
    assert [a.account_id for a in report.accounts] == o.every_account, "every ACTIVE account, the closed one left out"
    assert by_account(report) == {
        (o.alpha, "SM-NOTEBOOK-001", "alpha-locked"): Status.FAIL,
        (o.alpha, "SM-NOTEBOOK-003", "alpha-locked"): Status.PASS,
        (o.beta, "SM-NOTEBOOK-001", "beta-open"): Status.FAIL,
        (o.beta, "SM-NOTEBOOK-003", "beta-open"): Status.FAIL,
        (o.gamma, "SM-NOTEBOOK-001", "gamma-open"): Status.FAIL,
        (o.gamma, "SM-NOTEBOOK-003", "gamma-open"): Status.FAIL,
        (ACCOUNT_ID, "SM-NOTEBOOK-001", "management-open"): Status.FAIL,
        (ACCOUNT_ID, "SM-NOTEBOOK-003", "management-open"): Status.FAIL,
        (o.delta, "SM-NOTEBOOK-001", o.delta): Status.ERROR,
        (o.delta, "SM-NOTEBOOK-003", o.delta): Status.ERROR,
    }
    beta = next(f for f in report.findings if f.resource_name == "beta-open")
    assert beta.region == "eu-west-1" and f":{o.beta}:" in beta.resource_arn
    unreachable = [f for f in report.findings if f.account_id == o.delta]
    assert all(f.resource_type == "AWS::Account" and f.region == "global" for f in unreachable)
    assert all("sts:AssumeRole" in f.status_detail and "AccessDenied" in f.status_detail for f in unreachable)
    assert [(e.account_id, e.operation, e.error_code) for e in report.scan.errors] == [
        (o.delta, "AssumeRole", "AccessDenied")
    ]
    assert report.scan.status is ScanStatus.PARTIAL
    assert report.scan.statistics.by_operation["sts:AssumeRole"] == 5, (
        "one role session per account, shared by its clients"
    )
    allowed = {*required_operations(select(CHECKS)), *RUNNER_OPERATIONS}
    assert set(recorder.calls) <= allowed, "`mlaudit policy` and `mlaudit policy --org` cover every call"


def test_filters_choose_accounts_by_ou_recursively_and_by_id_globs(
    aws: boto3.Session, organization: Organization
) -> None:
    o = organization
    base = AwsClients(aws, home_region="us-east-1")

    def chosen(**selection: object) -> list[str]:
        return organization_accounts(base, AccountFilter(**selection))  # type: ignore[arg-type]

    assert chosen(ous=[o.ml_ou]) == sorted([o.beta, o.gamma]), "the closed account of the OU is left out"
    assert chosen(ous=[o.ml_ou], exclude_accounts=[o.gamma]) == [o.beta]
    assert chosen(accounts=[o.alpha, o.delta[:4] + "*"]) == sorted([o.alpha, o.delta])
    assert base.stats.calls["organizations:ListChildren"] == 4, "ml, then deep, for each of the two OU listings"


def test_one_role_arn_scans_that_account_with_refreshing_credentials(
    aws: boto3.Session, organization: Organization
) -> None:
    arn = f"arn:aws:iam::{organization.beta}:role/{ROLE}"
    sent: list[dict[str, object]] = []
    aws.events.register("provide-client-params.sts.AssumeRole", lambda params, **_: sent.append(dict(params)))
    result = run_scan(
        ScanOptions(
            session=aws,
            regions=REGIONS,
            checks=select(CHECKS),
            accounts=AccountSelection(role_arn=arn, role=RoleSpec("ext-1")),
        )
    )

    assert sent == [{"RoleArn": arn, "RoleSessionName": "mlaudit", "ExternalId": "ext-1"}]

    assert [a.account_id for a in result.report.accounts] == [organization.beta]
    assert {f.resource_name for f in result.report.findings} == {"beta-open"}
    assert result.report.scan.status is ScanStatus.COMPLETE


def test_assumed_credentials_refresh_themselves(aws: boto3.Session, organization: Organization) -> None:
    base = AwsClients(aws, home_region="us-east-1")
    session = assumed_session(base, f"arn:aws:iam::{organization.alpha}:role/{ROLE}", RoleSpec())
    credentials = session.get_credentials()
    assert isinstance(credentials, RefreshableCredentials) and credentials.method == "assume-role"
    loader = session._session.get_component("data_loader")
    assert loader is aws._session.get_component("data_loader"), "service models are parsed once for all accounts"
    assert session.client("sts").get_caller_identity()["Account"] == organization.alpha
    assert base.stats.calls["sts:AssumeRole"] == 1
    credentials.get_frozen_credentials()
    assert base.stats.calls["sts:AssumeRole"] == 1, "a role session is reused until it nears its expiry"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role-arn", "arn:aws:iam::12345:role/x"], "--role-arn: 'arn:aws:iam::12345:role/x' is not an IAM role ARN"),
        (["--org"], "--org needs --role-name"),
        (["--role-name", "x"], "--role-name is the role assumed in every account of --org"),
        (["--org", "--role-name", "x", "--accounts", "prod"], "--accounts: 'prod' is not an account id"),
        (["--ou", "ou-1"], "--ou choose accounts of the organization: add --org"),
        (["--shard", "3/2"], "--shard: '3/2' is not I/N"),
        (["--role-arn", "arn:aws:iam::111122223333:role/x", "--role-session-name", "a b"], "not a valid session name"),
    ],
)
def test_bad_account_options_are_one_line_errors(
    aws: boto3.Session, tmp_path: Path, args: list[str], message: str
) -> None:
    code, _, err = run("scan", "--region", "us-east-1", "--output-dir", str(tmp_path), *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err


def test_a_single_role_that_cannot_be_assumed_is_a_credentials_error(
    aws: boto3.Session, organization: Organization
) -> None:
    """The CLI prints a `CredentialsError` as one line with exit code 2 (the refusal is registered on this session)."""
    arn = f"arn:aws:iam::{organization.delta}:role/{ROLE}"
    with pytest.raises(CredentialsError) as raised:
        run_scan(
            ScanOptions(session=aws, regions=REGIONS, checks=select(CHECKS), accounts=AccountSelection(role_arn=arn))
        )
    message = raised.value.one_line()
    assert message.startswith(f"cannot scan {arn}: sts:AssumeRole failed (AccessDenied)") and "\n" not in message


def test_the_configuration_file_and_environment_select_accounts(
    aws: boto3.Session, organization: Organization, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    o = organization
    config = tmp_path / "mlaudit.yaml"
    config.write_text(
        f"org: true\nrole_name: nobody\nou: [{o.ml_ou}]\nexclude_accounts: ['{o.gamma}']\nregions: [us-east-1, eu-west-1]\n"
    )
    monkeypatch.setenv("MLAUDIT_ROLE_NAME", ROLE)
    code, _, err = run(
        "scan",
        "--config",
        str(config),
        "--checks",
        ",".join(CHECKS),
        "--format",
        "json",
        "--output-dir",
        str(tmp_path),
        "--fail-on",
        "none",
    )
    assert code == 0, err
    report = json.loads((tmp_path / "mlaudit.json").read_text())
    assert [a["account_id"] for a in report["accounts"]] == [o.beta]
    assert {f["resource_arn"].split(":")[4] for f in report["findings"]} == {o.beta}


def test_policy_for_the_account_that_runs_an_organization_scan() -> None:
    code, out, _ = run("policy", "--org")
    actions = json.loads(out)["Statement"][0]["Action"]
    assert code == 0 and {"sts:AssumeRole", "organizations:ListAccounts", "organizations:ListChildren"} <= set(actions)
    assert not any(action.startswith("sagemaker:") for action in actions), "the reads happen with each account's role"


def test_a_snapshot_keeps_unreachable_accounts_and_the_regions_of_each(
    aws: boto3.Session, organization: Organization, tmp_path: Path
) -> None:
    options = ScanOptions(
        session=aws, regions=REGIONS, checks=select(CHECKS), accounts=AccountSelection(org=True, role_name=ROLE)
    )
    checks = list(options.checks)
    inventory = collect_inventory(options, options.parts)
    save_inventory(inventory, tmp_path / "inventory.json")
    loaded = load_inventory(tmp_path / "inventory.json")

    assert loaded.account_regions == inventory.account_regions == {organization.delta: []}
    assert loaded.unreachable(organization.delta) == inventory.unreachable(organization.delta) is not None
    direct, again = (report_from_inventory(i, checks, {}, None, CallStatistics()) for i in (inventory, loaded))
    assert [(f.id, f.status) for f in again.findings] == [(f.id, f.status) for f in direct.findings]
    assert sum(1 for f in again.findings if f.account_id == organization.delta) == len(CHECKS)


def test_worker_processes_scan_an_organization_as_one_process_does(
    aws: boto3.Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--processes 2`: each worker assumes the members' roles itself and the report is the same. The workers reach
    the same moto backends over HTTP (AWS_ENDPOINT_URL), as the in-process mock does here."""
    from mlaudit.demo.server import moto_server
    from organization import build_organization

    with moto_server() as url:
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
        build_organization(aws)
        alone = org_scan(aws)
        split = run_scan(
            ScanOptions(
                session=aws,
                regions=REGIONS,
                checks=select(CHECKS),
                processes=2,
                accounts=AccountSelection(org=True, role_name=ROLE),
            )
        ).report

    assert by_account(split) == by_account(alone) and len(by_account(split)) == 10
    assumed = (
        split.scan.statistics.by_operation["sts:AssumeRole"] - alone.scan.statistics.by_operation["sts:AssumeRole"]
    )
    assert 1 <= assumed <= 2 * 4, "each worker assumes the role of each reachable account it collects, once"
    assert [(e.account_id, e.error_code) for e in split.scan.errors] == [
        (e.account_id, e.error_code) for e in alone.scan.errors
    ]
