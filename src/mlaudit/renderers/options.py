"""What a user can tell the renderers beyond the report itself."""

from __future__ import annotations

from dataclasses import dataclass

from mlaudit.core.errors import UserError
from mlaudit.report.model import Report


@dataclass(frozen=True)
class RenderOptions:
    sarif_anchor: str = ".mlaudit.yaml"
    """The file SARIF results point at (cloud resources have no file of their own): GitHub needs one."""
    sarif_category: str = "mlaudit"
    """The code scanning category of the SARIF run (`--sarif-category`): GitHub closes an alert when a later
    analysis of the same category no longer holds it, so one category per scan scope, the same in every run."""
    previous: Report | None = None
    """An earlier report, for "what changed" in the HTML and Markdown reports."""
    markdown_budget: int = 1_000_000
    """Bytes the Markdown report may take: below GitHub's 1 MiB job summary limit, with room for a closing note."""
    home_region: str | None = None
    """The region of account-wide findings in ASFF (Security Hub needs a real one); None: us-east-1."""
    csv_bom: bool = False
    """Start the CSV with a UTF-8 byte-order mark (`--csv-bom`), without which Excel shows non-ASCII names as
    mojibake. Off by default: most other readers take the mark as part of the first column's name."""

    def __post_init__(self) -> None:
        if not self.sarif_category.strip("/ "):
            raise UserError(
                f"--sarif-category {self.sarif_category!r} names no category", hint="e.g. mlaudit or mlaudit/prod"
            )


DEFAULT_OPTIONS = RenderOptions()
