"""`mlaudit list-checks` and `mlaudit explain`: the catalog, for people and for tools."""

from __future__ import annotations

from pathlib import Path

import click

from mlaudit.cli.common import SEVERITIES, complete_checks, split_list

PILLARS = ("security", "reliability", "operational-excellence", "performance", "cost", "sustainability",
           "responsible-ai")  # fmt: skip
"""The Well-Architected pillars (`mlaudit.core.taxonomy.Pillar`), written out so that --help loads nothing."""


@click.command("list-checks")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option(
    "--checks-dir", multiple=True, type=click.Path(path_type=Path), help="Also load checks from this directory."
)
@click.option("--severity", type=click.Choice(SEVERITIES), help="Only checks of at least this severity.")
@click.option(
    "--service",
    "services",
    multiple=True,
    metavar="SERVICE",
    help="Only checks of these services (sagemaker, bedrock, s3...); repeatable, comma lists.",
)
@click.option(
    "--pillar", "pillars", multiple=True, type=click.Choice(PILLARS), help="Only checks of these pillars; repeatable."
)
def list_checks(
    fmt: str, checks_dir: tuple[Path, ...], severity: str | None, services: tuple[str, ...], pillars: tuple[str, ...]
) -> None:
    """List every check (or those of a severity, service or pillar): id, name, severity, pillar and title."""
    import json

    from mlaudit.catalog.index import check_listings
    from mlaudit.core.errors import UserError

    listings = check_listings(checks_dir)
    wanted = set(split_list(services))
    known = {listing["service"] for listing in listings}
    if wanted - known:
        raise UserError(
            f"--service: no check judges {', '.join(sorted(wanted - known))}",
            hint=f"services: {', '.join(sorted(known))}",
        )
    ranks = {name: rank for rank, name in enumerate(reversed(SEVERITIES))}
    listings = [
        listing
        for listing in listings
        if (severity is None or ranks[listing["severity"]] >= ranks[severity])
        and (not wanted or listing["service"] in wanted)
        and (not pillars or listing["pillar"] in pillars)
    ]
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
@click.argument("check_key", metavar="CHECK", shell_complete=complete_checks)
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
            f"  {name} = {setting.default!r}{f' ({setting.bounds})' if setting.bounds else ''}: {setting.description}"
            for name, setting in meta.settings.items()
        ]
    lines += ["", f"Source: {meta.source}"]
    click.echo("\n".join(lines))
