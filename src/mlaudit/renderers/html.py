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
from collections import Counter
from importlib.resources import files
from typing import Any

import jinja2

from mlaudit.renderers.options import RenderOptions
from mlaudit.report import Report
from mlaudit.scoring import pillar_scores
from mlaudit.taxonomy import Pillar, Severity, Status

TEMPLATE_PACKAGE = "mlaudit.templates"
FINDING_COLUMNS = ("id", "check_id", "status", "status_detail", "resource_arn", "resource_name", "account_id", "region")
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: Any) -> str:
    """JSON that is safe to place inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return "".join(_SCRIPT_ESCAPES.get(ch, ch) for ch in text)


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


def payload(report: Report) -> dict[str, Any]:
    """What the explorer script needs: check metadata once, and one compact row per finding."""
    return {
        "columns": FINDING_COLUMNS,
        "checks": {
            c.id: {
                "name": c.name,
                "title": c.title,
                "severity": c.severity.value,
                "pillar": c.pillar.value,
                "service": c.service,
                "resource_type": c.resource_type,
                "rationale": c.rationale,
                "remediation": c.remediation.model_dump(),
                "references": [r.model_dump(mode="json") for r in c.references],
            }
            for c in report.checks
        },
        "rows": [[getattr(f, column) for column in FINDING_COLUMNS] for f in report.findings],
    }


def render_html(report: Report, options: RenderOptions = RenderOptions()) -> str:
    env = _environment()
    css = (files(TEMPLATE_PACKAGE) / "report.css").read_text(encoding="utf-8")
    script = (files(TEMPLATE_PACKAGE) / "report.js").read_text(encoding="utf-8")
    failing = [f for f in report.findings if f.status is Status.FAIL]
    top_checks = Counter(f.check_id for f in failing).most_common(10)
    titles = {c.id: c.title for c in report.checks}
    return env.get_template("report.html.j2").render(
        report=report,
        scan=report.scan,
        summary=report.summary,
        statuses=[Status.FAIL, Status.ERROR, Status.PASS, Status.MUTED],
        severities=list(Severity),
        pillars=list(Pillar),
        scores=pillar_scores(report.findings),
        failing_by_severity={s: report.summary.by_severity[s][Status.FAIL] for s in Severity},
        max_failing=max([report.summary.by_severity[s][Status.FAIL] for s in Severity] + [1]),
        top_checks=[(check_id, titles.get(check_id, ""), count) for check_id, count in top_checks],
        failing_by_region=Counter(f.region for f in failing).most_common(),
        failing_by_service=Counter(f.service for f in failing).most_common(),
        css=css,
        script=script,
        data=script_json(payload(report)),
        csp=f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src '{_csp_hash(script)}'",
    )
