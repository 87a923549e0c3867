"""Faults that hit a whole account of a multi-account scan: role credentials that expire mid-scan (refreshed, or
not), and a service control policy that denies every call in one member account. Each stays within its account,
the report is still written, and nothing that was not evaluated is PASS. docs/reliability.md states these cases.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto.core.config import default_user_config

from faults import FaultInjector, FaultKind, FaultRule
from mlaudit.collect.accounts.targets import AccountSelection
from mlaudit.core.taxonomy import Status
from mlaudit.demo.server import moto_server
from mlaudit.report.model import Report, ScanStatus
from mlaudit.scan import ScanOptions, run_scan
from organization import CHECKS, REGIONS, ROLE, Organization, build_organization, organization  # noqa: F401 - the fixture
from support import refuse, select

Verdicts = dict[tuple[str, str, str], Status]


def org_scan(session: boto3.Session, endpoint_url: str | None = None) -> Report:
    selection = AccountSelection(org=True, role_name=ROLE)
    return run_scan(
        ScanOptions(
            session=session, endpoint_url=endpoint_url, regions=REGIONS, checks=select(CHECKS), accounts=selection
        )
    ).report


def by_account(report: Report) -> Verdicts:
    return {(f.account_id, f.check_id, f.resource_name): f.status for f in report.findings}


def others(verdicts: Verdicts, account_id: str) -> Verdicts:
    return {key: status for key, status in verdicts.items() if key[0] != account_id}


def expiring(aws: boto3.Session, account_id: str, answers: int) -> list[str]:
    """The first `answers` role sessions STS gives for `account_id` expire in five minutes, within botocore's
    mandatory refresh window: each is replaced at the next call that signs with it. Returns the body of every
    AssumeRole call, for counting."""
    assumed: list[str] = []
    left = [answers]

    def record(params: dict[str, Any], **_: Any) -> None:
        assumed.append(repr(params.get("body")))

    def shorten(parsed: dict[str, Any], **_: Any) -> None:
        if f":{account_id}:" in parsed.get("AssumedRoleUser", {}).get("Arn", "") and left[0] > 0:
            left[0] -= 1
            parsed["Credentials"]["Expiration"] = datetime.now(UTC) + timedelta(minutes=5)

    aws.events.register("before-call.sts.AssumeRole", record)
    aws.events.register("after-call.sts.AssumeRole", shorten)
    return assumed


def test_role_credentials_that_expire_mid_scan_are_refreshed(aws: boto3.Session, organization: Organization) -> None:
    """Alpha's role session expires twice (the one assumed before the scan, the one assumed again at its first
    call): botocore assumes the role again each time, and alpha's notebook is judged as without expiry."""
    alpha = organization.alpha
    assumed = expiring(aws, alpha, answers=2)

    report = org_scan(aws)

    assert {key: status for key, status in by_account(report).items() if key[0] == alpha} == {
        (alpha, "SM-NOTEBOOK-001", "alpha-locked"): Status.FAIL,
        (alpha, "SM-NOTEBOOK-003", "alpha-locked"): Status.PASS,
    }
    assert sum(alpha in body for body in assumed) == 3, "assumed, refreshed twice, then kept"
    assert sum(organization.beta in body for body in assumed) == 1
    assert {e.account_id for e in report.scan.errors} == {organization.delta}, (
        "only the account that is never reachable"
    )


def test_a_refresh_that_fails_makes_the_rest_of_that_account_error(
    aws: boto3.Session, organization: Organization
) -> None:
    """Alpha's role session expires and assuming the role again is denied: every check in alpha is ERROR naming
    sts:AssumeRole and the code, the other accounts keep their verdicts, and the report is written.

    The refusal starts with the first refresh. Letting one refresh through would give that session to whichever
    region calls first, and a region without notebooks that won it would rightly have no finding at all."""
    alpha = organization.alpha
    baseline = org_scan(aws)
    expiring(aws, alpha, answers=1)
    refuse(aws, "sts", "AssumeRole", code="AccessDenied", message="not authorized to assume", only_for=alpha, after=1)

    report = org_scan(aws)

    in_alpha = [f for f in report.findings if f.account_id == alpha]
    assert in_alpha and all(f.status is Status.ERROR for f in in_alpha)
    assert all("sts:AssumeRole" in f.status_detail and "(AccessDenied)" in f.status_detail for f in in_alpha)
    assert {f.region for f in in_alpha} == set(REGIONS), "one scope ERROR per check and region: nothing judged PASS"
    assert others(by_account(report), alpha) == others(by_account(baseline), alpha)
    assert report.scan.status is ScanStatus.PARTIAL
    assert {(e.service, e.operation) for e in report.scan.errors if e.account_id == alpha} == {("sts", "AssumeRole")}


# -- a service control policy denying a whole member account --------------------------------------------------------
@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, FaultInjector, boto3.Session, Organization]]:
    """The organization in a moto server behind the fault layer (which can tell the accounts' credentials apart)."""
    faults = FaultInjector()
    with moto_server(faults) as url:
        # Each account's IAM would load every AWS managed policy (seconds each); these checks read none. The
        # server restores its own setting when it stops.
        default_user_config["iam"] = {"load_aws_managed_policies": False}
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
        session = boto3.Session(region_name="us-east-1")
        yield url, faults, session, build_organization(session)


def test_an_scp_denying_every_call_in_one_member_account(
    served: tuple[str, FaultInjector, boto3.Session, Organization],
) -> None:
    url, faults, session, organization = served
    beta = organization.beta
    baseline = org_scan(session, url)
    faults.rules = [FaultRule(FaultKind.ACCESS_DENIED, account=beta, scp=True)]

    report = org_scan(session, url)

    in_beta = [f for f in report.findings if f.account_id == beta]
    assert in_beta and all(f.status is Status.ERROR and "(AccessDeniedException)" in f.status_detail for f in in_beta)
    assert {f.region for f in in_beta} == set(REGIONS)
    assert others(by_account(report), beta) == others(by_account(baseline), beta)
    assert faults.count(FaultKind.ACCESS_DENIED) > 0 and {e.account_id for e in report.scan.errors} - {
        e.account_id for e in baseline.scan.errors
    } == {beta}
    [scp] = [w for w in report.scan.warnings if "service control policy" in w]
    assert scp.startswith(f"a service control policy denies 1 IAM action(s) the checks need in account(s) {beta}: ")
    assert "sagemaker:ListNotebookInstances (in eu-west-1, us-east-1)" in scp and "exempt the audit role" in scp
    missing = [w for w in report.scan.warnings if w.startswith("missing permissions")]
    assert missing == [w for w in baseline.scan.warnings if w.startswith("missing permissions")], "delta's role only"
