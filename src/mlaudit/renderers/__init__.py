"""Renderers turn a scan report into one file each, named `mlaudit.<extension>`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from mlaudit.renderers.html import render_html
from mlaudit.renderers.json_report import render_json
from mlaudit.report import Report


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    render: Callable[[Report], str]

    @property
    def filename(self) -> str:
        return f"mlaudit.{self.extension}"


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("json", "json", render_json),
        Format("html", "html", render_html),
    )
}
DEFAULT_FORMATS = ("json", "html")
