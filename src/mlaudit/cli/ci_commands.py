"""Commands for running mlaudit in CI: a starter configuration, baselines, comparing two reports, and the IAM
policy a scan needs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mlaudit.cli.common import SEVERITIES, complete_checks, require_checks, split_list
from mlaudit.core.errors import ExitCode, UserError


@click.command()
@click.option(
    "--path", type=click.Path(path_type=Path, dir_okay=False), default=Path(".mlaudit.yaml"), show_default=True
)
@click.option("--force", is_flag=True, help="Replace an existing file.")
def init(path: Path, force: bool) -> None:
    """Write a commented starter configuration file: every option, with an example."""
    from mlaudit.config.file import starter

    if path.exists() and not force:
        raise UserError(f"{path} already exists", hint="use --force to replace it")
    try:
        path.write_text(starter(), encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {path}")


@click.group()
def baseline() -> None:
    """Record today's failing findings, so that CI fails only on new ones (`scan --baseline FILE`)."""


@baseline.command("create")
@click.argument("report", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--output",
    "-o",
    "target",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path(".mlaudit-baseline.json"),
    show_default=True,
)
def baseline_create(report: Path, target: Path) -> None:
    """Write the failing findings of a saved report (mlaudit.json) to a baseline file."""
    from mlaudit.gating.baseline import create_baseline
    from mlaudit.report.output import write_atomic
    from mlaudit.report.saved import load_report

    created = create_baseline(load_report(report))
    write_atomic(target, created.model_dump_json(indent=2) + "\n")
    click.echo(f"wrote {target}: {len(created.findings)} failing findings")


@click.command()
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(("table", "json", "md")), default="table", show_default=True)
@click.option(
    "--fail-on",
    type=click.Choice((*SEVERITIES, "none")),
    default="low",
    show_default=True,
    help="Exit 1 when a new failing finding is at or above this severity.",
)
@click.option("--all", "show_all", is_flag=True, help="Also list the findings still failing (default: count them).")
@click.pass_context
def diff(ctx: click.Context, old: Path, new: Path, fmt: str, fail_on: str, show_all: bool) -> None:
    """Compare two saved reports: new, fixed, still failing and changed-severity findings (the counts first)."""
    from mlaudit.cli.console import Terminal
    from mlaudit.core.taxonomy import Severity
    from mlaudit.renderers.markdown import render_diff
    from mlaudit.report.diffing import diff_reports
    from mlaudit.report.saved import load_report

    change = diff_reports(load_report(old), load_report(new))
    if fmt == "json":
        click.echo(change.to_json())
    elif fmt == "md":
        click.echo(render_diff(change))
    else:
        click.echo(change.counts)
        rows = change.table_rows(unchanged=show_all)
        if rows:
            Terminal().table(("change", "severity", "check", "resource", "region"), rows)
    threshold = None if fail_on == "none" else Severity(fail_on)
    failing = threshold is not None and any(f.severity.at_least(threshold) for f in change.new)
    ctx.exit(ExitCode.FINDINGS if failing else ExitCode.OK)


SECURITY_AUDIT_VERSION = "v94"
"""The version of the AWS managed policy the help names (`mlaudit.collect.security_audit.json`; a test holds them
equal). Written out: `mlaudit policy --help` must not load the catalog to say it."""
POLICY_HELP = f"""Print the minimal read-only IAM policy the selected checks need (or a role that carries it).

The AWS managed policy SecurityAudit ({SECURITY_AUDIT_VERSION}) grants most of what the checks need:
--beyond-security-audit prints only what it lacks for the selected checks, a policy to attach beside it; a
missing-permissions warning names such actions when AWS denies them.
"""


@click.command(help=POLICY_HELP)
@click.option(
    "--checks",
    multiple=True,
    metavar="ID|NAME|GLOB",
    shell_complete=complete_checks,
    help="Only what these checks need (default: every check not opt-in).",
)
@click.option("--exclude-checks", multiple=True, metavar="ID|NAME|GLOB", shell_complete=complete_checks)
@click.option("--checks-dir", "checks_dirs", multiple=True, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(("json", "cloudformation", "terraform")), default="json", show_default=True
)
@click.option(
    "--org",
    is_flag=True,
    help="The policy of the account mlaudit runs in when it scans others (--org, --role-arn): list the "
    "organization's accounts and assume the role in each. Each scanned account's role needs the policy without --org.",
)
@click.option(
    "--beyond-security-audit",
    "beyond",
    is_flag=True,
    help="Only the actions the AWS managed policy SecurityAudit does not grant: what a role that has it needs besides.",
)
def policy(
    checks: tuple[str, ...],
    exclude_checks: tuple[str, ...],
    checks_dirs: tuple[Path, ...],
    fmt: str,
    org: bool,
    beyond: bool,
) -> None:
    """Print the minimal read-only IAM policy the selected checks need (or a role that carries it)."""
    from mlaudit.catalog.loader import load_catalog
    from mlaudit.collect.permissions import (
        RENDERERS,
        RUNNER_OPERATIONS,
        beyond_security_audit,
        iam_actions,
        required_actions,
        security_audit,
    )

    if org:
        actions = sorted({action for op in RUNNER_OPERATIONS for action in iam_actions(op)})
    else:
        selected = require_checks(load_catalog(checks_dirs).select(split_list(checks), split_list(exclude_checks)))
        actions = required_actions(selected)
    if beyond:
        actions = beyond_security_audit(actions)
        if not actions:
            click.echo(f"{security_audit().label} grants every action the selected checks need", err=True)
            return
    sys.stdout.write(RENDERERS[fmt](actions))
