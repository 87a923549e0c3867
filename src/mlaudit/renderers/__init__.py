"""Renderers turn a scan report into one file each, named `mlaudit.<extension>`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mlaudit.renderers.asff import render_asff
from mlaudit.renderers.csv_report import render_csv
from mlaudit.renderers.html import render_html
from mlaudit.renderers.json_report import render_json
from mlaudit.renderers.jsonl import render_jsonl
from mlaudit.renderers.junit import render_junit
from mlaudit.renderers.markdown import render_markdown
from mlaudit.renderers.ocsf import render_ocsf
from mlaudit.renderers.options import RenderOptions
from mlaudit.renderers.sarif import render_sarif
from mlaudit.report.model import Report


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    render: Callable[[Report, RenderOptions], str]

    @property
    def filename(self) -> str:
        return f"mlaudit.{self.extension}"


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", "json", lambda r, _: render_json(r)),
        Format("html", "html", render_html),
        Format("jsonl", "jsonl", lambda r, _: render_jsonl(r)),
        Format("csv", "csv", lambda r, _: render_csv(r)),
        Format("sarif", "sarif", render_sarif),
        Format("junit", "xml", lambda r, _: render_junit(r)),
        Format("md", "md", render_markdown),
        Format("ocsf", "ocsf.json", lambda r, _: render_ocsf(r)),
        Format("asff", "asff.json", lambda r, _: render_asff(r)),
    )
}
__all__ = ["FORMATS", "Format", "RenderOptions"]
