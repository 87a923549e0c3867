"""What every renderer is: a writer of one format to a text stream, as it goes."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TextIO

from mlaudit.renderers.options import RenderOptions
from mlaudit.report.model import Report

Writer = Callable[[Report, RenderOptions, TextIO], None]
"""Writes one format to a text stream as it goes (a renderer never needs the whole file in memory)."""


def to_string(write: Writer, report: Report, options: RenderOptions) -> str:
    """The whole output as one string (for tests, small reports and `merge`; files are written with the writer)."""
    buffer = io.StringIO()
    write(report, options, buffer)
    return buffer.getvalue()
