"""Files in the repository that are generated from the code, and how to produce each one.

`scripts/regenerate.py` writes them; a test fails when a committed copy differs from what the code produces.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from mlaudit.catalog.docs import render_checks_doc, with_readme_table, with_security_audit_gap
from mlaudit.catalog.index import render_index
from mlaudit.catalog.loader import load_catalog
from mlaudit.report.model import Report
from mlaudit.sdk import Check


def _all_required(schema: dict[str, Any]) -> None:
    """Every key of a report object is always present (lists empty rather than missing): say so in the schema."""
    for definition in [schema, *schema.get("$defs", {}).values()]:
        if definition.get("type") == "object" and "properties" in definition:
            definition["required"] = sorted(definition["properties"])


def report_schema() -> str:
    schema = Report.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    _all_required(schema)
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


def _built_in_checks() -> tuple[Check, ...]:
    return load_catalog(include_entry_points=False).checks


GENERATED: dict[str, Callable[[str], str]] = {
    "schema/mlaudit-report.schema.json": lambda _: report_schema(),
    "docs/checks.md": lambda _: render_checks_doc(_built_in_checks()),
    "checks/index.json": lambda _: render_index([c.metadata.model_dump(mode="json") for c in _built_in_checks()]),
    "README.md": lambda readme: with_readme_table(readme, _built_in_checks()),
    "docs/ci.md": lambda text: with_security_audit_gap(text, _built_in_checks()),
}
"""Each file's content computed from its current content (the README and docs/ci.md keep everything outside their
generated regions)."""
