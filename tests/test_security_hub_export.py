"""`mlaudit export security-hub`, judged by Security Hub's own rules (tests/security_hub.py) in front of moto: each
account's findings imported in that account through the scan's role plumbing, a refusal kept to its account,
account-wide findings in one home region, the workflow following mlaudit's verdicts, and the scan's credential
message. ASFF's resource types, identifiers and streaming are tested here too."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
from click.testing import CliRunner
from moto.core.config import default_user_config

from mlaudit.cli import cli
from mlaudit.collect.accounts.assume import RoleSpec
from mlaudit.collect.accounts.credentials import identify
from mlaudit.collect.accounts.session import AwsClients
from mlaudit.core.taxonomy import Status
from mlaudit.demo.server import moto_server
from mlaudit.export.security_hub import AccountReach, ExportResult, export_findings
from mlaudit.inventory import AccountInfo
from mlaudit.renderers import FORMATS, RenderOptions
from mlaudit.renderers.asff import ID_LIMIT, RESOURCE_TYPES, asff_finding, fit_id, write_asff
from mlaudit.renderers.json_report import render_json
from mlaudit.report.findings import Finding, Suppression, finding_id
from mlaudit.report.model import Report
from organization import ROLE, Organization, build_organization, member
from reports import finding, report_of
from security_hub import SecurityHubRules
from support import ACCOUNT_ID, answer

Served = tuple[SecurityHubRules, boto3.Session, Organization]


def in_account(account_id: str, name: str, status: Status = Status.FAIL, region: str = "us-east-1") -> Finding:
    """A finding about an endpoint `name` of another account."""
    base = finding(name, status, region=region)
    arn = base.resource_arn.replace(f":{ACCOUNT_ID}:", f":{account_id}:")
    return base.model_copy(
        update={"account_id": account_id, "resource_arn": arn, "id": finding_id(base.check_id, account_id, region, arn)}
    )


def account_wide(account_id: str, status: Status = Status.FAIL) -> Finding:
    """An account-level finding (region `global`, resource type AWS::Account)."""
    arn = f"arn:aws:account::{account_id}:*"
    return finding("account", status).model_copy(
        update={
            "account_id": account_id,
            "region": "global",
            "resource_type": "AWS::Account",
            "resource_arn": arn,
            "resource_name": account_id,
            "id": finding_id("SM-X", account_id, "global", arn),
        }
    )


def muted(base: Finding, reason: str = "accepted risk", owner: str | None = "ml-platform") -> Finding:
    suppression = Suppression(
        source="config", muted_status=Status.FAIL, reason=reason, owner=owner, expires=date(2027, 3, 31)
    )
    return base.model_copy(update={"status": Status.MUTED, "suppression": suppression})


def report_with(findings: list[Finding], regions: list[str] | None = None) -> Report:
    report = report_of(findings)
    accounts = sorted({f.account_id for f in findings} | {ACCOUNT_ID})
    scan = report.scan.model_copy(update={"regions": regions or ["us-east-1"]})
    return report.model_copy(update={"accounts": [AccountInfo(account_id=a) for a in accounts], "scan": scan})


def stored(session: boto3.Session, region: str = "us-east-1") -> dict[str, dict[str, Any]]:
    """The findings in one account's Security Hub in one region, by resource name (the Id's last part is ours)."""
    client = session.client("securityhub", region_name=region)
    return {f["Resources"][0]["Id"].rsplit("/", 1)[-1]: f for f in client.get_findings()["Findings"]}


def export(session: boto3.Session, report: Report, **options: Any) -> ExportResult:
    clients = AwsClients(session, home_region=session.region_name or "us-east-1")
    return export_findings(report, clients, identify(clients, None), **options)


def run(*args: str, **env: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)
    return result.exit_code, result.stdout, result.stderr


# -- an organization, each account's findings in its own Security Hub -------------------------------------------
@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    """The organization of tests/organization.py in a moto server behind Security Hub's rules."""
    rules = SecurityHubRules()
    with moto_server(rules) as url:
        default_user_config["iam"] = {"load_aws_managed_policies": False}
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
        session = boto3.Session(region_name="us-east-1")
        yield rules, session, build_organization(session)


def organization_report(o: Organization) -> Report:
    return report_with(
        [
            finding("management-open"),
            in_account(o.alpha, "alpha-open"),
            account_wide(o.alpha),
            in_account(o.beta, "beta-open", region="eu-west-1"),
            in_account(o.beta, "beta-fixed", Status.PASS, region="eu-west-1"),
            in_account(o.delta, "delta-open"),
        ],
        regions=["eu-west-1", "us-east-1"],
    )


