"""`mlaudit report` renders a saved report in any format, offline; `mlaudit merge` makes one of several;
`mlaudit export security-hub` sends one."""

from __future__ import annotations

from pathlib import Path

import click

from mlaudit.cli.common import FORMAT_NAMES, choose_formats
from mlaudit.core.errors import ExitCode


@click.command()
@click.option(
    "--from", "source", required=True, type=click.Path(path_type=Path, dir_okay=False), help="A saved mlaudit.json."
)
@click.option(
    "--format", "formats", default="html", show_default=True, help=f"Formats, comma-separated: {FORMAT_NAMES}."
)
@click.option("--output-dir", type=click.Path(path_type=Path), default=Path("."), show_default=True)
@click.option("--output", metavar="-", help="Write the single chosen format to stdout (-).")
@click.option(
    "--previous", type=click.Path(path_type=Path, dir_okay=False), help="An earlier mlaudit.json, to show what changed."
)
@click.option(
    "--sarif-anchor", default=".mlaudit.yaml", show_default=True, help="The repository file SARIF results point at."
)
@click.option(
    "--csv-bom",
    is_flag=True,
    help="Start mlaudit.csv with a UTF-8 byte-order mark, so that Excel shows non-ASCII names.",
)
def report(
    source: Path,
    formats: str,
    output_dir: Path,
    output: str | None,
    previous: Path | None,
    sarif_anchor: str,
    csv_bom: bool,
) -> None:
    """Render a saved report (mlaudit.json) in other formats, without AWS access."""
    from mlaudit.renderers import RenderOptions
    from mlaudit.report.output import prepare_directory, write_reports
    from mlaudit.report.saved import load_report

    chosen = choose_formats(formats, output)
    saved = load_report(source)
    options = RenderOptions(
        sarif_anchor=sarif_anchor, previous=load_report(previous) if previous else None, csv_bom=csv_bom
    )
    directory = prepare_directory(output_dir) if output is None else None
    for path in write_reports(saved, chosen, directory, options):
        click.echo(f"wrote {path}")


@click.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--output",
    "-o",
    "target",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The merged mlaudit.json.",
)
def merge(sources: tuple[Path, ...], target: Path) -> None:
    """Merge saved reports (the shards of a fan-out, or scans of separate accounts) into one mlaudit.json.

    Findings are deduplicated by id, accounts, regions, errors and checks are united, the summary is recomputed;
    the result is partial if any input is. Reports of another major schema version are refused.
    """
    from mlaudit.renderers.json_report import render_json
    from mlaudit.report.merging import merge_reports
    from mlaudit.report.output import write_atomic
    from mlaudit.report.saved import load_report

    merged = merge_reports([load_report(source) for source in sources])
    write_atomic(target, render_json(merged))
    click.echo(
        f"wrote {target}: {len(merged.findings)} findings, {len(merged.accounts)} accounts, "
        f"{len(merged.scan.regions)} regions, from {len(sources)} reports ({merged.scan.status.value})"
    )


@click.group()
def export() -> None:
    """Send a saved report somewhere. The only commands that write to an AWS account."""


@export.command("security-hub")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--profile", envvar="AWS_PROFILE", help="AWS profile of the Security Hub account.")
@click.option("--endpoint-url", help="Send the calls to this URL (an emulator).")
@click.option(
    "--failed-only", is_flag=True, help="Send only FAIL and MUTED findings (default: all, so fixed ones close)."
)
@click.pass_context
def security_hub(
    ctx: click.Context, source: Path, profile: str | None, endpoint_url: str | None, failed_only: bool
) -> None:
    """Import a saved report's findings into AWS Security Hub (ASFF, batches of 100).

    Exit code 0 when every finding was imported, 1 when Security Hub rejected some (each is listed), 2 on error.
    """
    from mlaudit.collect.accounts.credentials import open_session
    from mlaudit.export.security_hub import export_findings
    from mlaudit.report.saved import load_report

    result = export_findings(load_report(source), open_session(profile), endpoint_url, failed_only)
    click.echo(f"imported {result.imported} findings into Security Hub")
    for rejection in result.rejected:
        click.echo(f"rejected {rejection.finding_id}: {rejection.error_code}: {rejection.message}", err=True)
    ctx.exit(ExitCode.FINDINGS if result.rejected else ExitCode.OK)
