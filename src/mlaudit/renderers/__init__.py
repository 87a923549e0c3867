"""Renderers turn a scan report into one file each, named `mlaudit.<extension>` (or, for a format whose consumer
takes a tree of files, one directory of that name)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mlaudit.core.errors import UserError
from mlaudit.renderers.asff import write_asff
from mlaudit.renderers.csv_report import write_csv
from mlaudit.renderers.html import write_html
from mlaudit.renderers.json_report import write_json
from mlaudit.renderers.jsonl import write_jsonl
from mlaudit.renderers.junit import write_junit
from mlaudit.renderers.markdown import write_markdown
from mlaudit.renderers.ocsf import write_ocsf
from mlaudit.renderers.ocsf_parquet import write_ocsf_parquet
from mlaudit.renderers.options import RenderOptions
from mlaudit.renderers.sarif import write_sarif
from mlaudit.renderers.writer import Writer, to_string
from mlaudit.report.model import Report

TreeWriter = Callable[[Report, RenderOptions, Path], None]
"""Writes one format as files under a new, empty directory, as it goes."""


@dataclass(frozen=True)
class Extra:
    """An optional extra of mlaudit (`pip install 'mlaudit[<name>]'`) that a format needs, and a module it brings."""

    name: str
    module: str


@dataclass(frozen=True)
class Format:
    """A report format: a file written by `write`, or a directory of files written by `write_tree`."""

    name: str
    extension: str
    write: Writer | None = None
    write_tree: TreeWriter | None = None
    extra: Extra | None = None

    @property
    def filename(self) -> str:
        return f"mlaudit.{self.extension}"

    def require(self) -> None:
        """Refuse, before any scanning, a format whose optional extra is not installed."""
        if self.extra is not None and importlib.util.find_spec(self.extra.module) is None:
            raise UserError(
                f"--format {self.name} needs {self.extra.module}, which is not installed",
                hint=f"pip install 'mlaudit[{self.extra.name}]'",
            )

    def stream_writer(self) -> Writer:
        """The writer to a stream (standard output), which a directory format has not."""
        if self.write is None:
            raise UserError(f"--format {self.name} writes a directory, not a stream: use --output-dir")
        return self.write

    def render(self, report: Report, options: RenderOptions) -> str:
        """The whole output as one string (for tests and small reports; files are written with `write`)."""
        return to_string(self.stream_writer(), report, options)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", "json", write_json),
        Format("html", "html", write_html),
        Format("jsonl", "jsonl", write_jsonl),
        Format("csv", "csv", write_csv),
        Format("sarif", "sarif", write_sarif),
        Format("junit", "xml", write_junit),
        Format("md", "md", write_markdown),
        Format("ocsf", "ocsf.json", write_ocsf),
        Format("ocsf-parquet", "ocsf-parquet", write_tree=write_ocsf_parquet, extra=Extra("parquet", "pyarrow")),
        Format("asff", "asff.json", write_asff),
    )
}
__all__ = ["FORMATS", "Extra", "Format", "RenderOptions"]
