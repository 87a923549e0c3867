"""`mlaudit.html`: one self-contained page, an overview followed by a findings explorer.

Nothing is fetched: styles and script are inlined, and a Content-Security-Policy forbids any network access.
Findings are embedded once, as compact JSON in a non-executable script element, and rendered by our script
with `textContent` only. Every string from the account is therefore either escaped by jinja2 (autoescape) or
JSON-encoded with `<`, `>` and `&` escaped, so that a `</script>` in a tag value stays data.
"""

from __future__ import annotations

import base64
import hashlib
import json
from importlib.resources import files
from typing import Any

import jinja2

from mlaudit.core.taxonomy import Pillar, Status
from mlaudit.renderers.charts import failing_by, fix_first_chart, pillar_chart, severity_chart
from mlaudit.renderers.html_payload import payload
from mlaudit.renderers.options import DEFAULT_OPTIONS, RenderOptions
from mlaudit.report.diffing import diff_reports
from mlaudit.report.model import Report
from mlaudit.report.scoring import pillar_scores

TEMPLATE_PACKAGE = "mlaudit.templates"
_SCRIPT_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def script_json(value: Any) -> str:
    """JSON that is safe to place inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return text.translate(_SCRIPT_ESCAPES)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(files(TEMPLATE_PACKAGE))),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _csp_hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()


def render_html(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    env = _environment()
    css = (files(TEMPLATE_PACKAGE) / "report.css").read_text(encoding="utf-8")
    script = (files(TEMPLATE_PACKAGE) / "report.js").read_text(encoding="utf-8")
    change = diff_reports(options.previous, report) if options.previous else None
    scores = pillar_scores(report.findings)
    return env.get_template("report.html.j2").render(
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
        data=script_json(payload(report, {f.id for f in change.new} if change else None)),
        csp=f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '{_csp_hash(script)}'",
    )
