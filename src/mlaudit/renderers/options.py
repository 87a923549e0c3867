"""What a user can tell the renderers beyond the report itself."""

from __future__ import annotations

from dataclasses import dataclass

from mlaudit.report.model import Report


@dataclass(frozen=True)
class RenderOptions:
    sarif_anchor: str = ".mlaudit.yaml"
    """The file SARIF results point at (cloud resources have no file of their own): GitHub needs one."""
    previous: Report | None = None
    """An earlier report, for "what changed" in the HTML and Markdown reports."""
    markdown_budget: int = 1_000_000
    """Bytes the Markdown report may take: below GitHub's 1 MiB job summary limit, with room for a closing note."""
    csv_bom: bool = False
    """Start the CSV with a UTF-8 byte-order mark (`--csv-bom`), without which Excel shows non-ASCII names as
    mojibake. Off by default: most other readers take the mark as part of the first column's name."""


DEFAULT_OPTIONS = RenderOptions()
