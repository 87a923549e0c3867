"""The report's JSON is a contract: the committed schema matches the models, and reports validate against it."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import jsonschema

from mlaudit.catalog.generated import GENERATED
from mlaudit.renderers.json_report import render_json
from mlaudit.report.model import SCHEMA_VERSION
from support import create_model, scan

ROOT = Path(__file__).resolve().parent.parent


def test_generated_files_are_up_to_date() -> None:
    for relative, produce in GENERATED.items():
        committed = (ROOT / relative).read_text(encoding="utf-8")
        assert committed == produce(committed), f"{relative} is stale: run `python scripts/regenerate.py`"


def test_a_report_validates_and_has_every_key(aws: boto3.Session) -> None:
    create_model(aws, "m")
    aws.client("sagemaker").create_notebook_instance(
        NotebookInstanceName="nb", InstanceType="ml.t3.medium", RoleArn="arn:aws:iam::123456789012:role/r"
    )
    document = json.loads(render_json(scan(aws, ["SM-NOTEBOOK-001", "SM-ENDPOINT-011"])))
    schema = json.loads((ROOT / "schema/mlaudit-report.schema.json").read_text())

    jsonschema.validate(document, schema, cls=jsonschema.Draft202012Validator)
    assert document["schema_version"] == SCHEMA_VERSION
    assert set(document) == {"schema_version", "tool", "scan", "accounts", "summary", "checks", "findings"}
    assert set(document["scan"]) >= {
        "id",
        "started_at",
        "finished_at",
        "status",
        "profile",
        "regions",
        "checks_selected",
        "errors",
        "history",
        "skipped",
        "anomalies",
    }
    [finding] = document["findings"]
    assert set(finding) == {
        "id",
        "check_id",
        "check_name",
        "title",
        "status",
        "status_detail",
        "severity",
        "pillar",
        "service",
        "resource_type",
        "resource_arn",
        "resource_name",
        "account_id",
        "region",
        "remediation",
        "references",
        "suppression",
    }
    assert set(document["summary"]["by_status"]) == {"PASS", "FAIL", "ERROR", "MUTED"}
    assert document["summary"]["by_check"]["SM-ENDPOINT-011"] == {"PASS": 0, "FAIL": 0, "ERROR": 0, "MUTED": 0}


def test_finding_ids_are_stable_across_scans(aws: boto3.Session) -> None:
    aws.client("sagemaker").create_notebook_instance(
        NotebookInstanceName="nb", InstanceType="ml.t3.medium", RoleArn="arn:aws:iam::123456789012:role/r"
    )
    first = scan(aws, ["SM-NOTEBOOK-001", "SM-NOTEBOOK-003"])
    second = scan(aws, ["SM-NOTEBOOK-003", "SM-NOTEBOOK-001"])

    assert sorted(f.id for f in first.findings) == sorted(f.id for f in second.findings)
    assert len({f.id for f in first.findings}) == 2
