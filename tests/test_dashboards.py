"""docs/dashboards.md as a dashboard runs it: every DuckDB query of the page, verbatim, over two scans' reports
written by the real writers, with exact results; and the Athena table parsed as Athena's DDL, its columns those of
a JSON Lines line with the report schema's types, field by field."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from mlaudit.catalog.loader import load_catalog
from mlaudit.core.taxonomy import Status
from mlaudit.evaluate import Location, new_finding
from mlaudit.inventory import AccountInfo
from mlaudit.renderers import FORMATS, RenderOptions
from mlaudit.report.findings import Finding, Suppression
from mlaudit.report.model import Report, summarise
from mlaudit.report.output import write_reports
from reports import report_of

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "docs" / "dashboards.md").read_text()
SCHEMA = json.loads((ROOT / "schema" / "mlaudit-report.schema.json").read_text())
CHECKS = {c.id: c.metadata for c in load_catalog(include_entry_points=False).checks}
A, B = "111111111111", "222222222222"
FAIL, PASS, MUTED, ERROR = Status.FAIL, Status.PASS, Status.MUTED, Status.ERROR
SCANS = {
    "2026-12-01": [
        ("IAM-ML-001", A, "role-a", FAIL),
        ("IAM-ML-001", B, "role-b", FAIL),
        ("BR-THROUGHPUT-001", A, "pt-a", FAIL),
        ("SM-TAG-001", A, "nb-a", PASS),
        ("SM-TAG-001", B, "nb-b", FAIL),
    ],
    "2026-12-08": [
        ("IAM-ML-001", A, "role-a", FAIL),  # still failing
        ("IAM-ML-001", B, "role-b", PASS),  # fixed
        ("BR-THROUGHPUT-001", A, "pt-a", MUTED),  # accepted
        ("SM-TAG-001", A, "nb-a", FAIL),  # new
        ("SM-TAG-001", B, "nb-c", FAIL),  # new; nb-b is gone
        ("IAM-ML-001", A, "role-c", ERROR),
    ],
}
"""Two scans a week apart: IAM-ML-001 is high and security, BR-THROUGHPUT-001 medium and cost, SM-TAG-001 low and
operational excellence."""


def arn(check_id: str, account: str, name: str) -> str:
    return f"arn:aws:{CHECKS[check_id].service}:us-east-1:{account}:resource/{name}"


def made(check_id: str, account: str, name: str, status: Status) -> Finding:
    check = CHECKS[check_id]
    suppression = Suppression(source="config", muted_status=FAIL, reason="accepted") if status is MUTED else None
    return new_finding(
        check,
        status,
        "detail",
        Location(account, "us-east-1", arn(check_id, account, name), name),
        resource_type=check.resource_type.split(",")[0],
        suppression=suppression,
    )


def scan_report(day: str) -> Report:
    findings = [made(*row) for row in SCANS[day]]
    checks = sorted({f.check_id for f in findings})
    at = datetime.fromisoformat(f"{day}T09:00:00+00:00")
    base = report_of(findings)
    scan = base.scan.model_copy(
        update={"id": f"scan-{day}", "started_at": at, "finished_at": at, "checks_selected": checks}
    )
    return base.model_copy(
        update={
            "scan": scan,
            "accounts": [AccountInfo(account_id=A), AccountInfo(account_id=B)],
            "summary": summarise(findings, checks),
            "checks": [CHECKS[c] for c in checks],
        }
    )


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`scans/<day>/mlaudit.json` and `mlaudit.jsonl` for each scan, as `mlaudit scan --output-dir` writes them."""
    root = tmp_path_factory.mktemp("dashboards")
    for day in SCANS:
        folder = root / "scans" / day
        folder.mkdir(parents=True)
        write_reports(scan_report(day), [FORMATS["json"], FORMATS["jsonl"]], folder, RenderOptions())
    return root


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```sql {language}\n(.*?)^```$", PAGE, flags=re.MULTILINE | re.DOTALL)


