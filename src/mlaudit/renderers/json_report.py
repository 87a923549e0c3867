"""`mlaudit.json`: the native report, the contract that dashboards and the other formats read.

Written as it goes: the report's other fields, then one finding at a time, byte for byte what
`Report.model_dump_json(indent=2)` gives, without ever holding the whole text.
"""

from __future__ import annotations

import json
from typing import TextIO

from pydantic import BaseModel
from pydantic_core import PydanticSerializationError

from mlaudit.renderers.options import DEFAULT_OPTIONS, RenderOptions
from mlaudit.renderers.writer import to_string
from mlaudit.report.model import Report

FINDING_INDENT = " " * 4
"""A finding is an item of the top-level `findings` list: two levels deep at two spaces a level."""
EMPTY_FINDINGS = "[]\n}"
"""How the report without findings ends."""


def model_json(model: BaseModel, indent: int | None = None) -> str:
    """pydantic's JSON (compact, or indented). pydantic refuses a lone surrogate (`\\ud800`, which a JSON escape in
    an AWS answer can carry); Python's json writes the same text with it kept, for the report's stream to replace."""
    try:
        return model.model_dump_json(indent=indent)
    except PydanticSerializationError:
        separators = (",", ": ") if indent else (",", ":")
        return json.dumps(model.model_dump(mode="json"), indent=indent, ensure_ascii=False, separators=separators)


def write_json(report: Report, options: RenderOptions, out: TextIO) -> None:
    head = model_json(report.model_copy(update={"findings": []}), indent=2)
    if not report.findings:
        out.write(head + "\n")
        return
    out.write(head.removesuffix(EMPTY_FINDINGS) + "[\n")
    separator = FINDING_INDENT
    for finding in report.findings:
        out.write(separator + model_json(finding, indent=2).replace("\n", "\n" + FINDING_INDENT))
        separator = ",\n" + FINDING_INDENT
    out.write("\n  ]\n}\n")


def render_json(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return to_string(write_json, report, options)
