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
    home_region: str | None = None
    """The region of account-wide findings in ASFF (Security Hub needs a real one); None: us-east-1."""


DEFAULT_OPTIONS = RenderOptions()
