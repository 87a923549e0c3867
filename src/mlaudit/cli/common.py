"""What every command shares: error handling, option parsing helpers, the exit-code text."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import click
import click.shell_completion
from click.core import ParameterSource

from mlaudit.core.errors import ExitCode, UserError, single_line
from mlaudit.core.interrupts import ScanInterrupted, exit_code

FORMAT_NAMES = "json, html, jsonl, csv, sarif, junit, md, ocsf, ocsf-parquet, asff"
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


def usage_line(exc: click.UsageError) -> str:
    """Click's usage error (three lines: Usage, Try, Error) as one, naming where a bad value came from: the command
    line or an environment variable (a value from the configuration file is checked with the file's line)."""
    command = exc.ctx.command_path if exc.ctx else "mlaudit"
    hint = f"see `{command} --help`"
    param = getattr(exc, "param", None)
    bad_value = isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter)
    if bad_value and param is not None and exc.ctx is not None:
        option = max(param.opts, key=len) if param.opts else param.human_readable_name
        message = exc.message.rstrip(".")
        if exc.ctx.get_parameter_source(param.name or "") is ParameterSource.ENVIRONMENT:
            names = [param.envvar] if isinstance(param.envvar, str) else list(param.envvar or ())
            variable = next((name for name in names if name in os.environ), names[0] if names else "?")
            return single_line(f"{variable} in the environment (for {option}): {message} ({hint})")
        return single_line(f"{option} on the command line: {message} ({hint})")
    return single_line(f"{exc.format_message().replace('. (', ' (').rstrip('.')} ({hint})")


def _debug(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_root().ensure_object(dict)["debug"] = True


def debug_option() -> click.Option:
    """`--debug`, accepted by every command as well as before it (the error hint says to rerun with it)."""
    return click.Option(
        ["--debug"],
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_debug,
        help="Show tracebacks instead of one-line errors.",
    )


def accept_debug(command: click.Command) -> None:
    """Give `command` (and every command of a group) the `--debug` option."""
    command.params.append(debug_option())
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            accept_debug(sub)


class MlauditGroup(click.Group):
    """Turns a `UserError` or a usage error anywhere below into one line on stderr and exit code 2, never a
    traceback."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:  # an option of `mlaudit` itself
            click.echo(f"mlaudit: error: {usage_line(exc)}", err=True)
            raise click.exceptions.Exit(ExitCode.USAGE) from exc

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            click.echo(f"mlaudit: error: {usage_line(exc)}", err=True)
            ctx.exit(ExitCode.USAGE)
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


def complete_checks(
    _: click.Context, __: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    """Shell completion of check ids and names (from the generated index: instant), for the last item of a
    comma-separated list."""
    from mlaudit.catalog.index import check_listings

    done, _comma, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    keys = sorted({key for listing in check_listings() for key in (listing["id"], listing["name"])})
    return [click.shell_completion.CompletionItem(prefix + key) for key in keys if key.lower().startswith(last.lower())]


def require_checks(checks: list[Any]) -> list[Any]:
    """The selected checks, or the one error every command gives when the selection is empty."""
    if not checks:
        raise UserError("no checks selected", hint="see `mlaudit list-checks`")
    return checks


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
    if output is not None and output != "-":
        raise UserError(
            f"--output {output}: --output takes only - (standard output)",
            hint="report files go to --output-dir, named mlaudit.<format>",
        )
    if output is not None and len(names) != 1:
        raise UserError("--output - writes one format to stdout: choose exactly one --format")
    chosen = [FORMATS[name] for name in dict.fromkeys(names)]
    for fmt in chosen:
        fmt.require()
    if output is not None:
        chosen[0].stream_writer()
    return chosen
