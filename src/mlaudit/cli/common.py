"""What every command shares: error handling, option parsing helpers, the exit-code text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from mlaudit.core.errors import ExitCode, UserError, single_line
from mlaudit.core.interrupts import ScanInterrupted, exit_code

FORMAT_NAMES = "json, html, jsonl, csv, sarif, junit, md, ocsf, asff"
"""Listed here, not imported from the renderers, so that --help does not load them."""
SEVERITIES = ("critical", "high", "medium", "low", "info")
EXIT_CODES = """\b
Exit codes:
  0  no unmuted FAIL at or above --fail-on
  1  at least one unmuted FAIL at or above --fail-on
  2  usage, configuration, credential or fatal error
  3  the scan was incomplete (ERROR findings) and nothing else gave 1
  130, 143  interrupted by Ctrl-C (SIGINT) or SIGTERM: while collecting, the
     partial report (status partial) or snapshot was written first
"""


class MlauditGroup(click.Group):
    """Turns a `UserError` anywhere below into one line on stderr and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            click.echo(f"mlaudit: error: {exc.one_line()}", err=True)
            ctx.exit(exc.exit_code)
        except ScanInterrupted as interrupt:  # outside collection, which reports what it has instead
            click.echo(f"mlaudit: error: interrupted ({interrupt}) before there was anything to write", err=True)
            ctx.exit(exit_code(interrupt.signum))
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            message = single_line(f"{type(exc).__name__}: {exc}")
            click.echo(f"mlaudit: internal error: {message} (rerun with --debug for the traceback)", err=True)
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


def choose_formats(formats: str, output: str | None) -> list[Any]:
    """The renderers for a `--format` list; `--output -` takes exactly one."""
    from mlaudit.renderers import FORMATS

    names = split_list([formats])
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise UserError(
            f"--format: unknown format {', '.join(unknown) or '(none)'}", hint=f"choose from {', '.join(FORMATS)}"
        )
    if output is not None and (output != "-" or len(names) != 1):
        raise UserError("--output - writes one format to stdout: choose exactly one --format")
    return [FORMATS[name] for name in dict.fromkeys(names)]
