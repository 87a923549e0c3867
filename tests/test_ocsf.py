"""OCSF as its consumers take it: Detection Finding events whose every attribute OCSF defines, one event per scan
and finding, the status mapping docs/reports.md states, suppressions explained; and the Parquet directory as an
Amazon Security Lake custom source takes it (partitions, one class, zstandard, page and row group limits, time
order), read back with pyarrow and validated row by row like the JSON."""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import subprocess
import sys
import tracemalloc
import typing
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from py_ocsf_models.events.findings.detection_finding import DetectionFinding
from py_ocsf_models.events.findings.status_id import StatusID
from pydantic import BaseModel

from hostile import HOSTILE_STRINGS
from mlaudit.cli import cli
from mlaudit.core.taxonomy import Status
from mlaudit.renderers import FORMATS, RenderOptions
from mlaudit.renderers import ocsf_parquet as parquet_module
from mlaudit.renderers.json_report import render_json
from mlaudit.report.findings import Finding, Suppression
from mlaudit.report.model import Report
from reports import finding, report_of

DOCS = Path(__file__).resolve().parent.parent / "docs"
OCSF = FORMATS["ocsf"]
PARQUET = FORMATS["ocsf-parquet"]
MEGABYTE = 1024 * 1024


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The OCSF object an attribute holds (through Optional and list), or None for a scalar."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        if (model := _model_of(argument)) is not None:
            return model
    return None


def unknown_attributes(model: type[BaseModel], data: dict[str, Any], path: str = "") -> list[str]:
    """Attributes of `data` that the OCSF object `model` does not define (py-ocsf-models ignores them; an OCSF
    validator reports them). `unmapped` is OCSF's place for the rest, so its content is free."""
    unknown = []
    for key, value in data.items():
        field = model.model_fields.get(key)
        if field is None:
            unknown.append(path + key)
            continue
        inner = _model_of(field.annotation) if key != "unmapped" else None
        for item in value if isinstance(value, list) else [value]:
            if inner is not None and isinstance(item, dict):
                unknown += unknown_attributes(inner, item, f"{path}{key}.")
    return unknown


def validate_ocsf(event: dict[str, Any]) -> DetectionFinding:
    """The OCSF 1.5.0 Detection Finding the JSON format is validated as, every attribute defined by OCSF."""
    model = DetectionFinding.model_validate(event)
    assert unknown_attributes(DetectionFinding, event) == []
    assert model.class_uid == 2004 and model.type_uid == 200401
    return model


def without_nulls(value: Any) -> Any:
    """An event as Parquet gives it back, without the columns the event does not set."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def muted(name: str, owner: str | None = "ml-platform", expires: date | None = date(2027, 3, 31)) -> Finding:
    suppression = Suppression(
        source="config", muted_status=Status.FAIL, reason="accepted risk", owner=owner, expires=expires
    )
    return finding(name, Status.MUTED, "still public").model_copy(update={"suppression": suppression})


def in_account(item: Finding, account_id: str) -> Finding:
    return item.model_copy(update={"account_id": account_id})


def events_of(report: Report) -> list[dict[str, Any]]:
    return json.loads(OCSF.render(report, RenderOptions()))


@pytest.fixture(scope="module")
def mixed() -> Report:
    return report_of(
        [
            finding("fail-a"),
            finding("pass-b", Status.PASS, "private"),
            finding("error-c", Status.ERROR, "AccessDenied: sagemaker:DescribeEndpoint"),
            muted("muted-d"),
            muted("muted-e", owner=None, expires=None),
        ]
    )


def test_every_event_is_a_detection_finding_with_only_ocsf_attributes(mixed: Report) -> None:
    events = events_of(mixed)
    assert len(events) == 5
    for event in events:
        validate_ocsf(event)
    assert unknown_attributes(DetectionFinding, {"finding_info": {"uid": "x", "colour": "red"}}) == [
        "finding_info.colour"
    ]


def test_metadata_uid_names_the_event_and_finding_info_uid_the_finding(mixed: Report) -> None:
    first = events_of(mixed)
    again = events_of(mixed.model_copy(update={"scan": mixed.scan.model_copy(update={"id": "next-scan"})}))
    assert [e["finding_info"]["uid"] for e in first] == [f.id for f in mixed.findings]
    assert [e["finding_info"]["uid"] for e in again] == [f.id for f in mixed.findings]
    expected = [hashlib.sha256(f"test-scan\x1f{f.id}".encode()).hexdigest()[:32] for f in mixed.findings]
    assert [e["metadata"]["uid"] for e in first] == expected
    assert len(set(expected)) == 5
    assert not {e["metadata"]["uid"] for e in first} & {e["metadata"]["uid"] for e in again}


def _documented_statuses() -> dict[str, tuple[int, str]]:
    """The status table of docs/reports.md's `ocsf` section."""
    text = (DOCS / "reports.md").read_text()
    section = text[text.index("## `ocsf`: security lakes") : text.index("## `ocsf-parquet`")]
    rows = re.findall(r"^\| (FAIL|PASS|MUTED|ERROR) \| (\d+) \| (\w+) \|$", section, flags=re.MULTILINE)
    return {status: (int(number), caption) for status, number, caption in rows}


