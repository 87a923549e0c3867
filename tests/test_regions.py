"""Regions and services that cannot be scanned: skipped once each, with a reason, instead of an error storm.

An opt-in region the account has not enabled and a service botocore says is not offered in a region hold nothing:
they are skipped and their checks report nothing. An endpoint that does not resolve is a place mlaudit could not
look: it is skipped once, and its checks report ERROR. docs/reliability.md states these cases.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from click.testing import CliRunner
from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend

from mlaudit.cli import cli
from mlaudit.collect.accounts.regions import not_offered
from mlaudit.collect.run import collect_inventory
from mlaudit.core.taxonomy import Status
from mlaudit.inventory import SkippedScope, SkipReason
from mlaudit.report.model import ScanStatus
from mlaudit.report.saved import load_inventory, save_inventory
from mlaudit.scan import ScanOptions
from support import ACCOUNT_ID, ROLE_ARN, scan, select

OPT_IN_REGION = "ap-east-1"
"""An opt-in region (moto's DescribeRegions says `not-opted-in`) where botocore knows no Bedrock endpoint."""
NOTEBOOK_CHECKS = ["SM-NOTEBOOK-001", "SM-NOTEBOOK-003"]


def notebook(session: boto3.Session, name: str, region: str) -> None:
    session.client("sagemaker", region_name=region).create_notebook_instance(
        NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=ROLE_ARN
    )


def regions_called(session: boto3.Session) -> set[tuple[str, str]]:
    """(service, region) of every call the session's clients make from now on."""
    called: set[tuple[str, str]] = set()
    session.events.register(
        "before-call",
        lambda model, context, **_: called.add((model.service_model.service_name, context["client_region"])),
    )
    return called


@pytest.fixture
def opted_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """The account has enabled the opt-in region (moto's DescribeRegions answers `opted-in`)."""
    region = next(r for r in RegionsAndZonesBackend.regions if r.name == OPT_IN_REGION)
    monkeypatch.setattr(region, "opt_in_status", "opted-in")


def test_moto_lists_the_opt_in_region_as_not_enabled(aws: boto3.Session) -> None:
    """The premise of the tests: DescribeRegions(AllRegions) gives each region's OptInStatus."""
    regions = aws.client("ec2").describe_regions(AllRegions=True)["Regions"]
    status = {r["RegionName"]: r["OptInStatus"] for r in regions}
    assert status[OPT_IN_REGION] == "not-opted-in" and status["us-east-1"] == "opt-in-not-required"


def test_a_requested_region_the_account_has_not_enabled_is_skipped_and_reports_nothing(aws: boto3.Session) -> None:
    notebook(aws, "home", "us-east-1")
    notebook(aws, "unreachable", OPT_IN_REGION)  # moto would answer; AWS could not hold it
    called = regions_called(aws)

    report = scan(aws, NOTEBOOK_CHECKS, regions=("us-east-1", OPT_IN_REGION))

    assert {(f.resource_name, f.region) for f in report.findings} == {("home", "us-east-1")}
    assert report.scan.skipped == [
        SkippedScope(account_id=ACCOUNT_ID, region=OPT_IN_REGION, service=None, reason=SkipReason.REGION_NOT_ENABLED)
    ]
    assert report.scan.regions == ["us-east-1"] and report.scan.status is ScanStatus.COMPLETE
    assert not {region for _, region in called} - {"us-east-1"}, "no call goes to a region that is not enabled"
    assert report.scan.warnings == [
        f"skipped regions not enabled in the account (nothing can exist there): {OPT_IN_REGION} (account {ACCOUNT_ID})"
    ]


def test_an_enabled_opt_in_region_is_scanned_without_the_services_not_offered_there(
    aws: boto3.Session, opted_in: None
) -> None:
    notebook(aws, "east", OPT_IN_REGION)
    aws.client("bedrock").create_guardrail(name="guard", blockedInputMessaging="no", blockedOutputsMessaging="no")
    called = regions_called(aws)

    report = scan(aws, [*NOTEBOOK_CHECKS, "BR-GUARDRAIL-002"], regions=("us-east-1", OPT_IN_REGION))

    judged = {(f.check_id, f.region) for f in report.findings}
    assert ("SM-NOTEBOOK-001", OPT_IN_REGION) in judged and ("BR-GUARDRAIL-002", "us-east-1") in judged
    assert ("BR-GUARDRAIL-002", OPT_IN_REGION) not in judged
    assert ("bedrock", OPT_IN_REGION) not in called and ("bedrock", "us-east-1") in called
    assert report.scan.skipped == [
        SkippedScope(
            account_id=ACCOUNT_ID, region=OPT_IN_REGION, service="bedrock", reason=SkipReason.SERVICE_NOT_OFFERED
        )
    ]
    assert report.scan.status is ScanStatus.COMPLETE and Status.ERROR not in {f.status for f in report.findings}


BEDROCK_WITHOUT_AGENTS = "us-west-1"
"""A region where botocore lists Bedrock, and where AWS documents no Agents for Amazon Bedrock endpoint."""


def test_a_region_with_bedrock_but_no_agents_endpoint_skips_the_agents_with_the_reason(aws: boto3.Session) -> None:
    assert BEDROCK_WITHOUT_AGENTS in aws.get_available_regions("bedrock")
    assert not_offered(aws, "bedrock-agent", BEDROCK_WITHOUT_AGENTS, "aws")
    for region in ("us-east-1", BEDROCK_WITHOUT_AGENTS):
        aws.client("bedrock", region_name=region).create_guardrail(
            name=f"guard-{region}", blockedInputMessaging="no", blockedOutputsMessaging="no"
        )
        aws.client("bedrock-agent", region_name=region).create_agent(  # moto answers; AWS has no endpoint there
            agentName=f"agent-{region}", agentResourceRoleArn=ROLE_ARN, foundationModel="anthropic.claude-v2"
        )
    called = regions_called(aws)

    report = scan(aws, ["BR-AGENT-001", "BR-GUARDRAIL-002"], regions=("us-east-1", BEDROCK_WITHOUT_AGENTS))

    judged = {(f.check_id, f.resource_name) for f in report.findings}
    assert judged == {
        ("BR-AGENT-001", "agent-us-east-1"),
        ("BR-GUARDRAIL-002", "guard-us-east-1"),
        ("BR-GUARDRAIL-002", f"guard-{BEDROCK_WITHOUT_AGENTS}"),
    }
    assert ("bedrock-agent", BEDROCK_WITHOUT_AGENTS) not in called and ("bedrock", BEDROCK_WITHOUT_AGENTS) in called
    assert report.scan.skipped == [
        SkippedScope(
            account_id=ACCOUNT_ID,
            region=BEDROCK_WITHOUT_AGENTS,
            service="bedrock-agent",
            reason=SkipReason.SERVICE_NOT_OFFERED,
        )
    ]
    assert report.scan.status is ScanStatus.COMPLETE and Status.ERROR not in {f.status for f in report.findings}


def test_a_region_or_service_botocore_does_not_know_is_never_taken_for_not_offered(aws: boto3.Session) -> None:
    assert not_offered(aws, "bedrock", OPT_IN_REGION, "aws")
    assert not not_offered(aws, "bedrock", "us-east-1", "aws")
    assert not not_offered(aws, "bedrock", "xx-future-1", "aws"), "a region newer than botocore may offer it"
    assert not aws.get_available_regions("bedrock-agent") and not not_offered(aws, "bedrock-agent", "us-east-1", "aws")
    assert not not_offered(aws, "bedrock-agent", "xx-future-1", "aws")


# -- an endpoint that does not resolve -------------------------------------------------------------------------------
UNRESOLVED_REGION = "eu-west-3"
MAX_ATTEMPTS = 2


def unresolvable(session: boto3.Session, service: str, region: str) -> list[str]:
    """Send the service's requests in `region` to a host name that does not resolve (`.invalid`, RFC 2606), before
    moto can answer them: botocore meets a real DNS failure. Returns the URLs tried, one per attempt."""
    tried: list[str] = []

    def redirect(request: Any, **_: Any) -> None:
        if f"{service}.{region}." in request.url:
            tried.append(request.url)
            request.url = "https://unresolvable.invalid/"

    session.events.register_first("before-send", redirect)
    return tried


def test_an_endpoint_that_does_not_resolve_is_skipped_once_and_its_checks_are_error(
    aws: boto3.Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", str(MAX_ATTEMPTS))
    for region in ("us-east-1", UNRESOLVED_REGION):
        notebook(aws, f"nb-{region}", region)
    tried = unresolvable(aws, "sagemaker", UNRESOLVED_REGION)
    checks = [*NOTEBOOK_CHECKS, "SM-ENDPOINT-001", "SM-MODEL-001"]

    report = scan(aws, checks, regions=("us-east-1", UNRESOLVED_REGION), max_workers=1)

    assert report.scan.skipped == [
        SkippedScope(
            account_id=ACCOUNT_ID,
            region=UNRESOLVED_REGION,
            service="sagemaker",
            reason=SkipReason.ENDPOINT_NOT_RESOLVED,
        )
    ]
    assert len(tried) == MAX_ATTEMPTS, "the first call retries; every later one fails at once"
    west = [f for f in report.findings if f.region == UNRESOLVED_REGION]
    assert {f.check_id for f in west} == set(checks), "every check of the region reports that it could not look"
    assert all(f.status is Status.ERROR and "EndpointConnectionError" in f.status_detail for f in west)
    home = {(f.check_id, f.resource_name): f.status for f in report.findings if f.region == "us-east-1"}
    assert home == {("SM-NOTEBOOK-001", "nb-us-east-1"): Status.FAIL, ("SM-NOTEBOOK-003", "nb-us-east-1"): Status.FAIL}
    assert report.scan.status is ScanStatus.PARTIAL
    assert (
        "could not reach endpoints that did not resolve (DNS); their checks report ERROR: "
        f"sagemaker in {UNRESOLVED_REGION} (account {ACCOUNT_ID})"
    ) in report.scan.warnings


# -- where skipped scopes are kept and shown -------------------------------------------------------------------------
def test_a_snapshot_keeps_the_skipped_scopes_and_older_snapshots_still_load(aws: boto3.Session, tmp_path: Path) -> None:
    options = ScanOptions(session=aws, regions=("us-east-1", OPT_IN_REGION), checks=select(NOTEBOOK_CHECKS))
    inventory = collect_inventory(options, options.parts)
    path = tmp_path / "inventory.json"
    save_inventory(inventory, path)
    assert load_inventory(path).skipped == inventory.skipped != []

    older = json.loads(path.read_text())
    del older["skipped"]
    older["format_version"] = "1.1"
    path.write_text(json.dumps(older))
    assert load_inventory(path).skipped == []


def test_skipped_regions_are_a_warning_on_the_terminal_and_a_note_in_the_html_report(
    aws: boto3.Session, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "scan",
            "--region",
            f"us-east-1,{OPT_IN_REGION}",
            "--checks",
            ",".join(NOTEBOOK_CHECKS),
            "--output-dir",
            str(tmp_path),
            "--format",
            "json,html",
            "--fail-on",
            "none",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert (
        f"mlaudit: warning: skipped regions not enabled in the account (nothing can exist there): {OPT_IN_REGION}"
        in result.stderr
    )
    assert json.loads((tmp_path / "mlaudit.json").read_text())["scan"]["skipped"] == [
        {"account_id": ACCOUNT_ID, "region": OPT_IN_REGION, "service": None, "reason": "region-not-enabled"}
    ]
    html = (tmp_path / "mlaudit.html").read_text()
    assert (
        "1 scope not scanned" in html and f"{OPT_IN_REGION} (account {ACCOUNT_ID}): the region is not enabled" in html
    )