def test_the_rule_refuses_a_finding_of_another_account(served: Served) -> None:
    """The consumer's rule itself: the management account may not import alpha's finding."""
    rules, session, o = served
    alien = asff_finding(in_account(o.alpha, "alpha-open"), organization_report(o))
    with pytest.raises(session.client("securityhub").exceptions.AccessDeniedException):
        session.client("securityhub").batch_import_findings(Findings=[alien])
    assert [(i.caller, i.refused) for i in rules.imports] == [(ACCOUNT_ID, True)]


def test_each_account_imports_its_own_findings_and_an_unreachable_one_is_its_own_error(served: Served) -> None:
    rules, session, o = served
    result = export(session, organization_report(o), reach=AccountReach(role_name=ROLE))

    by_account = {a.account_id: a for a in result.accounts}
    assert sorted(by_account) == sorted([ACCOUNT_ID, o.alpha, o.beta, o.delta])
    assert {a: (r.imported, r.rejected, dict(r.workflow)) for a, r in by_account.items() if a != o.delta} == {
        ACCOUNT_ID: (1, [], {}),
        o.alpha: (2, [], {}),
        o.beta: (2, [], {"RESOLVED": 1}),
    }
    [delta_error] = by_account[o.delta].errors
    assert delta_error.startswith(
        f"not imported: sts:AssumeRole arn:aws:iam::{o.delta}:role/{ROLE} failed (AccessDenied)"
    )
    assert by_account[o.delta].imported == 0 and result.failed

    assert {i.refused for i in rules.imports} == {False}, "no call sent another account's finding"
    assert all(f["AwsAccountId"] == i.caller for i in rules.imports for f in i.findings)
    assert set(stored(session)) == {"management-open"}
    alpha = stored(member(session, o.alpha))
    assert set(alpha) == {"alpha-open", f"AWS::::Account:{o.alpha}"}
    assert set(stored(member(session, o.beta), "eu-west-1")) == {"beta-open", "beta-fixed"}
    assert stored(member(session, o.beta), "eu-west-1")["beta-fixed"]["Workflow"] == {"Status": "RESOLVED"}


def test_without_a_role_other_accounts_are_error_lines_and_the_caller_s_own_lands(served: Served) -> None:
    _, session, o = served
    result = export(session, organization_report(o))

    errors = {a.account_id: a.errors for a in result.accounts}
    assert errors[ACCOUNT_ID] == []
    assert {account: len(lines) for account, lines in errors.items() if account != ACCOUNT_ID} == {
        o.alpha: 1,
        o.beta: 1,
        o.delta: 1,
    }
    assert errors[o.alpha][0].startswith("not imported: Security Hub takes an account's findings only from that")
    assert set(stored(session)) == {"management-open"}


def test_a_region_that_refuses_is_one_error_line_and_the_rest_lands(served: Served) -> None:
    rules, session, o = served
    rules.not_subscribed = {(o.beta, "eu-west-1")}
    result = export(session, organization_report(o), reach=AccountReach(role_name=ROLE))

    beta = next(a for a in result.accounts if a.account_id == o.beta)
    assert beta.errors == [
        "eu-west-1: securityhub:BatchImportFindings failed (InvalidAccessException): "
        f"Account {o.beta} is not subscribed to AWS Security Hub"
    ]
    assert next(a for a in result.accounts if a.account_id == o.alpha).imported == 2


def test_one_role_arn_reaches_its_account_with_the_external_id(served: Served) -> None:
    _, session, o = served
    sent: list[dict[str, object]] = []
    session.events.register("provide-client-params.sts.AssumeRole", lambda params, **_: sent.append(dict(params)))
    arn = f"arn:aws:iam::{o.beta}:role/{ROLE}"

    result = export(session, organization_report(o), reach=AccountReach(role_arn=arn, role=RoleSpec("ext-1", "sh")))

    assert sent == [{"RoleArn": arn, "RoleSessionName": "sh", "ExternalId": "ext-1"}]
    imported = {a.account_id: (a.imported, bool(a.errors)) for a in result.accounts}
    assert imported == {ACCOUNT_ID: (1, False), o.alpha: (0, True), o.beta: (2, False), o.delta: (0, True)}


