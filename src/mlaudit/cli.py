"""The `mlaudit` command line. Heavy modules (boto3, pydantic, jinja2) are imported inside commands so that
`mlaudit --help` starts instantly."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import click

from mlaudit import __version__
from mlaudit.errors import ExitCode, UserError

if TYPE_CHECKING:
    from mlaudit.report import Report

SEVERITIES = ("critical", "high", "medium", "low", "info")
EXIT_CODES = """\b
Exit codes:
  0  no unmuted FAIL at or above --fail-on
  1  at least one unmuted FAIL at or above --fail-on
  2  usage, configuration, credential or fatal error
  3  the scan was incomplete (ERROR findings) and nothing else gave 1
"""


class MlauditGroup(click.Group):
    """Turns a `UserError` anywhere below into one line on stderr and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"mlaudit: error: {exc.one_line()}", err=True)
            ctx.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"mlaudit: internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)", err=True)
            ctx.exit(ExitCode.USAGE)


def split_list(values: Sequence[str]) -> list[str]:
    """Options that are repeatable and also take comma-separated lists."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def parse_since(value: str) -> int:
    """`90d`, `90` (days) or an ISO date, as a number of days back from today."""
    from datetime import date

    text = value.strip().lower()
    try:
        days = int(text.removesuffix("d"))
    except ValueError:
        try:
            days = (date.today() - date.fromisoformat(text)).days
        except ValueError:
            raise UserError(f"--since: {value!r} is neither a number of days (90d) nor a date (2026-01-31)") from None
    if days < 1:
        raise UserError(f"--since: {value!r} must reach at least one day back")
    return days


@click.group(cls=MlauditGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110}, epilog=EXIT_CODES)
@click.version_option(__version__, "--version", prog_name="mlaudit")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Audit an AWS account against machine-learning best practices.

    mlaudit reads SageMaker, Bedrock and the S3, IAM, KMS and network resources ML workloads use, with
    read-only calls, and reports what falls short of the AWS Well-Architected Machine Learning Lens.
    """
    ctx.ensure_object(dict)["debug"] = debug


@cli.command(epilog=EXIT_CODES)
@click.option("--profile", envvar="AWS_PROFILE", help="AWS profile (default: AWS_PROFILE, then the default chain).")
@click.option("--region", "regions", multiple=True, metavar="REGION[,REGION]", help="Region to scan; repeatable. Default: every enabled region where SageMaker is offered.")
@click.option("--endpoint-url", help="Send every AWS call to this URL (a local emulator). AWS_ENDPOINT_URL works too.")
@click.option("--checks", multiple=True, metavar="ID|NAME|GLOB", help="Run only these checks (ids, names or globs like SM-ENDPOINT-*); repeatable.")
@click.option("--exclude-checks", multiple=True, metavar="ID|NAME|GLOB", help="Do not run these checks; repeatable.")
@click.option("--severity", type=click.Choice(SEVERITIES), help="Run only checks of at least this severity.")
@click.option("--checks-dir", multiple=True, type=click.Path(path_type=Path), help="Also load checks from the *.py files of this directory.")
@click.option("--set", "assignments", multiple=True, metavar="CHECK.SETTING=VALUE", help="Override a check's setting (see `mlaudit explain CHECK`); repeatable.")
@click.option("--since", default="90d", show_default=True, help="Lookback window for training jobs: days (90d) or a date.")
@click.option("--format", "formats", default="json,html", show_default=True, help="Report formats, comma-separated: json, html.")
@click.option("--output-dir", type=click.Path(path_type=Path), default=Path("."), show_default=True, help="Directory for the report files (mlaudit.<format>).")
@click.option("--output", metavar="-", help="Write the single chosen format to stdout (-) instead of a file.")
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
    fail_on: str,
    max_workers: int,
    quiet: bool,
    demo: bool,
) -> None:
    """Scan an account and write the reports."""
    from mlaudit.catalog import load_catalog
    from mlaudit.console import Terminal
    from mlaudit.output import prepare_directory
    from mlaudit.renderers import FORMATS
    from mlaudit.scan import ScanOptions, run_scan, select_checks
    from mlaudit.settings import parse_assignments
    from mlaudit.taxonomy import Severity

    chosen = split_list([formats])
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise UserError(f"--format: unknown format {', '.join(unknown) or '(none)'}", hint=f"choose from {', '.join(FORMATS)}")
    if output is not None and (output != "-" or len(chosen) != 1):
        raise UserError("--output - writes one format to stdout: choose exactly one --format")
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
    written = _write_reports(report, [FORMATS[f] for f in chosen], directory)
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


def _write_reports(report: Report, formats: list[Any], directory: Path | None) -> list[Path]:
    from mlaudit.output import write_atomic

    if directory is None:
        sys.stdout.write(formats[0].render(report))
        sys.stdout.flush()
        return []
    written = []
    for fmt in formats:
        path = directory / fmt.filename
        try:
            write_atomic(path, fmt.render(report))
        except OSError as exc:
            raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc
        written.append(path)
    return written


def exit_code(report: Report, fail_on: str) -> int:
    """1 for an unmuted FAIL at or above `fail_on`; else 3 for an incomplete scan; else 0."""
    from mlaudit.report import ScanStatus
    from mlaudit.taxonomy import Severity, Status

    if fail_on != "none":
        threshold = Severity(fail_on)
        if any(f.status is Status.FAIL and f.severity.at_least(threshold) for f in report.findings):
            return ExitCode.FINDINGS
    if report.scan.status is ScanStatus.PARTIAL:
        return ExitCode.INCOMPLETE
    return ExitCode.OK


@cli.command("list-checks")
@click.option("--format", "fmt", type=click.Choice(("table", "json")), default="table", show_default=True)
@click.option("--checks-dir", multiple=True, type=click.Path(path_type=Path), help="Also load checks from this directory.")
def list_checks(fmt: str, checks_dir: tuple[Path, ...]) -> None:
    """List every check: id, name, severity, pillar and title."""
    import json

    from mlaudit.catalog import load_catalog

    catalog = load_catalog(checks_dir)
    if fmt == "json":
        click.echo(json.dumps([c.metadata.model_dump(mode="json") for c in catalog.checks], indent=2))
        return
    from mlaudit.console import Terminal

    rows = [
        (m.id, m.name, m.severity.value, m.pillar.value, m.title + (" (opt-in)" if m.opt_in else ""))
        for m in (c.metadata for c in catalog.checks)
    ]
    Terminal().table(("ID", "Name", "Severity", "Pillar", "Title"), rows)


@cli.command()
@click.argument("check_key", metavar="CHECK")
@click.option("--checks-dir", multiple=True, type=click.Path(path_type=Path), help="Also load checks from this directory.")
def explain(check_key: str, checks_dir: tuple[Path, ...]) -> None:
    """Everything about one check (by id or name): why it matters, how to fix it, references."""
    import textwrap

    from mlaudit.catalog import load_catalog

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
        "",
        "Why it matters:",
        para(meta.rationale),
        "",
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
            f"  {name} = {setting.default!r}: {setting.description}" for name, setting in meta.settings.items()
        ]
    lines += ["", f"Source: {meta.source}"]
    click.echo("\n".join(lines))


def main() -> None:
    cli(prog_name="mlaudit")
