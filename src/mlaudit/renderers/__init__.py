"""Renderers turn a scan report into one file each, named `mlaudit.<extension>`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from mlaudit.renderers.asff import render_asff
from mlaudit.renderers.csv_report import write_csv
from mlaudit.renderers.html import render_html
from mlaudit.renderers.json_report import write_json
from mlaudit.renderers.jsonl import write_jsonl
from mlaudit.renderers.junit import render_junit
from mlaudit.renderers.markdown import write_markdown
from mlaudit.renderers.ocsf import render_ocsf
from mlaudit.renderers.options import RenderOptions
from mlaudit.renderers.sarif import render_sarif
from mlaudit.renderers.writer import Writer, to_string
from mlaudit.report.model import Report


def whole(render: Callable[[Report, RenderOptions], str]) -> Writer:
    """A writer for a renderer that builds its output as one string."""

    def write(report: Report, options: RenderOptions, out: TextIO) -> None:
        out.write(render(report, options))

    return write


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    write: Writer

    @property
    def filename(self) -> str:
        return f"mlaudit.{self.extension}"

    def render(self, report: Report, options: RenderOptions) -> str:
        """The whole output as one string (for tests and small reports; files are written with `write`)."""
        return to_string(self.write, report, options)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", "json", write_json),
        Format("html", "html", whole(render_html)),
        Format("jsonl", "jsonl", write_jsonl),
        Format("csv", "csv", write_csv),
        Format("sarif", "sarif", whole(render_sarif)),
        Format("junit", "xml", whole(lambda r, _: render_junit(r))),
        Format("md", "md", write_markdown),
        Format("ocsf", "ocsf.json", whole(lambda r, _: render_ocsf(r))),
        Format("asff", "asff.json", whole(lambda r, _: render_asff(r))),
    )
}
__all__ = ["FORMATS", "Format", "RenderOptions"]