def test_the_command_prints_each_account_and_exits_1_when_one_failed(served: Served, tmp_path: Path) -> None:
    """Through the command line, delta's role is assumed (the refusal above is the test session's own), and delta's
    Security Hub is not enabled: its line says so, and the others' findings land."""
    rules, _, o = served
    rules.not_subscribed = {(o.delta, "us-east-1")}
    saved = tmp_path / "mlaudit.json"
    saved.write_text(render_json(organization_report(o)))

    code, out, err = run("export", "security-hub", str(saved), "--role-name", ROLE)

    imported = {ACCOUNT_ID: "imported 1; workflow: none", o.alpha: "imported 2; workflow: none"}
    imported |= {o.beta: "imported 2; workflow: 1 RESOLVED", o.delta: "imported 0; workflow: none"}
    assert out.splitlines() == [
        *(f"account {account}: {line}" for account, line in sorted(imported.items())),
        "imported 5 findings into Security Hub in 4 account(s); 1 account(s) failed",
    ]
    assert err.splitlines() == [
        f"account {o.delta}: error: us-east-1: securityhub:BatchImportFindings failed (InvalidAccessException): "
        f"Account {o.delta} is not subscribed to AWS Security Hub"
    ]
    assert code == 1


def test_what_the_export_sends_is_what_security_hub_takes(served: Served) -> None:
    """Hostile and long values, muted findings with their notes: every finding passes the consumer's rules."""
    rules, session, _ = served
    long_name = "x" * 10_000
    report = report_with(
        [
            finding(long_name, detail=f"owner={long_name}"),
            finding("<script>alert(1)</script>\u202e"),
            muted(finding("muted-one"), reason="r" * 5_000, owner="o" * 3_000),
            account_wide(ACCOUNT_ID, Status.PASS),
        ]
    )
    result = export(session, report)

    assert [(a.imported, a.rejected, a.errors) for a in result.accounts] == [(4, [], [])]
    assert sum(len(i.findings) for i in rules.imports) == 4


def test_batches_of_100_for_both_calls(served: Served) -> None:
    rules, session, _ = served
    report = report_with([finding(f"fixed-{i:03d}", Status.PASS) for i in range(230)])

    result = export(session, report)

    assert (result.accounts[0].imported, dict(result.accounts[0].workflow)) == (230, {"RESOLVED": 230})
    assert [len(i.findings) for i in rules.imports] == [100, 100, 30]
    assert [len(u.body["FindingIdentifiers"]) for u in rules.updates] == [100, 100, 30]
    assert {u.body["Workflow"]["Status"] for u in rules.updates} == {"RESOLVED"}


# -- the home region ------------------------------------------------------------------------------------------
def test_account_wide_findings_stay_in_the_home_region_whatever_regions_were_scanned(aws: boto3.Session) -> None:
    findings = [account_wide(ACCOUNT_ID), finding("in-region", region="eu-west-1")]
    for regions in (["ap-south-1", "eu-west-1", "us-east-1"], ["eu-west-1"]):
        export(aws, report_with(findings, regions), home_region="eu-central-1")

    assert set(stored(aws, "eu-central-1")) == {f"AWS::::Account:{ACCOUNT_ID}"}
    assert set(stored(aws, "eu-west-1")) == {"in-region"}
    assert stored(aws, "ap-south-1") == {} and stored(aws, "us-east-1") == {}
    [wide] = stored(aws, "eu-central-1").values()
    assert wide["ProductArn"] == f"arn:aws:securityhub:eu-central-1:{ACCOUNT_ID}:product/{ACCOUNT_ID}/default"
    assert wide["Resources"][0] == {
        "Type": "AwsAccount",
        "Id": f"AWS::::Account:{ACCOUNT_ID}",
        "Partition": "aws",
        "Region": "eu-central-1",
    }


def test_the_home_region_defaults_to_the_profile_s_region(aws: boto3.Session, tmp_path: Path) -> None:
    saved = tmp_path / "mlaudit.json"
    saved.write_text(render_json(report_with([account_wide(ACCOUNT_ID)], ["us-east-1", "us-west-2"])))

    assert run("export", "security-hub", str(saved), AWS_DEFAULT_REGION="eu-west-1")[0] == 0
    assert run("export", "security-hub", str(saved), "--home-region", "us-west-2")[0] == 0

    assert set(stored(aws, "eu-west-1")) == set(stored(aws, "us-west-2")) == {f"AWS::::Account:{ACCOUNT_ID}"}
    assert stored(aws, "us-east-1") == {}
    code, _, err = run("export", "security-hub", str(saved), "--home-region", "mars-1")
    assert (code, err) == (2, "mlaudit: error: --home-region: unknown region 'mars-1'\n")


