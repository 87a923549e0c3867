"""How collection talks to AWS: endpoints, regions, retries, lookback, and collecting only what checks need."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from click.testing import CliRunner

from mlaudit.cli import cli
from mlaudit.collect.accounts.regions import discover_regions
from mlaudit.collect.accounts.session import AwsClients, retry_settings
from mlaudit.collect.engine.service_model import service_model
from mlaudit.demo.server import moto_server
from support import ROLE_ARN, scan


def test_aws_endpoint_url_is_honoured_without_any_option(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    with moto_server() as url:
        boto3.client("sagemaker", endpoint_url=url).create_notebook_instance(
            NotebookInstanceName="via-env", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN
        )
        monkeypatch.setenv("AWS_ENDPOINT_URL", url)
        result = CliRunner().invoke(
            cli, ["scan", "--region", "us-east-1", "--checks", "SM-NOTEBOOK-001", "--format", "json", "--output", "-"]
        )
    assert result.exit_code == 1, result.stderr
    assert [f["resource_name"] for f in json.loads(result.stdout)["findings"]] == ["via-env"]


def test_default_regions_are_enabled_regions_offering_sagemaker(aws: boto3.Session) -> None:
    regions = discover_regions(AwsClients(aws, home_region="us-east-1"), "aws")
    assert {"us-east-1", "eu-west-1", "ap-southeast-2"} <= set(regions)
    assert set(regions) <= set(aws.get_available_regions("sagemaker"))


def test_retry_defaults_yield_to_the_user(monkeypatch: pytest.MonkeyPatch) -> None:
    assert retry_settings(boto3.Session()) == {"mode": "standard", "total_max_attempts": 5}
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "12")
    monkeypatch.setenv("AWS_RETRY_MODE", "adaptive")
    session = boto3.Session()
    assert retry_settings(session) == {}
    client = AwsClients(session, home_region="us-east-1").client("sagemaker")
    assert client.meta.config.retries["mode"] == "adaptive"
    assert client.meta.config.retries["total_max_attempts"] == 12


def test_the_clients_and_the_page_sizes_read_one_parsed_model(aws: boto3.Session) -> None:
    """A service model is parsed once per process: the clients of a scan and the module that reads page sizes and
    shapes (`service_model`) get the same parsed document, not a copy each (40 MB less at 100 resources)."""
    client = AwsClients(aws, home_region="us-east-1").client("sagemaker", "us-east-1")
    parsed = client.meta.service_model._service_description  # botocore keeps the parsed document there
    assert service_model("sagemaker")._service_description is parsed


def test_a_client_has_read_its_paginators_once_made(aws: boto3.Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Paging a client reads nothing more from botocore's loader: the paginator models are read as the client is
    made, under the clients' lock, not by every thread at its first page (the loader's caches take no lock, and a
    scan's threads at once each listed botocore's data directories again)."""
    client = AwsClients(aws, home_region="us-east-1").client("sagemaker", "eu-west-1")
    loader = client._loader  # the loader botocore's client reads its paginators with
    read: list[tuple[object, ...]] = []
    original = loader.load_service_model
    monkeypatch.setattr(loader, "load_service_model", lambda *args, **kw: read.append(args) or original(*args, **kw))

    client.get_paginator("list_training_jobs")

    assert read == []


def test_training_jobs_are_bounded_by_the_lookback_window(aws: boto3.Session) -> None:
    sent: list[dict[str, object]] = []
    aws.events.register(
        "provide-client-params.sagemaker.ListTrainingJobs", lambda params, **_: sent.append(dict(params))
    )
    before = datetime.now(UTC)

    scan(aws, ["S3-ML-001"], since_days=30)

    [params] = sent
    bound = params["CreationTimeAfter"]
    assert isinstance(bound, datetime)
    assert abs((before - timedelta(days=30)) - bound) < timedelta(minutes=1)


def test_the_report_states_the_history_it_read(aws: boto3.Session) -> None:
    report = scan(aws, ["SM-TRAINING-001", "SM-PIPELINE-002"], since_days=30)

    bounds = {bound.part: bound for bound in report.scan.history}
    assert set(bounds) == {"sagemaker.training_job", "sagemaker.pipeline_recent_executions"}
    assert bounds["sagemaker.training_job"].created_since == report.scan.since
    assert bounds["sagemaker.training_job"].describe() == f"training jobs created since {report.scan.since:%Y-%m-%d}"
    assert (
        bounds["sagemaker.pipeline_recent_executions"].describe()
        == "recent pipeline executions: the newest 5 per pipeline"
    )
    assert scan(aws, ["SM-NOTEBOOK-001"]).scan.history == []


def test_one_check_collects_only_its_parts(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    sagemaker.create_notebook_instance(NotebookInstanceName="nb", InstanceType="ml.t3.medium", RoleArn=ROLE_ARN)
    sagemaker.create_model(ModelName="m", ExecutionRoleArn=ROLE_ARN, PrimaryContainer={"Image": "img"})

    report = scan(aws, ["SM-NOTEBOOK-001"])

    assert set(report.scan.statistics.by_operation) == {
        "sts:GetCallerIdentity",
        "sagemaker:ListNotebookInstances",
        "sagemaker:DescribeNotebookInstance",
    }


def test_each_resource_is_described_once_whatever_the_number_of_checks(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    for name in ("a", "b", "c"):
        sagemaker.create_notebook_instance(NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=ROLE_ARN)

    report = scan(aws, ["SM-NOTEBOOK-001", "SM-NOTEBOOK-003", "IAM-ML-001"], regions=("us-east-1", "eu-west-1"))

    calls = report.scan.statistics.by_operation
    assert calls["sagemaker:DescribeNotebookInstance"] == 3
    assert calls["sagemaker:ListNotebookInstances"] == 2, "once per region"
    assert calls["iam:GetRole"] == 1, "the shared role is described once"


@pytest.mark.parametrize(
    "value",
    [
        1700000000,
        1700000000.125,
        "1700000000",
        "2023-11-14T22:13:20Z",
        "2023-11-14T22:13:20.125+02:00",
        "Tue, 14 Nov 2023 22:13:20 GMT",
        "2023-11-14T22:13:20",
    ],
)
def test_timestamps_are_the_instants_botocore_parses(value: object) -> None:
    """mlaudit's faster timestamp parser (installed in every session it scans with) agrees with botocore's."""
    from botocore.utils import parse_timestamp as botocore_parse

    from mlaudit.collect.accounts.session import parse_timestamp

    assert parse_timestamp(value) == botocore_parse(value)
    assert (parse_timestamp(value).tzinfo is None) == (botocore_parse(value).tzinfo is None)
