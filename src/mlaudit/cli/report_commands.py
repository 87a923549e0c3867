"""`mlaudit report` renders a saved report in any format, offline; `mlaudit merge` makes one of several;
`mlaudit export security-hub` sends one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from mlaudit.cli.common import FORMAT_NAMES, choose_formats
from mlaudit.core.errors import ExitCode

if TYPE_CHECKING:
    from mlaudit.export.security_hub import ExportResult


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
    "--sarif-category",
    default="mlaudit",
    show_default=True,
    help="The code scanning category of the SARIF run: one per scan scope, the same in every run.",
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
    sarif_category: str,
    csv_bom: bool,
) -> None:
    """Render a saved report (mlaudit.json) in other formats, without AWS access."""
    from mlaudit.renderers import RenderOptions
    from mlaudit.report.output import prepare_directory, write_reports
    from mlaudit.report.saved import load_report

    chosen = choose_formats(formats, output)
    saved = load_report(source)
    options = RenderOptions(
        sarif_anchor=sarif_anchor,
        sarif_category=sarif_category,
        previous=load_report(previous) if previous else None,
        csv_bom=csv_bom,
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
@click.option("--profile", envvar=["MLAUDIT_PROFILE", "AWS_PROFILE"], help="AWS profile to export with.")
@click.option("--endpoint-url", envvar="MLAUDIT_ENDPOINT_URL", help="Send the calls to this URL (an emulator).")
@click.option(
    "--role-name",
    envvar="MLAUDIT_ROLE_NAME",
    help="The role to assume in each account of the report other than the profile's own (as `scan --org`).",
)
@click.option(
    "--role-arn", envvar="MLAUDIT_ROLE_ARN", help="A role to assume for the findings of its account (as `scan`)."
)
@click.option("--external-id", envvar="MLAUDIT_EXTERNAL_ID", help="External id to pass when assuming the role.")
@click.option(
    "--role-session-name",
    envvar="MLAUDIT_ROLE_SESSION_NAME",
    help="Session name of the assumed role.  [default: mlaudit]",
)
@click.option(
    "--home-region",
    envvar="MLAUDIT_HOME_REGION",
    help="Region of account-wide findings.  [default: the profile's region, else us-east-1]",
)
@click.option(
    "--previous",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The report exported before: its MUTED findings that are FAIL now go back to NEW.",
)
@click.option(
    "--failed-only", is_flag=True, help="Send only FAIL and MUTED findings (default: all, so fixed ones close)."
)
@click.pass_context
def security_hub(
    ctx: click.Context, source: Path, failed_only: bool, previous: Path | None, **access: str | None
) -> None:
    """Import a saved report's findings into AWS Security Hub, each account's in that account, and set their
    workflow (SUPPRESSED for MUTED, RESOLVED for PASS).

    Exit code 0 when every finding was imported and its workflow set, 1 when Security Hub rejected a finding or a
    workflow update or an account or region could not be reached or refused (each is listed), 2 on a usage or
    credential error (nothing sent).
    """
    from mlaudit.collect.accounts.assume import DEFAULT_SESSION_NAME, RoleSpec
    from mlaudit.collect.accounts.credentials import identify, open_session
    from mlaudit.collect.accounts.regions import known_regions
    from mlaudit.collect.accounts.session import AwsClients
    from mlaudit.core.errors import UserError
    from mlaudit.export.security_hub import AccountReach, export_findings
    from mlaudit.renderers.asff import DEFAULT_HOME_REGION
    from mlaudit.report.saved import load_report

    report = load_report(source)
    earlier = load_report(previous) if previous else None
    reach = AccountReach(
        access["role_name"],
        access["role_arn"],
        RoleSpec(access["external_id"], access["role_session_name"] or DEFAULT_SESSION_NAME),
    )
    session = open_session(access["profile"])
    clients = AwsClients(
        session, home_region=session.region_name or DEFAULT_HOME_REGION, endpoint_url=access["endpoint_url"]
    )
    home = access["home_region"] or clients.home_region
    if home not in known_regions(clients):
        raise UserError(f"--home-region: unknown region {home!r}")
    caller = identify(clients, access["profile"])
    result = export_findings(
        report, clients, caller, reach=reach, home_region=home, failed_only=failed_only, previous=earlier
    )
    _print_export(result)
    ctx.exit(ExitCode.FINDINGS if result.failed else ExitCode.OK)


def _print_export(result: ExportResult) -> None:
    """One line per account on stdout (its errors and rejected findings on stderr), then the total."""
    from mlaudit.cli.console import safe

    for account in result.accounts:
        workflow = ", ".join(f"{count} {status}" for status, count in sorted(account.workflow.items()))
        rejected = f", {len(account.rejected)} rejected" if account.rejected else ""
        click.echo(
            f"account {account.account_id}: imported {account.imported}{rejected}; workflow: {workflow or 'none'}"
        )
        for error in account.errors:
            click.echo(f"account {account.account_id}: error: {safe(error)}", err=True)
        for rejection in account.rejected:
            what = "rejected" if rejection.step == "import" else "workflow not updated for"
            click.echo(
                f"account {account.account_id}: {what} {safe(rejection.finding_id)}: "
                f"{safe(rejection.error_code)}: {safe(rejection.message)}",
                err=True,
            )
    imported = sum(account.imported for account in result.accounts)
    failed = sum(account.failed for account in result.accounts)
    click.echo(
        f"imported {imported} findings into Security Hub in {len(result.accounts)} account(s)"
        + (f"; {failed} account(s) failed" if failed else "")
    )
