"""Unexpected API shapes: an answer missing a member the service model marks required, an enum value the model does
not list, an empty page with a next token. The resource is kept, the anomaly is in the report (never the answer
itself), no check crashes, and the scan stays complete. docs/reliability.md states what holds."""

from __future__ import annotations

import json
from pathlib import Path

import boto3

from mlaudit.collect.run import collect_inventory
from mlaudit.core.taxonomy import Status
from mlaudit.inventory import AnomalyKind, ApiAnomaly, Endpoint
from mlaudit.renderers.html import render_html
from mlaudit.renderers.json_report import render_json
from mlaudit.renderers.markdown import render_markdown
from mlaudit.report.merging import merge_reports
from mlaudit.report.model import Report, ScanStatus
from mlaudit.report.saved import load_inventory, load_report, save_inventory
from mlaudit.scan import ScanOptions, run_scan
from support import ACCOUNT_ID, answer_when, create_endpoint, create_model, scan, select

ENDPOINT_CHECKS = ["SM-ENDPOINT-*"]


def _endpoints(session: boto3.Session, *names: str) -> None:
    create_model(session, "m")
    for name in names:
        create_endpoint(session, name, "m")


def _describe_answer(session: boto3.Session, name: str, **fields: object) -> None:
    """DescribeEndpoint for `name` answers moto's own answer with `fields` replaced (None: left out)."""
    answer = session.client("sagemaker").describe_endpoint(EndpointName=name)
    answer.pop("ResponseMetadata")
    body = {key: value for key, value in {**answer, **fields}.items() if value is not None}
    answer_when(session, "sagemaker", "DescribeEndpoint", f'"{name}"', body)


def _verdicts(report: Report, name: str) -> dict[str, Status]:
    """The verdict of every check on the resource `name`, by check; no check crashed on any resource."""
    assert not [f.status_detail for f in report.findings if " raised " in f.status_detail]
    return {f.check_id: f.status for f in report.findings if f.resource_name == name}


def _anomaly(kind: AnomalyKind, path: str, value: str | None = None, count: int = 1, **where: str) -> ApiAnomaly:
    return ApiAnomaly(
        service=where.get("service", "sagemaker"),
        operation=where.get("operation", "DescribeEndpoint"),
        account_id=ACCOUNT_ID,
        region="us-east-1",
        path=path,
        kind=kind,
        value=value,
        count=count,
    )


def test_a_missing_required_field_keeps_the_resource_and_is_reported(aws: boto3.Session) -> None:
    _endpoints(aws, "odd", "plain")
    _describe_answer(aws, "odd", CreationTime=None, LastModifiedTime=None)

    result = run_scan(ScanOptions(session=aws, regions=("us-east-1",), checks=select(ENDPOINT_CHECKS)))
    report = result.report

    assert _verdicts(report, "odd") == _verdicts(report, "plain") and Status.PASS in _verdicts(report, "odd").values()
    assert report.scan.anomalies == [
        _anomaly(AnomalyKind.MISSING_REQUIRED_FIELD, "CreationTime"),
        _anomaly(AnomalyKind.MISSING_REQUIRED_FIELD, "LastModifiedTime"),
    ]
    assert report.scan.status is ScanStatus.COMPLETE and report.scan.errors == []
    [warning] = report.scan.warnings
    assert warning.startswith(
        "2 deviation(s) from the service model in AWS answers (missing required field) in "
        "sagemaker:DescribeEndpoint; the resources were kept"
    )


def test_an_unknown_enum_value_keeps_the_resource_and_is_reported_with_its_value(aws: boto3.Session) -> None:
    """An endpoint status AWS does not list yet is kept as AWS sent it (the endpoint checks judge serving endpoints
    only, so they leave it out; its endpoint config is still judged). A listed value in another case is not an
    anomaly (EC2 answers `available` where its model lists `Available`)."""
    _endpoints(aws, "migrating", "shouting")
    _describe_answer(aws, "migrating", EndpointStatus="Migrating")
    _describe_answer(aws, "shouting", EndpointStatus="INSERVICE")

    result = run_scan(ScanOptions(session=aws, regions=("us-east-1",), checks=select(ENDPOINT_CHECKS)))

    assert {e.name: e.status for e in result.inventory.all_records(Endpoint)} == {
        "migrating": "Migrating",
        "shouting": "INSERVICE",
    }
    assert _verdicts(result.report, "migrating-config") == {
        "SM-ENDPOINT-001": Status.FAIL,
        "SM-ENDPOINT-014": Status.PASS,
    }
    assert result.report.scan.anomalies == [_anomaly(AnomalyKind.UNKNOWN_ENUM_VALUE, "EndpointStatus", "Migrating")]
    assert result.report.scan.status is ScanStatus.COMPLETE


