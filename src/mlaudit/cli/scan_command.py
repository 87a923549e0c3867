"""`mlaudit scan`: collect, evaluate, mute what is accepted, write the reports, exit with a code CI can act on."""

from __future__ import annotations

from typing import Any

import click

from mlaudit.cli.common import EXIT_CODES
from mlaudit.cli.options import account_options, config_option, gate_options, report_options, selection_options
from mlaudit.core.errors import UserError


@click.command(epilog=EXIT_CODES)
@config_option
@account_options
@selection_options
@report_options
@gate_options
@click.option(
    "--demo", is_flag=True, help="Scan the built-in demo account (a seeded moto server; needs mlaudit[demo])."
)
@click.pass_context
def scan(ctx: click.Context, **params: Any) -> None:
    """Scan an account (or others: --role-arn, --org) and write the reports."""
    from mlaudit.cli.reporting import Run

    run = Run.start(ctx, params)
    options = run.options
    result = _scan_demo(options, run) if params["demo"] else _scan(options, run)
    run.finish(ctx, result.report, result.inventory)


def _scan(options: Any, run: Any) -> Any:
    """Collect and evaluate; Ctrl-C or SIGTERM while collecting still gives a report (see `mlaudit.core.interrupts`)."""
    from mlaudit.core.interrupts import interruptible
    from mlaudit.scan import run_scan

    with run.terminal.collection_progress() as progress, interruptible():
        return run_scan(options, observer=progress, stream=run.stream)


def _scan_demo(options: Any, run: Any) -> Any:
    if options.profile or options.endpoint_url or options.accounts.role_arn or options.accounts.org:
        raise UserError(
            "--demo scans the built-in demo account: it takes no --profile, --endpoint-url, --role-arn or --org"
        )
    try:
        from mlaudit.demo.estate import seed
        from mlaudit.demo.server import DEMO_REGIONS, demo_session, moto_server
    except ImportError as exc:
        raise UserError(
            f"the demo account needs moto ({exc.name} is missing)", hint="pip install 'mlaudit[demo]'"
        ) from exc
    unknown = [r for r in options.regions if r not in DEMO_REGIONS]
    if unknown:
        raise UserError(f"--region: the demo account has only {', '.join(DEMO_REGIONS)}")
    options.regions = options.regions or list(DEMO_REGIONS)
    with moto_server() as url:
        run.terminal.line(f"Demo account: a seeded ML estate served by moto at {url}")
        seed(demo_session(), url)
        options.endpoint_url = url
        options.session = demo_session()
        return _scan(options, run)
