"""A lone surrogate never aborts a report. A JSON escape in an AWS answer (`"\\ud800"`) decodes to a string that
UTF-8 cannot encode; every format must still be written, with U+FFFD in its place.

The report here carries one in every free-text string its schema has (every string without an enum, a format, a
pattern or a length: names, ARNs, details, errors, warnings, settings, the checks' parts and sources), saved as
JSON with the escape, as AWS sends it, and rendered by `mlaudit report` in all nine formats, to files and to stdout.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from py_ocsf_models.events.findings.detection_finding import DetectionFinding

from mlaudit.cli import cli
from mlaudit.core.taxonomy import Status
from mlaudit.inventory import AccountInfo, ApiAnomaly, CollectionError, SkippedScope
from mlaudit.inventory.notes import AnomalyKind, SkipReason
from mlaudit.renderers import FORMATS
from mlaudit.renderers.jsonl import header
from mlaudit.report.findings import Suppression
from mlaudit.report.model import SCHEMA_VERSION, HistoryBound, Report
from mlaudit.report.saved import load_report
from mlaudit.report.streaming import FindingStream
from reports import CHECK, finding, report_of

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "schema/mlaudit-report.schema.json").read_text())
SARIF_SCHEMA = json.loads((ROOT / "tests/data/sarif-schema-2.1.0.json").read_text())
LONE = "\ud800"
REPLACED = "\ufffd"


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _branch(schema: dict[str, Any], value: Any) -> dict[str, Any]:
    """The branch of an `anyOf` that describes `value`."""
    kinds = {str: "string", dict: "object", list: "array", bool: "boolean", int: "integer", float: "number"}
    for option in schema.get("anyOf", [schema]):
        option = _resolve(option)
        if option.get("type") == kinds.get(type(value)) or not option.get("type"):
            return option
    return {}


def carry(value: Any, schema: dict[str, Any]) -> tuple[Any, int]:
    """`value` with a lone surrogate in each free-text string its schema describes, and how many were given one."""
    schema = _branch(_resolve(schema), value)
    if isinstance(value, str):
        constrained = {"enum", "const", "format", "pattern", "minLength", "maxLength"} & set(schema)
        free = schema.get("type", "string") == "string" and not constrained
        return (f"{value[:3]}{LONE}{value[3:]}", 1) if free else (value, 0)
    if isinstance(value, dict):
        carried, count = {}, 0
        for key, item in value.items():
            inner = schema.get("properties", {}).get(key, schema.get("additionalProperties", {}))
            carried[key], n = carry(item, inner if isinstance(inner, dict) else {})
            count += n
        return carried, count
    if isinstance(value, list):
        items = [carry(item, schema.get("items", {})) for item in value]
        return [item for item, _ in items], sum(n for _, n in items)
    return value, 0


def _every_part() -> Report:
    """A report with every optional part present: errors, warnings, skipped scopes, anomalies, history, settings,
    a profile, a suppression with owner and expiry, an ERROR finding."""
    now = datetime(2026, 11, 23, 11, 58, 8, tzinfo=UTC)
    muted = finding("muted-endpoint", Status.MUTED, "accepted").model_copy(
        update={
            "suppression": Suppression(
                source="config", muted_status=Status.FAIL, reason="dev", owner="ml-team", expires=date(2027, 1, 31)
            )
        }
    )
    findings = [finding("failing-endpoint"), finding("passing", Status.PASS), finding("err", Status.ERROR), muted]
    report = report_of(findings)
    where = {"account_id": "123456789012", "region": "us-east-1"}
    scan = report.scan.model_copy(
        update={
            "profile": "prod",
            "settings": {CHECK.id: {"allowed": ["team-a"], "name": "x"}},
            "errors": [
                CollectionError(
                    part="sagemaker.endpoint",
                    service="sagemaker",
                    operation="DescribeEndpoint",
                    error_code="AccessDenied",
                    message="no",
                    resource="err",
                    resource_arn="arn:aws:sagemaker:us-east-1:123456789012:endpoint/err",
                    **where,
                )
            ],
            "warnings": ["a suppression expired"],
            "skipped": [SkippedScope(service="bedrock", reason=SkipReason.SERVICE_NOT_OFFERED, **where)],
            "anomalies": [
                ApiAnomaly(
                    service="sagemaker",
                    operation="ListEndpoints",
                    path="Endpoints[].Status",
                    kind=next(iter(AnomalyKind)),
                    value="Weird",
                    **where,
                )
            ],
            "history": [HistoryBound(part="sagemaker.training_job", label="training jobs", created_since=now)],
            "started_at": now,
            "finished_at": now,
        }
    )
    return report.model_copy(update={"scan": scan, "accounts": [AccountInfo(account_id="123456789012")]})


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Report, int]:
    document, carried = carry(_every_part().model_dump(mode="json"), SCHEMA)
    path = tmp_path_factory.mktemp("surrogates") / "saved.json"
    path.write_text(json.dumps(document), encoding="ascii")  # the escape, as AWS sends it
    assert "\\ud800" in path.read_text()
    return path, Report.model_validate(document), carried


def test_every_free_text_string_of_the_report_carries_one(saved: tuple[Path, Report, int]) -> None:
    _, report, carried = saved
    assert carried >= 60
    finding = report.findings[0]
    assert all(LONE in getattr(finding, name) for name in ("resource_name", "resource_arn", "status_detail", "title"))
    assert LONE in report.scan.errors[0].message and LONE in report.checks[0].source


def _parquet_events(path: Path) -> list[dict[str, Any]]:
    """The events of one Parquet object, as Security Lake reads them (Parquet strings are UTF-8 by definition)."""
    rows: list[dict[str, Any]] = pq.read_table(path).to_pylist()
    return rows


def _valid(name: str, text: str, report: Report) -> None:
    """The file is what its consumer reads: parsed (and validated against its schema where it has one)."""
    findings = len(report.findings)
    if name in ("json", "sarif", "ocsf", "asff"):
        document = json.loads(text)
        if name == "json":
            jsonschema.validate(document, SCHEMA, cls=jsonschema.Draft202012Validator)
            assert len(document["findings"]) == findings
        elif name == "sarif":
            jsonschema.validate(document, SARIF_SCHEMA, cls=jsonschema.Draft7Validator)
        elif name == "ocsf":
            assert [DetectionFinding.model_validate(event).class_uid for event in document] == [2004] * findings
        else:
            assert len(document) == findings
    elif name == "jsonl":
        assert len([json.loads(line) for line in text.splitlines()]) == findings
    elif name == "csv":
        assert len(list(csv.DictReader(io.StringIO(text, newline="")))) == findings
    elif name == "junit":
        assert len(ElementTree.fromstring(text).findall(".//testcase")) == findings
    elif name == "html":
        assert text.lower().startswith("<!doctype html>") and text.rstrip().endswith("</html>")
    else:
        assert text.startswith("## mlaudit report") and "### Failing findings" in text


def test_every_format_is_written_to_its_file_with_the_replacement_character(
    saved: tuple[Path, Report, int], tmp_path: Path
) -> None:
    path, report, _ = saved
    result = CliRunner().invoke(
        cli, ["report", "--from", str(path), "--format", ",".join(FORMATS), "--output-dir", str(tmp_path)]
    )

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f.filename for f in FORMATS.values())
    for fmt in FORMATS.values():
        if fmt.write_tree is not None:
            events = [row for part in (tmp_path / fmt.filename).rglob("*.parquet") for row in _parquet_events(part)]
            assert len(events) == len(report.findings) and REPLACED in json.dumps(events, ensure_ascii=False)
            continue
        text = (tmp_path / fmt.filename).read_bytes().decode("utf-8")  # strict: valid UTF-8
        assert REPLACED in text, fmt.name
        _valid(fmt.name, text, report)
    loaded = json.dumps(load_report(path).model_dump(mode="json")).replace("\\ud800", "\\ufffd")
    assert json.loads((tmp_path / "mlaudit.json").read_text(encoding="utf-8")) == json.loads(loaded)


@pytest.mark.parametrize("name", [name for name, fmt in FORMATS.items() if fmt.write is not None])
def test_every_format_is_written_to_stdout_with_the_replacement_character(
    saved: tuple[Path, Report, int], name: str
) -> None:
    path, report, _ = saved
    result = CliRunner().invoke(cli, ["report", "--from", str(path), "--format", name, "--output", "-"])

    assert result.exit_code == 0, result.stderr
    text = result.stdout_bytes.decode("utf-8")
    assert REPLACED in text
    _valid(name, text, report)


def test_streamed_json_lines_replace_it_too(saved: tuple[Path, Report, int], tmp_path: Path) -> None:
    _, report, _ = saved
    target = tmp_path / "mlaudit.jsonl"
    stream = FindingStream(target)

    streamed = stream.write(
        header(SCHEMA_VERSION, "0.1.0", report.scan.id, report.scan.started_at), report.findings, [CHECK.id]
    )

    lines = [json.loads(line) for line in target.read_bytes().decode("utf-8").splitlines()]
    assert len(lines) == len(report.findings) == sum(streamed.summary.by_status.values())
    assert all(REPLACED in line["resource_name"] and REPLACED in line["scan_id"] for line in lines)


def test_the_github_job_summary_replaces_it_too(
    saved: tuple[Path, Report, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlaudit.renderers import RenderOptions
    from mlaudit.report.output import append_github_summary

    _, report, _ = saved
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))

    assert append_github_summary(report, RenderOptions()) == summary
    assert REPLACED in summary.read_bytes().decode("utf-8")
