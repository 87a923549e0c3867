"""`mlaudit collect` saves an inventory snapshot; `mlaudit evaluate` runs checks on one, with no AWS access."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from mlaudit.cli.common import EXIT_CODES
from mlaudit.cli.options import account_options, config_option, gate_options, report_options, selection_options


@click.command()
@config_option
@account_options
@selection_options
@click.option(
    "--output",
    "-o",
    "target",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Snapshot file (inventory.json, or inventory.json.gz to compress).",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
@click.option(
    "--demo", is_flag=True, help="Collect the built-in demo account (a seeded moto server; needs mlaudit[demo])."
)
@click.pass_context
def collect(ctx: click.Context, target: Path, demo: bool, **params: Any) -> None:
    """Collect what the selected checks need (default: all) into a snapshot, for `mlaudit evaluate`.

    The snapshot records the tool version, the parts it holds and every collection error.
    """
    from contextlib import nullcontext

    from mlaudit.cli.console import Terminal
    from mlaudit.cli.demo import demo_account
    from mlaudit.cli.reporting import Selection
    from mlaudit.collect.run import collect_inventory
    from mlaudit.core.interrupts import exit_code, interruptible
    from mlaudit.report.output import prepare_directory
    from mlaudit.report.saved import save_inventory

    selection = Selection.of(ctx, params)
    options = selection.options
    prepare_directory(target.parent)
    terminal = Terminal(quiet=bool(selection.request["quiet"]))
    with (
        demo_account(options, terminal) if demo else nullcontext(),
        terminal.collection_progress() as progress,
        interruptible(),
    ):
        inventory = collect_inventory(options, options.parts, progress)
    save_inventory(inventory, target)
    terminal.line(f"wrote {target}: {len(inventory.parts())} parts, {len(inventory.errors)} collection errors")
    if inventory.interrupted is not None:
        ctx.exit(exit_code(inventory.interrupted))


@click.command(epilog=EXIT_CODES)
@click.argument("snapshot", type=click.Path(path_type=Path, dir_okay=False))
@config_option
@selection_options
@report_options
@gate_options
@click.pass_context
def evaluate(ctx: click.Context, snapshot: Path, **params: Any) -> None:
    """Run checks on a saved inventory snapshot and write the reports, without AWS access.

    A check whose inventory parts the snapshot lacks reports ERROR, saying so.
    """
    from mlaudit.cli.reporting import Run
    from mlaudit.config.settings import check_lookback
    from mlaudit.report.model import CallStatistics
    from mlaudit.report.saved import load_inventory
    from mlaudit.scan import report_from_inventory

    run = Run.start(ctx, params)
    inventory = load_inventory(snapshot)
    window = round((inventory.created_at - inventory.since).total_seconds() / 86400)
    check_lookback(run.checks, run.settings, window, f"the window of {snapshot}")
    report = report_from_inventory(inventory, run.checks, run.settings, None, CallStatistics(), run.stream(inventory))
    run.finish(ctx, report, inventory)
