"""`mlaudit list-checks` and `mlaudit explain`: the catalog, for people and for tools."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("list-checks")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option(
    "--checks-dir", multiple=True, type=click.Path(path_type=Path), help="Also load checks from this directory."
)
def list_checks(fmt: str, checks_dir: tuple[Path, ...]) -> None:
    """List every check: id, name, severity, pillar and title."""
    import json

    from mlaudit.catalog.index import check_listings

    listings = check_listings(checks_dir)
    if fmt == "json":
        click.echo(json.dumps(listings, indent=2))
        return
    from mlaudit.cli.console import Terminal

    rows = [
        (m["id"], m["name"], m["severity"], m["pillar"], m["title"] + (" (opt-in)" if m["opt_in"] else ""))
        for m in listings
    ]
    Terminal().table(("ID", "Name", "Severity", "Pillar", "Title"), rows)


@click.command()
@click.argument("check_key", metavar="CHECK")
@click.option(
    "--checks-dir", multiple=True, type=click.Path(path_type=Path), help="Also load checks from this directory."
)
def explain(check_key: str, checks_dir: tuple[Path, ...]) -> None:
    """Everything about one check (by id or name): why it matters, how to fix it, references."""
    import textwrap

    from mlaudit.catalog.loader import load_catalog
    from mlaudit.collect.registry import describe_plan

    catalog = load_catalog(checks_dir)
    check = catalog.resolve([check_key], option="explain")[0]
    meta = check.metadata

    def para(text: str) -> str:
        return textwrap.fill(text, width=100, initial_indent="  ", subsequent_indent="  ")

    lines = [
        f"{meta.id}  {meta.name}" + ("  (opt-in)" if meta.opt_in else ""),
        meta.title,
        "",
        f"Severity: {meta.severity.value}    Pillar: {meta.pillar.value}    Resource: {meta.resource_type}",
        f"Reads: {', '.join(meta.parts)}",
        "Collects (with what they are found through):",
        *(f"  {line}" for line in describe_plan(check.needs)),
        "",
        "Why it matters:",
        para(meta.rationale),
        "",
        *(["What it judges:", para(meta.judges), ""] if meta.judges else []),
        "How to fix it:",
        para(meta.remediation.text),
    ]
    if meta.remediation.cli:
        lines += ["", "  $ " + meta.remediation.cli]
    lines += ["", f"  Documentation: {meta.remediation.url}"]
    if meta.references:
        lines += ["", "References:"] + [f"  {r.type.value:<13} {r.id:<55} {r.url}" for r in meta.references]
    if meta.settings:
        lines += ["", "Settings:"] + [
            f"  {name} = {setting.default!r}{' (' + setting.bounds() + ')' if setting.bounds() else ''}: "
            f"{setting.description}"
            for name, setting in meta.settings.items()
        ]
    lines += ["", f"Source: {meta.source}"]
    click.echo("\n".join(lines))
