"""`mlaudit scan`: collect, evaluate, write the reports, exit with a code CI can act on."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from mlaudit.cli.common import EXIT_CODES, FORMAT_NAMES, SEVERITIES, choose_formats, parse_since, split_list
from mlaudit.errors import UserError


@click.command(epilog=EXIT_CODES)
@click.option("--profile", envvar="AWS_PROFILE", help="AWS profile (default: AWS_PROFILE, then the default chain).")
@click.option("--region", "regions", multiple=True, metavar="REGION[,REGION]", help="Region to scan; repeatable. Default: every enabled region where SageMaker is offered.")
@click.option("--endpoint-url", help="Send every AWS call to this URL (a local emulator). AWS_ENDPOINT_URL works too.")
@click.option("--checks", multiple=True, metavar="ID|NAME|GLOB", help="Run only these checks (ids, names or globs like SM-ENDPOINT-*); repeatable.")
@click.option("--exclude-checks", multiple=True, metavar="ID|NAME|GLOB", help="Do not run these checks; repeatable.")
@click.option("--severity", type=click.Choice(SEVERITIES), help="Run only checks of at least this severity.")
@click.option("--checks-dir", multiple=True, type=click.Path(path_type=Path), help="Also load checks from the *.py files of this directory.")
@click.option("--set", "assignments", multiple=True, metavar="CHECK.SETTING=VALUE", help="Override a check's setting (see `mlaudit explain CHECK`); repeatable.")
@click.option("--since", default="90d", show_default=True, help="Lookback window for training jobs: days (90d) or a date.")
@click.option("--format", "formats", default="json,html", show_default=True, help=f"Report formats, comma-separated: {FORMAT_NAMES}.")
@click.option("--output-dir", type=click.Path(path_type=Path), default=Path("."), show_default=True, help="Directory for the report files (mlaudit.<format>).")
@click.option("--output", metavar="-", help="Write the single chosen format to stdout (-) instead of a file.")
@click.option("--previous", type=click.Path(path_type=Path, dir_okay=False), help="An earlier mlaudit.json: the HTML and Markdown reports show what changed.")
@click.option("--sarif-anchor", default=".mlaudit.yaml", show_default=True, help="The repository file SARIF results point at.")
@click.option("--fail-on", type=click.Choice((*SEVERITIES, "none")), default="low", show_default=True, help="Exit 1 when a FAIL at or above this severity exists.")
@click.option("--max-workers", type=click.IntRange(1, 256), default=16, show_default=True, help="Concurrent AWS calls.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option("--demo", is_flag=True, help="Scan the built-in demo account (a seeded moto server; needs mlaudit[demo]).")
@click.pass_context
def scan(
    ctx: click.Context,
    profile: str | None,
    regions: tuple[str, ...],
    endpoint_url: str | None,
    checks: tuple[str, ...],
    exclude_checks: tuple[str, ...],
    severity: str | None,
    checks_dir: tuple[Path, ...],
    assignments: tuple[str, ...],
    since: str,
    formats: str,
    output_dir: Path,
    output: str | None,
    previous: Path | None,
    sarif_anchor: str,
    fail_on: str,
    max_workers: int,
    quiet: bool,
    demo: bool,
) -> None:
    """Scan an account and write the reports."""
    from mlaudit.catalog import load_catalog
    from mlaudit.console import Terminal
    from mlaudit.gating import exit_code
    from mlaudit.output import append_github_summary, prepare_directory, write_reports
    from mlaudit.renderers import RenderOptions
    from mlaudit.saved import load_report
    from mlaudit.scan import ScanOptions, run_scan, select_checks
    from mlaudit.settings import parse_assignments
    from mlaudit.taxonomy import Severity

    chosen = choose_formats(formats, output)
    render_options = RenderOptions(sarif_anchor=sarif_anchor, previous=load_report(previous) if previous else None)
    terminal = Terminal(stream=sys.stderr if output == "-" else None, quiet=quiet)
    catalog = load_catalog(checks_dir)
    options = ScanOptions(
        profile=profile,
        regions=split_list(regions),
        endpoint_url=endpoint_url,
        checks=split_list(checks),
        exclude_checks=split_list(exclude_checks),
        min_severity=Severity(severity) if severity else None,
        checks_dirs=checks_dir,
        since_days=parse_since(since),
        max_workers=max_workers,
        settings=parse_assignments(catalog, assignments),
    )
    selected = select_checks(options, catalog)
    if not selected:
        raise UserError("no checks selected", hint="see `mlaudit list-checks`")
    directory = prepare_directory(output_dir) if output is None else None

    if demo:
        result = _scan_demo(options, terminal, selected)
    else:
        with terminal.collection_progress() as progress:
            result = run_scan(options, observer=progress, checks=selected)
    report = result.report
    written = write_reports(report, chosen, directory, render_options)
    if any(f.name == "md" for f in chosen) and append_github_summary(report, render_options):
        terminal.line("Appended the Markdown summary to GITHUB_STEP_SUMMARY")
    terminal.summary(report, written)
    ctx.exit(exit_code(report, fail_on))


def _scan_demo(options: Any, terminal: Any, selected: list[Any]) -> Any:
    from mlaudit.scan import run_scan

    if options.profile or options.endpoint_url:
        raise UserError("--demo scans the built-in demo account: it takes no --profile or --endpoint-url")
    try:
        from mlaudit.demo.estate import seed
        from mlaudit.demo.server import DEMO_REGIONS, demo_session, moto_server
    except ImportError as exc:
        raise UserError(f"the demo account needs moto ({exc.name} is missing)", hint="pip install 'mlaudit[demo]'") from exc
    unknown = [r for r in options.regions if r not in DEMO_REGIONS]
    if unknown:
        raise UserError(f"--region: the demo account has only {', '.join(DEMO_REGIONS)}")
    options.regions = options.regions or list(DEMO_REGIONS)
    with moto_server() as url:
        terminal.line(f"Demo account: a seeded ML estate served by moto at {url}")
        seed(demo_session(), url)
        options.endpoint_url = url
        options.session = demo_session()
        with terminal.collection_progress() as progress:
            return run_scan(options, observer=progress, checks=selected)
