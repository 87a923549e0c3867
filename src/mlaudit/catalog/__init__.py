"""The checks as a whole: loading and selecting them, their index, their documentation, generated files."""

ENTRY_POINT_GROUP = "mlaudit.checks"
"""The entry-point group third-party packages declare their checks in."""
