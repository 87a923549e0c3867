"""`docs/checks.md`: one section per check, written from the checks' metadata so the two cannot drift."""

from __future__ import annotations

import re
from collections.abc import Sequence

from mlaudit.collect.permissions import beyond_security_audit, required_actions
from mlaudit.collect.registry import describe_plan
from mlaudit.core.markup import literal_prose
from mlaudit.sdk import Check
from mlaudit.sdk.references import PEERS

REFERENCE_LABELS = {
    "ml-lens": "ML Lens",
    "security-hub": "Security Hub",
    "aws-config": "AWS Config",
    "documentation": "Docs",
    "prowler": "Prowler",
    "steampipe": "Steampipe",
    "checkov": "Checkov",
    "kics": "KICS",
}


def _anchor(check: Check) -> str:
    return f"{check.id}-{check.name}".lower()


def _table_rows(checks: Sequence[Check], link_base: str) -> list[str]:
    rows = []
    for check in checks:
        meta = check.metadata
        opt_in = " (opt-in)" if meta.opt_in else ""
        rows.append(
            f"| [{meta.id}]({link_base}{_anchor(check)}) | {meta.name} | {meta.severity.value} | {meta.pillar.value} "
            f"| {literal_prose(meta.title)}{opt_in} |"
        )
    return rows


README_TABLE_START = "<!-- checks:start -->"
README_TABLE_END = "<!-- checks:end -->"
README_COUNT = re.compile(r"(<!-- checks:count -->)\d+(<!-- /checks:count -->)")
BEYOND_SECURITY_AUDIT = re.compile(r"(<!-- security-audit:beyond -->).*?(<!-- /security-audit:beyond -->)", re.S)


def with_readme_table(readme: str, checks: Sequence[Check]) -> str:
    """The README with its check table (between the two markers) rewritten from the checks' metadata."""
    head, found, rest = readme.partition(README_TABLE_START)
    _, found_end, tail = rest.partition(README_TABLE_END)
    if not (found and found_end):
        raise ValueError(f"README.md has no {README_TABLE_START} ... {README_TABLE_END} region")
    table = [
        "| id | name | severity | pillar | title |",
        "|---|---|---|---|---|",
        *_table_rows(checks, "docs/checks.md#"),
    ]
    counted, found_count = README_COUNT.subn(rf"\g<1>{len(checks)}\g<2>", head)
    if not found_count:
        raise ValueError("README.md has no <!-- checks:count -->N<!-- /checks:count --> in its introduction")
    return with_security_audit_gap("\n".join([counted + README_TABLE_START, *table, README_TABLE_END + tail]), checks)


def with_security_audit_gap(text: str, checks: Sequence[Check]) -> str:
    """`text` (README.md, docs/ci.md) with the actions the checks need that SecurityAudit does not grant written
    between its `security-audit:beyond` markers."""
    gap = ", ".join(f"`{action}`" for action in beyond_security_audit(required_actions(checks))) or "nothing"
    written, found = BEYOND_SECURITY_AUDIT.subn(lambda m: f"{m[1]}{gap}{m[2]}", text)
    if not found:
        raise ValueError("no <!-- security-audit:beyond --> ... <!-- /security-audit:beyond --> region")
    return written


def render_checks_doc(checks: Sequence[Check]) -> str:
    lines = [
        "# Checks",
        "",
        "<!-- Generated from the checks' metadata by `python scripts/regenerate.py`; do not edit by hand. -->",
        "",
        f"mlaudit has {len(checks)} built-in checks. `mlaudit list-checks` lists them and `mlaudit explain ID` prints one.",
        "Checks marked opt-in run only when selected with `--checks`.",
        "",
        "| id | name | severity | pillar | title |",
        "|---|---|---|---|---|",
    ]
    lines += _table_rows(checks, "#")
    for check in checks:
        meta = check.metadata
        lines += [
            "",
            f"## {meta.id} {meta.name}",
            "",
            f"**{literal_prose(meta.title)}**",
            "",
            f"Severity **{meta.severity.value}** · pillar **{meta.pillar.value}** · {meta.service} `{meta.resource_type}`"
            + (" · **opt-in**" if meta.opt_in else ""),
            "",
            f"**Why it matters.** {literal_prose(meta.rationale)}",
            "",
            *([f"**What it judges.** {literal_prose(meta.judges)}", ""] if meta.judges else []),
            f"**How to fix it.** {literal_prose(meta.remediation.text)}",
            "",
        ]
        if meta.remediation.cli:
            lines += ["```bash", meta.remediation.cli, "```", ""]
        lines.append(f"Documentation: {meta.remediation.url}")
        if meta.references:
            lines += [
                "",
                "**References:** "
                + ", ".join(f"{REFERENCE_LABELS[r.type.value]} [{r.id}]({r.url})" for r in meta.references),
            ]
        if meta.settings:
            lines += ["", "**Settings** (override with `--set " + meta.id + ".NAME=VALUE`):", ""]
            lines += [
                f"- `{name}` (default `{setting.default!r}`{f'; {setting.bounds}' if setting.bounds else ''}): "
                f"{literal_prose(setting.description)}"
                for name, setting in meta.settings.items()
            ]
        lines += ["", f"Reads: {', '.join(f'`{part}`' for part in meta.parts)}", "", "Collects:", ""]
        lines += [f"- `{line}`" for line in describe_plan(check.needs)]
    return "\n".join([*lines, *_peer_tables(checks)]) + "\n"


def _natural(text: str) -> list[object]:
    """A sort key that puts `SageMaker.2` before `SageMaker.10`."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def _peer_tables(checks: Sequence[Check]) -> list[str]:
    """For a user moving from another tool: each of its controls, and the mlaudit checks that cover it."""
    lines = [
        "",
        "## Controls of other tools",
        "",
        "Each control of a peer tool that mlaudit covers, with the checks that cover it (from the checks' references).",
    ]
    for peer in PEERS:
        covered: dict[str, list[Check]] = {}
        for check in checks:
            for reference in check.metadata.references:
                if reference.type is peer:
                    covered.setdefault(reference.id, []).append(check)
        if not covered:
            continue
        lines += ["", f"### {REFERENCE_LABELS[peer.value]}", "", "| control | mlaudit checks |", "|---|---|"]
        lines += [
            f"| {literal_prose(control)} | {', '.join(f'[{c.id}](#{_anchor(c)})' for c in found)} |"
            for control, found in sorted(covered.items(), key=lambda item: _natural(item[0]))
        ]
    return lines