DAY1, DAY2 = date(2026, 12, 1), date(2026, 12, 8)
EXPECTED: list[tuple[list[str], list[tuple[Any, ...]]]] = [
    (
        ["severity", "failing", "passing", "muted", "unevaluated"],
        [("high", 1, 1, 0, 1), ("medium", 0, 0, 1, 0), ("low", 2, 0, 0, 0)],
    ),
    (
        ["pillar", "account_id", "failing"],
        [("operational-excellence", A, 1), ("operational-excellence", B, 1), ("security", A, 1)],
    ),
    (["check_id", "severity", "failing"], [("SM-TAG-001", "low", 2), ("IAM-ML-001", "high", 1)]),
    (
        ["day", "severity", "failing"],
        [
            (DAY1, "high", 2),
            (DAY1, "medium", 1),
            (DAY1, "low", 1),
            (DAY2, "high", 1),
            (DAY2, "medium", 0),
            (DAY2, "low", 2),
        ],
    ),
    (
        ["pillar", "account_id", "2026-12-01", "2026-12-08"],
        [
            ("cost", A, 1, 0),
            ("operational-excellence", A, 0, 1),
            ("operational-excellence", B, 1, 1),
            ("security", A, 1, 1),
            ("security", B, 1, 0),
        ],
    ),
    (
        ["check_id", "2026-12-01", "2026-12-08"],
        [("BR-THROUGHPUT-001", 1, 0), ("IAM-ML-001", 2, 1), ("SM-TAG-001", 1, 2)],
    ),
    (
        ["change", "check_id", "resource_arn"],
        [
            ("error", "IAM-ML-001", arn("IAM-ML-001", A, "role-c")),
            ("fixed", "IAM-ML-001", arn("IAM-ML-001", B, "role-b")),
            ("gone", "SM-TAG-001", arn("SM-TAG-001", B, "nb-b")),
            ("muted", "BR-THROUGHPUT-001", arn("BR-THROUGHPUT-001", A, "pt-a")),
            ("new", "SM-TAG-001", arn("SM-TAG-001", A, "nb-a")),
            ("new", "SM-TAG-001", arn("SM-TAG-001", B, "nb-c")),
        ],
    ),
    (
        ["scan_id", "day", "scan_status", "failing", "failing_high", "unevaluated"],
        [("scan-2026-12-01", DAY1, "complete", 4, 2, 0), ("scan-2026-12-08", DAY2, "complete", 3, 1, 1)],
    ),
]
"""Each DuckDB query's columns and rows, in the page's order."""


def test_every_duckdb_query_of_the_page_gives_its_result(reports: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    queries = blocks("duckdb")
    assert len(queries) == len(EXPECTED)
    monkeypatch.chdir(reports)  # the page runs its queries from the folder above scans/
    for query, (columns, rows) in zip(queries, EXPECTED, strict=True):
        result = duckdb.connect().sql(query)
        assert (result.columns, result.fetchall()) == (columns, rows), query


def hive_type(schema: dict[str, Any]) -> str:
    """The Athena (Hive) type of a JSON Schema: enums and dates are strings, objects structs of their properties."""
    if "$ref" in schema:
        return hive_type(SCHEMA["$defs"][schema["$ref"].removeprefix("#/$defs/")])
    if "anyOf" in schema:
        (kind,) = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return hive_type(kind)
    if schema["type"] == "object":
        return f"struct<{','.join(f'{name}:{hive_type(sub)}' for name, sub in schema['properties'].items())}>"
    if schema["type"] == "array":
        return f"array<{hive_type(schema['items'])}>"
    return {"string": "string", "integer": "bigint", "number": "double", "boolean": "boolean"}[schema["type"]]


def line_field_schemas() -> dict[str, dict[str, Any]]:
    """The schema of each field of a JSON Lines line: the scan's fields it repeats, then the finding's."""
    scan, tool = SCHEMA["$defs"]["ScanInfo"]["properties"], SCHEMA["$defs"]["ToolInfo"]["properties"]
    header = {
        "schema_version": SCHEMA["properties"]["schema_version"],
        "tool_version": tool["version"],
        "scan_id": scan["id"],
        "scan_started_at": scan["started_at"],
    }
    return header | SCHEMA["$defs"]["Finding"]["properties"]


def normalised(kind: str) -> str:
    return exp.DataType.build(kind, dialect="athena").sql(dialect="athena")


def test_athena_table_is_valid_ddl_with_the_schema_types(reports: Path) -> None:
    (ddl,) = blocks("athena")
    table = sqlglot.parse_one(ddl, read="athena")
    assert isinstance(table, exp.Create) and table.kind == "TABLE"
    properties = table.args["properties"].sql(dialect="hive")
    assert "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'" in properties
    assert "PARTITIONED BY (day STRING)" in properties and "LOCATION 's3://" in properties
    columns = {c.name: c.args["kind"].sql(dialect="athena") for c in table.this.expressions}
    fields = line_field_schemas()
    line = json.loads((reports / "scans" / "2026-12-08" / "mlaudit.jsonl").read_text().splitlines()[0])
    assert list(columns) == list(line) and set(fields) == set(line)
    for name, kind in columns.items():
        assert kind == normalised(hive_type(fields[name])), name