def test_anomalies_in_a_list_are_counted_once_per_field(aws: boto3.Session) -> None:
    """Every summary of a list page lacks the same required member: one anomaly, counted per summary."""
    _endpoints(aws, "first", "second")
    summaries = [
        {"EndpointName": name, "EndpointArn": f"arn:aws:sagemaker:us-east-1:{ACCOUNT_ID}:endpoint/{name}"}
        for name in ("first", "second")
    ]
    answer_when(aws, "sagemaker", "ListEndpoints", "", {"Endpoints": summaries})

    report = scan(aws, ENDPOINT_CHECKS)

    assert _verdicts(report, "first") == _verdicts(report, "second") != {}
    missing = {a.path: a.count for a in report.scan.anomalies if a.operation == "ListEndpoints"}
    assert missing == {
        "Endpoints[].CreationTime": 2,
        "Endpoints[].EndpointStatus": 2,
        "Endpoints[].LastModifiedTime": 2,
    }


def test_an_empty_page_with_a_next_token_is_followed_and_reported(aws: boto3.Session) -> None:
    aws.client("sagemaker").create_notebook_instance(
        NotebookInstanceName="nb", InstanceType="ml.t3.medium", RoleArn=f"arn:aws:iam::{ACCOUNT_ID}:role/r"
    )
    summary = aws.client("sagemaker").list_notebook_instances()["NotebookInstances"]
    answer_when(aws, "sagemaker", "ListNotebookInstances", '"page-2"', {"NotebookInstances": summary})
    answer_when(aws, "sagemaker", "ListNotebookInstances", "", {"NotebookInstances": [], "NextToken": "page-2"})

    report = scan(aws, ["SM-NOTEBOOK-*"])

    assert _verdicts(report, "nb") != {}
    assert report.scan.anomalies == [
        _anomaly(AnomalyKind.EMPTY_PAGE_WITH_NEXT_TOKEN, "NotebookInstances", operation="ListNotebookInstances")
    ]
    assert report.scan.status is ScanStatus.COMPLETE


def test_anomalies_survive_a_snapshot_and_add_up_in_a_merge(aws: boto3.Session, tmp_path: Path) -> None:
    _endpoints(aws, "migrating")
    _describe_answer(aws, "migrating", EndpointStatus="Migrating")
    options = ScanOptions(session=aws, regions=("us-east-1",), checks=select(ENDPOINT_CHECKS))
    save_inventory(collect_inventory(options, options.parts), tmp_path / "inventory.json")

    inventory = load_inventory(tmp_path / "inventory.json")
    report = scan(aws, ENDPOINT_CHECKS)

    expected = _anomaly(AnomalyKind.UNKNOWN_ENUM_VALUE, "EndpointStatus", "Migrating")
    assert inventory.anomalies == report.scan.anomalies == [expected]
    assert merge_reports([report, report]).scan.anomalies == [expected.model_copy(update={"count": 2})]


def test_the_html_and_markdown_reports_show_the_anomalies(aws: boto3.Session) -> None:
    """Listed in the HTML report (the enum value, from the account, escaped) and counted in the Markdown summary."""
    _endpoints(aws, "migrating")
    _describe_answer(aws, "migrating", EndpointStatus="<b>Migrating</b>", CreationTime=None)

    report = scan(aws, ENDPOINT_CHECKS)
    html, markdown = render_html(report), render_markdown(report)

    panel = html[html.index("2 deviations from the service model") :]
    panel = panel[: panel.index("</details>")]
    assert (
        "<td><code>EndpointStatus</code></td><td>unknown enum value</td><td><code>&lt;b&gt;Migrating&lt;/b&gt;</code></td>"
        in panel
    )
    assert "<td><code>CreationTime</code></td><td>missing required field</td><td></td><td>1</td>" in panel
    assert "<b>Migrating" not in html
    assert "deviated from the service model 2 time(s), 2 distinct" in markdown


def test_the_answer_itself_never_reaches_the_report(aws: boto3.Session) -> None:
    """Only the field's path, and an enum's value cut to 64 characters, are kept."""
    _endpoints(aws, "secretive")
    _describe_answer(aws, "secretive", EndpointStatus="S" * 100, UnmodelledField="password=hunter2", CreationTime=None)

    report = scan(aws, ENDPOINT_CHECKS)

    assert "hunter2" not in report.model_dump_json()
    assert {a.value for a in report.scan.anomalies} == {None, "S" * 64}


def test_snapshots_and_reports_from_before_anomalies_still_load(aws: boto3.Session, tmp_path: Path) -> None:
    """The change is additive: a 1.1 snapshot and a 1.1.0 report, which have no anomalies, read as having none."""
    _endpoints(aws, "plain")
    options = ScanOptions(session=aws, regions=("us-east-1",), checks=select(ENDPOINT_CHECKS))
    save_inventory(collect_inventory(options, options.parts), tmp_path / "inventory.json")
    snapshot = json.loads((tmp_path / "inventory.json").read_text())
    assert snapshot.pop("anomalies") == []
    (tmp_path / "inventory.json").write_text(json.dumps({**snapshot, "format_version": "1.1"}))
    report = json.loads(render_json(scan(aws, ENDPOINT_CHECKS)))
    assert report["scan"].pop("anomalies") == []
    (tmp_path / "mlaudit.json").write_text(json.dumps({**report, "schema_version": "1.1.0"}))

    assert load_inventory(tmp_path / "inventory.json").anomalies == []
    assert load_report(tmp_path / "mlaudit.json").scan.anomalies == []
