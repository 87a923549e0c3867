"""Commands for running mlaudit in CI: a starter configuration, baselines, comparing two reports, and the IAM
policy a scan needs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mlaudit.cli.common import SEVERITIES, split_list
from mlaudit.core.errors import ExitCode, UserError

STARTER = """\
# mlaudit configuration. Every option can also be given on the command line (which wins) or as an
# MLAUDIT_<OPTION> environment variable (which wins over this file). Run `mlaudit list-checks` for check ids.

# profile: prod                      # AWS profile (default: AWS_PROFILE, then the default credential chain)
# regions: [us-east-1, eu-west-1]    # default: every enabled region where SageMaker is offered
# since: 90d                         # lookback window for training, processing and transform jobs

# Other accounts (docs/scale.md): one role, or every account of the organization through a role of one name.
# role_arn: arn:aws:iam::111122223333:role/mlaudit-readonly
# org: true                          # every ACTIVE account (run from the management or a delegated account)
# role_name: mlaudit-readonly        # with org: the role assumed in every account
# ou: [ou-ab12-cd34ef56]             # with org: only the accounts under these OUs, recursively
# accounts: ["1111*"]                # with org: only these account ids or globs (quote them)
# exclude_accounts: ["222222222222"]
# external_id: acme-audit            # passed when assuming the role
# role_session_name: mlaudit
# shard: 1/4                         # this job's share of the (account, region) units; `mlaudit merge` the reports

# checks: [SM-ENDPOINT-*, S3-ML-*]   # run only these (ids, names or globs); default: every check not opt-in
# exclude_checks: [training-without-spot]
# severity: low                      # run only checks at or above this severity
# checks_dirs: [./acme-checks]       # more checks, from the *.py files of these directories

formats: [json, html, sarif, md]
output_dir: mlaudit-reports
# sarif_anchor: .mlaudit.yaml        # the repository file SARIF results point at

fail_on: high                        # exit 1 on an unmuted FAIL at or above this severity (none: never)
fail_on_error: true                  # exit 3 when the scan is incomplete (ERROR findings)
# baseline: .mlaudit-baseline.json   # mute the findings recorded by `mlaudit baseline create`
# suppressions_file: suppressions.yaml  # more suppressions in a file of their own (`suppressions:` only)

# Per-check settings (see `mlaudit explain CHECK` for each check's settings and defaults):
# settings:
#   SM-ENDPOINT-007:
#     idle_days: 30

# Accepted risks: muted findings stay in every report as MUTED, with the reason.
# suppressions:
#   - check: SM-ENDPOINT-002         # a check id, name or glob; or finding_id: <id from mlaudit.json>
#     regions: [eu-west-1]           # optional: accounts, regions, resources (ARN or name globs), tags
#     resources: ["*:endpoint/recs-*"]
#     reason: Single-instance endpoint accepted for the recommendations pilot
#     owner: recs-team@example.com
#     expires: 2027-03-31            # after this date the finding fails again, with a warning
"""


@click.command()
@click.option(
    "--path", type=click.Path(path_type=Path, dir_okay=False), default=Path(".mlaudit.yaml"), show_default=True
)
@click.option("--force", is_flag=True, help="Replace an existing file.")
def init(path: Path, force: bool) -> None:
    """Write a commented starter configuration file."""
    if path.exists() and not force:
        raise UserError(f"{path} already exists", hint="use --force to replace it")
    try:
        path.write_text(STARTER, encoding="utf-8")
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


@click.command()
@click.option(
    "--checks",
    multiple=True,
    metavar="ID|NAME|GLOB",
    help="Only what these checks need (default: every check not opt-in).",
)
@click.option("--exclude-checks", multiple=True, metavar="ID|NAME|GLOB")
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
def policy(
    checks: tuple[str, ...], exclude_checks: tuple[str, ...], checks_dirs: tuple[Path, ...], fmt: str, org: bool
) -> None:
    """Print the minimal read-only IAM policy the selected checks need (or a role that carries it)."""
    from mlaudit.catalog.loader import load_catalog
    from mlaudit.collect.permissions import RENDERERS, RUNNER_OPERATIONS, iam_actions, required_actions

    if org:
        sys.stdout.write(RENDERERS[fmt](sorted({action for op in RUNNER_OPERATIONS for action in iam_actions(op)})))
        return
    selected = load_catalog(checks_dirs).select(split_list(checks), split_list(exclude_checks))
    sys.stdout.write(RENDERERS[fmt](required_actions(selected)))
