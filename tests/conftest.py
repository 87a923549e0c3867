"""Shared fixtures: an isolated environment and an in-process moto account with mlaudit's moto extensions.

Tests create resources with plain boto3 calls and scan them through mlaudit's real collection path; nothing of
mlaudit's own code is mocked. Credentials are fake and every AWS_* variable that could reach a real account is
cleared.
"""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from mlaudit.demo import moto_extensions
from mlaudit.demo.estate import seed
from mlaudit.demo.server import DEMO_REGIONS, demo_session, moto_server
from mlaudit.scan import ScanOptions, ScanResult, run_scan
from support import Recorder


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_REGION",
        "AWS_RETRY_MODE",
        "AWS_MAX_ATTEMPTS",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "NO_COLOR",
        "CI",
    ):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


def _account(load_managed_policies: bool) -> Iterator[boto3.Session]:
    moto_extensions.install()
    with mock_aws(config={"iam": {"load_aws_managed_policies": load_managed_policies}}):
        yield boto3.Session(region_name="us-east-1")


@pytest.fixture
def aws() -> Iterator[boto3.Session]:
    """An empty, in-process moto account."""
    yield from _account(load_managed_policies=False)


@pytest.fixture
def aws_with_managed_policies() -> Iterator[boto3.Session]:
    """An empty moto account where AWS managed IAM policies exist, as in a real account (slower to start)."""
    yield from _account(load_managed_policies=True)


@pytest.fixture(scope="session")
def demo_scan() -> Iterator[tuple[ScanResult, Recorder]]:
    """The demo account scanned once, over HTTP, with every check; shared by the tests that read its report. The
    recorder counts the scan's calls and keeps the raw answers of the seeding and of the scan."""
    recorder = Recorder()
    with moto_server() as url:
        seeding = demo_session()
        seeding.events.register("after-call", recorder.answered)
        seed(seeding, url)
        session = demo_session()
        session.events.register("before-call", recorder)
        session.events.register("after-call", recorder.answered)
        yield run_scan(ScanOptions(regions=DEMO_REGIONS, endpoint_url=url, session=session)), recorder
