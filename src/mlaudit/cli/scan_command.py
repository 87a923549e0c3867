"""`mlaudit scan`: collect, evaluate, mute what is accepted, write the reports, exit with a code CI can act on."""

from __future__ import annotations

from typing import Any

import click

from mlaudit.cli.common import EXIT_CODES
from mlaudit.cli.options import account_options, config_option, gate_options, report_options, selection_options


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
    from mlaudit.cli.demo import demo_account

    with demo_account(options, run.terminal):
        return _scan(options, run)
