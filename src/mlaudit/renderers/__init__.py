"""Renderers turn a scan report into one file each, named `mlaudit.<extension>`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

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
from mlaudit.report import Report


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    render: Callable[[Report, RenderOptions], str]
    description: str

    @property
    def filename(self) -> str:
        return f"mlaudit.{self.extension}"


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", "json", lambda r, _: render_json(r), "the native report (schema/mlaudit-report.schema.json)"),
        Format("html", "html", render_html, "a self-contained page: overview and findings explorer"),
        Format("jsonl", "jsonl", lambda r, _: render_jsonl(r), "one self-contained finding per line, for log pipelines"),
        Format("csv", "csv", lambda r, _: render_csv(r), "one row per finding, for spreadsheets"),
        Format("sarif", "sarif", render_sarif, "SARIF 2.1.0, for GitHub code scanning"),
        Format("junit", "xml", lambda r, _: render_junit(r), "JUnit XML, for CI test reports"),
        Format("md", "md", render_markdown, "a Markdown summary, for pull requests and job summaries"),
        Format("ocsf", "ocsf.json", lambda r, _: render_ocsf(r), "OCSF 1.5 Detection Findings"),
        Format("asff", "asff.json", lambda r, _: render_asff(r), "AWS Security Finding Format, for Security Hub"),
    )
}
DEFAULT_FORMATS = ("json", "html")

__all__ = ["DEFAULT_FORMATS", "FORMATS", "Format", "RenderOptions"]