def test_status_mapping_is_the_one_the_docs_state(mixed: Report) -> None:
    documented = _documented_statuses()
    assert set(documented) == {s.value for s in Status}
    for event in events_of(mixed):
        assert documented[event["status_code"]] == (event["status_id"], event["status"])
        status_id = StatusID(event["status_id"])
        # OCSF: `status` is the caption of `status_id`, except for Other, whose caption the source defines
        assert event["status"] == status_id.name or status_id is StatusID.Other
    error = next(e for e in events_of(mixed) if e["status_code"] == "ERROR")
    assert error["status_detail"] == "AccessDenied: sagemaker:DescribeEndpoint"


def test_muted_events_say_why(mixed: Report) -> None:
    by_name = {e["resources"][0]["name"]: e for e in events_of(mixed)}
    assert by_name["muted-d"]["comment"] == "accepted risk"
    assert by_name["muted-d"]["unmapped"]["suppression"] == {
        "source": "config",
        "muted_status": "FAIL",
        "reason": "accepted risk",
        "owner": "ml-platform",
        "expires": "2027-03-31",
    }
    assert by_name["muted-e"]["unmapped"]["suppression"]["owner"] is None
    assert by_name["muted-e"]["unmapped"]["suppression"]["expires"] is None
    assert by_name["muted-d"]["status_id"] == 3 and by_name["muted-d"]["status_detail"] == "still public"
    assert "comment" not in by_name["fail-a"] and "suppression" not in by_name["fail-a"]["unmapped"]