# -- the workflow follows mlaudit -------------------------------------------------------------------------------
def test_the_workflow_follows_suppressions_and_fixes(aws: boto3.Session) -> None:
    first = [finding("to-mute"), finding("to-fix"), finding("still-open")]
    export(aws, report_with(first))
    second = report_with([muted(finding("to-mute")), finding("to-fix", Status.PASS), finding("still-open")])
    still_open = stored(aws)["still-open"]
    aws.client("securityhub").batch_update_findings(
        FindingIdentifiers=[{"Id": still_open["Id"], "ProductArn": still_open["ProductArn"]}],
        Workflow={"Status": "NOTIFIED"},
    )

    result = export(aws, second)

    assert dict(result.accounts[0].workflow) == {"SUPPRESSED": 1, "RESOLVED": 1}
    now = stored(aws)
    assert {name: f.get("Workflow") for name, f in now.items()} == {
        "to-mute": {"Status": "SUPPRESSED"},
        "to-fix": {"Status": "RESOLVED"},
        "still-open": {"Status": "NOTIFIED"},
    }, "a FAIL finding keeps the workflow its users gave it"
    note = now["to-mute"]["Note"]
    assert (note["Text"], note["UpdatedBy"]) == (
        "muted by mlaudit (config): accepted risk; owner ml-platform; expires 2027-03-31",
        "mlaudit",
    )
    assert {k: v for k, v in now["to-mute"]["ProductFields"].items() if "Suppression" in k} == {
        "mlaudit/SuppressionSource": "config",
        "mlaudit/SuppressionReason": "accepted risk",
        "mlaudit/SuppressionOwner": "ml-platform",
        "mlaudit/SuppressionExpires": "2027-03-31",
    }

    export(aws, report_with([finding("to-mute"), finding("to-fix", Status.PASS)]), previous=second)
    assert stored(aws)["to-mute"]["Workflow"] == {"Status": "NEW"}, "muted before, FAIL now: back to NEW"


def test_unprocessed_workflow_updates_are_the_account_s_errors(aws: boto3.Session) -> None:
    report = report_with([finding("fixed", Status.PASS)])
    answer(
        aws,
        "securityhub",
        "BatchUpdateFindings",
        {
            "ProcessedFindings": [],
            "UnprocessedFindings": [
                {
                    "FindingIdentifier": {"Id": "mlaudit/x", "ProductArn": "arn"},
                    "ErrorCode": "ConcurrentUpdateError",
                    "ErrorMessage": "Concurrent finding updates detected",
                }
            ],
        },
    )
    result = export(aws, report)

    [account] = result.accounts
    assert (account.imported, dict(account.workflow), result.failed) == (1, {}, True)
    assert [(r.finding_id, r.error_code, r.step) for r in account.rejected] == [
        ("mlaudit/x", "ConcurrentUpdateError", "workflow")
    ]


def test_rejected_findings_are_listed_and_get_no_workflow_update(aws: boto3.Session) -> None:
    report = report_with([finding("fixed", Status.PASS)])
    identifier = asff_finding(report.findings[0], report)["Id"]
    failed = {"Id": identifier, "ErrorCode": "InvalidInput", "ErrorMessage": "bad"}
    answer(aws, "securityhub", "BatchImportFindings", {"FailedCount": 1, "SuccessCount": 0, "FailedFindings": [failed]})

    result = export(aws, report)
    [account] = result.accounts
    assert ([r.error_code for r in account.rejected], dict(account.workflow)) == (["InvalidInput"], {})


def test_failed_only_sends_fail_and_muted_and_a_clean_export_exits_0(aws: boto3.Session, tmp_path: Path) -> None:
    report = report_with([finding("open"), finding("fixed", Status.PASS), muted(finding("accepted"))])
    saved = tmp_path / "mlaudit.json"
    saved.write_text(render_json(report))

    code, out, err = run("export", "security-hub", str(saved), "--failed-only")

    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"account {ACCOUNT_ID}: imported 2; workflow: 1 SUPPRESSED",
        "imported 2 findings into Security Hub in 1 account(s)",
    ]
    assert {name: (f["Compliance"]["Status"], f["GeneratorId"]) for name, f in stored(aws).items()} == {
        "open": ("FAILED", report.findings[0].check_id),
        "accepted": ("FAILED", report.findings[0].check_id),
    }


