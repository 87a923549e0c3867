"""`mlaudit.html`: one self-contained page, an overview followed by a findings explorer.

Nothing is fetched: styles and script are inlined, and a Content-Security-Policy forbids any network access.
Findings are embedded once, as compact JSON in a non-executable script element, and rendered by our script
with `textContent` only. Every string from the account is therefore either escaped by jinja2 (autoescape) or
JSON-encoded with `<`, `>` and `&` escaped, so that a `</script>` in a tag value stays data. What is shown is also
inert: the template's values, and the script's text, have controls and bidirectional overrides replaced
(`mlaudit.core.text`; the script reads the same pattern from the payload). The page is written as it renders.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Iterator
from importlib.resources import files
from typing import Any, TextIO

import jinja2
from markupsafe import Markup

from mlaudit.core.taxonomy import Pillar, Status
from mlaudit.core.text import inert
from mlaudit.renderers.charts import failing_by, fix_first_chart, pillar_chart, severity_chart
from mlaudit.renderers.html_payload import payload
from mlaudit.renderers.options import DEFAULT_OPTIONS, RenderOptions
from mlaudit.report.diffing import diff_reports
from mlaudit.report.model import Report
from mlaudit.report.scoring import pillar_scores

TEMPLATE_PACKAGE = "mlaudit.templates"
ROWS_PER_WRITE = 1000
"""Findings of the payload written at a time."""
_DATA = Markup("\x00mlaudit-data\x00")
"""Where the template places the payload, which is written there piece by piece."""
_SCRIPT_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_json(value: Any) -> str:
    """JSON that is safe to place inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.translate(_SCRIPT_ESCAPES)


def script_json_chunks(mapping: dict[str, Any]) -> Iterator[str]:
    """`script_json(mapping)` in pieces: each list value (the rows) ROWS_PER_WRITE items at a time."""
    yield "{"
    for index, (key, value) in enumerate(mapping.items()):
        yield ("," if index else "") + script_json(key) + ":"
        if isinstance(value, list):
            yield "["
            for start in range(0, len(value), ROWS_PER_WRITE):
                yield ("," if start else "") + script_json(value[start : start + ROWS_PER_WRITE])[1:-1]
            yield "]"
        else:
            yield script_json(value)
    yield "}"


def _shown(value: Any) -> Any:
    """Every value the template prints, as text no reader acts on (our own markup, `| safe`, passes as it is)."""
    return inert(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(files(TEMPLATE_PACKAGE))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_shown,
    )


def _csp_hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()


def write_html(report: Report, options: RenderOptions, out: TextIO) -> None:
    """The page, written as the template renders it; the findings' payload is written where its element is."""
    css = (files(TEMPLATE_PACKAGE) / "report.css").read_text(encoding="utf-8")
    script = (files(TEMPLATE_PACKAGE) / "report.js").read_text(encoding="utf-8")
    change = diff_reports(options.previous, report) if options.previous else None
    scores = pillar_scores(report.findings)
    page = (
        _environment()
        .get_template("report.html.j2")
        .generate(
            report=report,
            scan=report.scan,
            summary=report.summary,
            statuses=[Status.FAIL, Status.ERROR, Status.PASS, Status.MUTED],
            pillars=list(Pillar),
            scores=scores,
            charts=[
                severity_chart(report.findings),
                pillar_chart(report.findings, {p: s.grade for p, s in scores.items()}),
                fix_first_chart(report),
                failing_by(report.findings, "region", "Failing findings by region"),
                failing_by(report.findings, "service", "Failing findings by service"),
            ],
            change=change,
            css=css,
            script=script,
            data=_DATA,
            csp=f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '{_csp_hash(script)}'",
        )
    )
    for chunk in page:
        before, marker, after = chunk.partition(_DATA)
        out.write(before)
        if marker:
            for piece in script_json_chunks(payload(report, {f.id for f in change.new} if change else None)):
                out.write(piece)
            out.write(after)


def render_html(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The whole page as one string (tests)."""
    buffer = io.StringIO()
    write_html(report, options, buffer)
    return buffer.getvalue()