class Recording(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def write(self, text: str) -> int:
        self.sizes.append(len(text))
        return super().write(text)


def test_json_is_written_event_by_event(mixed: Report) -> None:
    out = Recording()
    assert OCSF.write is not None
    OCSF.write(mixed, RenderOptions(), out)
    text = out.getvalue()
    lines = text.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 7
    assert json.loads(text) == [json.loads(line.rstrip(",")) for line in lines[1:-1]]
    assert max(out.sizes) == max(len(line.rstrip(",")) for line in lines[1:-1])


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def saved(report: Report, tmp_path: Path) -> Path:
    path = tmp_path / "mlaudit.json"
    path.write_text(render_json(report))
    return path


def write_parquet(report: Report, tmp_path: Path) -> Path:
    code, out, err = run(
        "report",
        "--from",
        str(saved(report, tmp_path)),
        "--format",
        "ocsf-parquet",
        "--output-dir",
        str(tmp_path / "out"),
    )
    assert code == 0, err
    assert "mlaudit.ocsf-parquet" in out
    return tmp_path / "out" / "mlaudit.ocsf-parquet"


def assert_security_lake_object(path: Path) -> list[dict[str, Any]]:
    """One object as Security Lake's custom source rules ask for it; its rows."""
    parquet = pq.ParquetFile(path)
    metadata = parquet.metadata
    assert metadata.format_version in {"1.0", "2.4", "2.6"}
    for group in range(metadata.num_rows and metadata.num_row_groups):
        row_group = metadata.row_group(group)
        assert row_group.num_rows <= parquet_module.ROW_GROUP_ROWS
        assert sum(row_group.column(c).total_compressed_size for c in range(row_group.num_columns)) <= 256 * MEGABYTE
        for column in range(row_group.num_columns):
            chunk = row_group.column(column)
            assert chunk.compression == "ZSTD", chunk.path_in_schema
            assert chunk.total_uncompressed_size <= MEGABYTE  # so is every page of the chunk
    rows = parquet.read().to_pylist()
    assert {row["class_uid"] for row in rows} == {2004}
    times = [row["time"] for row in rows]
    assert times == sorted(times)
    return rows


def test_parquet_is_laid_out_for_a_security_lake_custom_source(tmp_path: Path) -> None:
    findings = [
        finding("fail-a"),
        in_account(finding("fail-b"), "210987654321"),
        in_account(muted("muted-c"), "210987654321"),
        in_account(finding("outside-d", Status.PASS), "not-an-account/../x"),
    ]
    report = report_of(findings)
    tree = write_parquet(report, tmp_path)
    day = report.scan.finished_at.strftime("%Y%m%d")
    files = sorted(str(p.relative_to(tree)) for p in tree.rglob("*") if p.is_file())
    assert files == [
        f"accountId=123456789012/eventDay={day}/test-scan.parquet",
        f"accountId=210987654321/eventDay={day}/test-scan.parquet",
        f"accountId=external/eventDay={day}/test-scan.parquet",
    ]
    assert stat.S_IMODE(tree.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == (0o700 if p.is_dir() else 0o600) for p in tree.rglob("*"))
    expected = {e["metadata"]["uid"]: e for e in events_of(report)}
    for path in tree.rglob("*.parquet"):
        account = path.parent.parent.name.removeprefix("accountId=")
        for row in assert_security_lake_object(path):
            validate_ocsf(without_nulls(row))
            assert without_nulls(row) == expected.pop(row["metadata"]["uid"])
            assert account == row["cloud"]["account"]["uid"] or account == "external"
    assert expected == {}


def test_parquet_writes_row_groups_and_replaces_the_previous_directory(tmp_path: Path) -> None:
    many = report_of([finding(f"notebook-{i:05d}") for i in range(4_500)])
    tree = write_parquet(many, tmp_path)
    (path,) = tree.rglob("*.parquet")
    metadata = pq.ParquetFile(path).metadata
    assert [metadata.row_group(g).num_rows for g in range(metadata.num_row_groups)] == [2_000, 2_000, 500]
    assert_security_lake_object(path)
    write_parquet(report_of([in_account(finding("other"), "210987654321")]), tmp_path)
    assert [p.parent.parent.name for p in tree.rglob("*.parquet")] == ["accountId=210987654321"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["mlaudit.ocsf-parquet"]


def write_tree(report: Report, tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    assert PARQUET.write_tree is not None
    PARQUET.write_tree(report, RenderOptions(), tree)
    return tree


def test_parquet_replaces_lone_surrogates(tmp_path: Path) -> None:
    hostile = finding("bad-name").model_copy(update={"resource_name": "bad-\ud800-name"})
    (path,) = write_tree(report_of([hostile]), tmp_path).rglob("*.parquet")
    assert pq.read_table(path).to_pylist()[0]["resources"][0]["name"] == "bad-\ufffd-name"


def test_hostile_strings_stay_data_in_both_formats(tmp_path: Path) -> None:
    report = report_of([finding(text, detail=f"owner={text}") for text in HOSTILE_STRINGS])
    events = events_of(report)
    assert [e["resources"][0]["name"] for e in events] == [f.resource_name for f in report.findings]
    (path,) = write_tree(report, tmp_path).rglob("*.parquet")
    rows = assert_security_lake_object(path)
    assert [without_nulls(row) for row in rows] == events


class Discarding(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


def traced_peak(write: Any) -> int:
    """The most memory Python held while `write()` ran, above what it held before."""
    tracemalloc.start()
    try:
        write()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_findings(tmp_path: Path) -> None:
    report = report_of([finding(f"notebook-{i:05d}") for i in range(6_000)])
    assert OCSF.write is not None and PARQUET.write_tree is not None
    whole = len(OCSF.render(report, RenderOptions()))
    assert traced_peak(lambda: OCSF.write(report, RenderOptions(), Discarding())) < whole / 200  # one event at a time
    peaks = []
    for count in (2_500, 6_000):
        tree = tmp_path / str(count)
        tree.mkdir()
        part = report.model_copy(update={"findings": report.findings[:count]})
        peaks.append(traced_peak(lambda part=part, tree=tree: PARQUET.write_tree(part, RenderOptions(), tree)))
    assert peaks[1] < peaks[0] * 1.3, peaks  # one row group at a time, however many


def test_demo_rows_validate(demo_scan: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    report = demo_scan[0].report
    (path,) = write_tree(report, tmp_path).rglob("*.parquet")
    rows = assert_security_lake_object(path)
    assert len(rows) == len(report.findings)
    for row in rows:
        validate_ocsf(without_nulls(row))


def test_parquet_on_stdout_is_one_error_line(tmp_path: Path) -> None:
    code, _, err = run(
        "report", "--from", str(saved(report_of([finding("a")]), tmp_path)), "--format", "ocsf-parquet", "--output", "-"
    )
    assert (
        code == 2
        and err.strip() == "mlaudit: error: --format ocsf-parquet writes a directory, not a stream: use --output-dir"
    )


def test_without_pyarrow_the_format_is_one_error_line_before_scanning(tmp_path: Path) -> None:
    hide = "import sys; sys.modules['pyarrow'] = None; from mlaudit.cli import main; main()"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            hide,
            "scan",
            "--demo",
            "--format",
            "json,ocsf-parquet",
            "--output-dir",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "mlaudit: error: --format ocsf-parquet needs pyarrow, which is not installed (pip install 'mlaudit[parquet]')"
    ]
    assert not (tmp_path / "out").exists()