def test_contradicting_role_options_are_one_line_and_exit_2(aws: boto3.Session, tmp_path: Path) -> None:
    saved = tmp_path / "mlaudit.json"
    saved.write_text(render_json(report_with([finding("x")])))
    arn = f"arn:aws:iam::{ACCOUNT_ID}:role/{ROLE}"

    assert run("export", "security-hub", str(saved), "--role-name", ROLE, "--role-arn", arn)[::2] == (
        2,
        "mlaudit: error: --role-name reaches every account and --role-arn one: choose one\n",
    )
    assert run("export", "security-hub", str(saved), "--external-id", "e")[::2] == (
        2,
        "mlaudit: error: --external-id is passed when assuming a role: add --role-name or --role-arn\n",
    )
    assert run("export", "security-hub", str(saved), "--role-name", "no spaces")[::2] == (
        2,
        "mlaudit: error: --role-name: 'no spaces' is not a valid IAM role name\n",
    )
    assert stored(aws) == {}, "nothing was sent"


# -- credentials ----------------------------------------------------------------------------------------------
def test_without_credentials_the_export_says_what_scan_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = tmp_path / "mlaudit.json"
    saved.write_text(render_json(report_with([finding("x")])))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")

    exported = run("export", "security-hub", str(saved))
    scanned = run("scan", "--region", "us-east-1", "--output-dir", str(tmp_path / "out"))

    assert exported[0] == scanned[0] == 2
    assert (
        exported[2]
        == scanned[2]
        == ("mlaudit: error: no AWS credentials found (pass --profile, set AWS_PROFILE, or run `aws configure`)\n")
    )


# -- ASFF: resource types, identifiers, streaming ------------------------------------------------------------------
def test_resource_types_are_security_hub_s_own_or_other() -> None:
    details = set(botocore.session.get_session().get_service_model("securityhub").shape_for("ResourceDetails").members)
    assert set(RESOURCE_TYPES.values()) - details == {"AwsAccount"}
    report = report_with([])

    def typed(resource_type: str) -> dict[str, str]:
        return asff_finding(finding("r").model_copy(update={"resource_type": resource_type}), report)["Resources"][0]

    assert typed("AWS::EC2::VPC")["Type"] == "AwsEc2Vpc"
    assert typed("AWS::EC2::VPCEndpoint")["Type"] == "Other", "AwsEc2VpcEndpointService is an endpoint service"
    assert typed("AWS::SageMaker::Endpoint")["Type"] == "Other"
    assert typed("AWS::Account") == {
        "Type": "AwsAccount",
        "Id": f"AWS::::Account:{ACCOUNT_ID}",
        "Partition": "aws",
        "Region": "us-east-1",
    }


def test_identifiers_over_512_characters_keep_a_hash_of_the_whole() -> None:
    long_a, long_b = "arn:aws:s3:::" + "a" * 600 + "-one", "arn:aws:s3:::" + "a" * 600 + "-two"
    assert fit_id("short") == "short" and fit_id("x" * ID_LIMIT) == "x" * ID_LIMIT
    assert len(fit_id(long_a)) == ID_LIMIT and fit_id(long_a) == fit_id(long_a) != fit_id(long_b)
    assert fit_id(long_a).startswith(long_a[:480]) and "..." in fit_id(long_a)
    item = asff_finding(finding("b").model_copy(update={"resource_arn": long_a}), report_with([]))
    assert item["Resources"][0]["Id"] == fit_id(long_a)
    assert item["ProductFields"]["mlaudit/ResourceArn"] == long_a, "the whole ARN is kept"


class CountingStream(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def write(self, text: str) -> int:
        self.sizes.append(len(text))
        return super().write(text)


def test_asff_is_written_finding_by_finding_as_valid_json() -> None:
    report = report_with([finding(f"endpoint-{i}") for i in range(50)])
    out = CountingStream()
    write_asff(report, RenderOptions(), out)

    parsed = json.loads(out.getvalue())
    assert parsed == [asff_finding(f, report) for f in report.findings]
    assert len(out.sizes) == 1 + 2 * 50 + 1 and max(out.sizes) < 3_000, "one write per finding, never the whole file"
    assert json.loads(FORMATS["asff"].render(report_with([]), RenderOptions())) == []
    assert FORMATS["asff"].render(report, RenderOptions()) == out.getvalue()
