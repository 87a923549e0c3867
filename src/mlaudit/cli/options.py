"""Options shared by the commands that scan, collect or evaluate, declared once.

Every option also reads an `MLAUDIT_<OPTION>` environment variable, and (through `cli.request`) the
configuration file: command line > environment > file > defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from mlaudit.cli.common import FORMAT_NAMES, SEVERITIES, complete_checks

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

DEFAULTS: dict[str, Any] = {
    "since": "90d",
    "formats": "json,html",
    "output_dir": Path("."),
    "sarif_anchor": ".mlaudit.yaml",
    "sarif_category": "mlaudit",
    "fail_on": "low",
    "fail_on_error": True,
    "max_workers": 16,
}
"""Option defaults, kept out of click so that a value from the configuration file can be told from a default."""


def _apply(*decorators: Decorator) -> Decorator:
    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return decorate


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="MLAUDIT_CONFIG",
    help="Configuration file (default: ./.mlaudit.yaml, then ~/.mlaudit.yaml).",
)

account_options = _apply(
    click.option(
        "--profile",
        envvar=["MLAUDIT_PROFILE", "AWS_PROFILE"],
        help="AWS profile (default: AWS_PROFILE, then the default chain).",
    ),
    click.option(
        "--region",
        "regions",
        multiple=True,
        envvar="MLAUDIT_REGIONS",
        metavar="REGION[,REGION]",
        help="Region to scan; repeatable. Default: every enabled region where SageMaker is offered.",
    ),
    click.option(
        "--endpoint-url",
        envvar="MLAUDIT_ENDPOINT_URL",
        help="Send every AWS call to this URL (an emulator). AWS_ENDPOINT_URL works too.",
    ),
    click.option(
        "--since",
        envvar="MLAUDIT_SINCE",
        help="Lookback window for jobs and endpoint metrics: days (90d) or a date.  [default: 90d]",
    ),
    click.option(
        "--max-workers",
        type=click.IntRange(1, 256),
        envvar="MLAUDIT_MAX_WORKERS",
        help="Concurrent AWS calls, shared by every account and region.  [default: 16]",
    ),
    click.option(
        "--max-calls-per-service",
        type=click.IntRange(1, 256),
        envvar="MLAUDIT_MAX_CALLS_PER_SERVICE",
        help="Concurrent AWS calls to one service in one account and region, within --max-workers (halved "
        "while it throttles).  [default: --max-workers]",
    ),
    click.option(
        "--processes",
        type=click.IntRange(1, 64),
        envvar="MLAUDIT_PROCESSES",
        help="Processes collecting the regions, for large estates on a machine with several cores (one "
        "process made about 450 AWS calls a second in the benchmark, docs/benchmark.md).  [default: 1]",
    ),
    click.option(
        "--role-arn",
        envvar="MLAUDIT_ROLE_ARN",
        help="Scan the account of this role, assumed from the base credentials.",
    ),
    click.option(
        "--org",
        is_flag=True,
        default=None,
        envvar="MLAUDIT_ORG",
        help="Scan every ACTIVE account of the organization (needs --role-name; run from the management or a delegated account).",
    ),
    click.option("--role-name", envvar="MLAUDIT_ROLE_NAME", help="With --org: the role to assume in every account."),
    click.option(
        "--accounts",
        multiple=True,
        envvar="MLAUDIT_ACCOUNTS",
        metavar="ID|GLOB",
        help="With --org: only these accounts; repeatable.",
    ),
    click.option(
        "--exclude-accounts",
        multiple=True,
        envvar="MLAUDIT_EXCLUDE_ACCOUNTS",
        metavar="ID|GLOB",
        help="With --org: not these accounts.",
    ),
    click.option(
        "--ou",
        multiple=True,
        envvar="MLAUDIT_OU",
        metavar="OU_ID",
        help="With --org: only accounts under this OU, recursively.",
    ),
    click.option("--external-id", envvar="MLAUDIT_EXTERNAL_ID", help="External id to pass when assuming the role."),
    click.option(
        "--role-session-name",
        envvar="MLAUDIT_ROLE_SESSION_NAME",
        help="Session name of the assumed role.  [default: mlaudit]",
    ),
    click.option(
        "--shard",
        envvar="MLAUDIT_SHARD",
        metavar="I/N",
        help="Scan only shard I of N of the (account, region) units (then `mlaudit merge` the reports).",
    ),
)

selection_options = _apply(
    click.option(
        "--checks",
        multiple=True,
        envvar="MLAUDIT_CHECKS",
        metavar="ID|NAME|GLOB",
        shell_complete=complete_checks,
        help="Run only these checks (ids, names or globs like SM-ENDPOINT-*); repeatable.",
    ),
    click.option(
        "--exclude-checks",
        multiple=True,
        envvar="MLAUDIT_EXCLUDE_CHECKS",
        metavar="ID|NAME|GLOB",
        shell_complete=complete_checks,
        help="Do not run these checks; repeatable.",
    ),
    click.option(
        "--severity",
        type=click.Choice(SEVERITIES),
        envvar="MLAUDIT_SEVERITY",
        help="Run only checks of at least this severity.",
    ),
    click.option(
        "--checks-dir",
        "checks_dirs",
        multiple=True,
        type=click.Path(path_type=Path),
        envvar="MLAUDIT_CHECKS_DIR",
        help="Also load checks from the *.py files of this directory.",
    ),
    click.option(
        "--set",
        "assignments",
        multiple=True,
        metavar="CHECK.SETTING=VALUE",
        help="Override a check's setting (see `mlaudit explain CHECK`); repeatable.",
    ),
)

report_options = _apply(
    click.option(
        "--format",
        "formats",
        envvar="MLAUDIT_FORMATS",
        help=f"Report formats, comma-separated: {FORMAT_NAMES}.  [default: json,html]",
    ),
    click.option(
        "--output-dir",
        type=click.Path(path_type=Path),
        envvar="MLAUDIT_OUTPUT_DIR",
        help="Directory for the report files.  [default: .]",
    ),
    click.option("--output", metavar="-", help="Write the single chosen format to stdout (-) instead of a file."),
    click.option(
        "--previous",
        type=click.Path(path_type=Path, dir_okay=False),
        help="An earlier mlaudit.json: reports show what changed.",
    ),
    click.option(
        "--sarif-anchor",
        envvar="MLAUDIT_SARIF_ANCHOR",
        help="The repository file SARIF results point at.  [default: .mlaudit.yaml]",
    ),
    click.option(
        "--sarif-category",
        envvar="MLAUDIT_SARIF_CATEGORY",
        help="The code scanning category of the SARIF run: one per scan scope, the same in every run.  "
        "[default: mlaudit]",
    ),
    click.option(
        "--csv-bom",
        is_flag=True,
        default=None,
        envvar="MLAUDIT_CSV_BOM",
        help="Start mlaudit.csv with a UTF-8 byte-order mark, so that Excel shows non-ASCII names.",
    ),
    click.option("--quiet", "-q", is_flag=True, envvar="MLAUDIT_QUIET", help="Print nothing but errors."),
)

gate_options = _apply(
    click.option(
        "--fail-on",
        type=click.Choice((*SEVERITIES, "none")),
        envvar="MLAUDIT_FAIL_ON",
        help="Exit 1 when an unmuted FAIL at or above this severity exists.  [default: low]",
    ),
    click.option(
        "--fail-on-error/--no-fail-on-error",
        default=None,
        envvar="MLAUDIT_FAIL_ON_ERROR",
        help="Exit 3 when the scan is incomplete (ERROR findings).  [default: on]",
    ),
    click.option(
        "--exit-zero",
        is_flag=True,
        default=None,
        envvar="MLAUDIT_EXIT_ZERO",
        help="Always exit 0 after a completed run (report only).",
    ),
    click.option(
        "--baseline",
        type=click.Path(path_type=Path, dir_okay=False),
        envvar="MLAUDIT_BASELINE",
        help="Mute the findings recorded in this baseline (see `mlaudit baseline create`).",
    ),
    click.option(
        "--suppressions",
        "suppressions_file",
        type=click.Path(path_type=Path, dir_okay=False),
        envvar="MLAUDIT_SUPPRESSIONS",
        help="A YAML file of suppressions (`suppressions:` as in the configuration file), added to the file's own.",
    ),
)
