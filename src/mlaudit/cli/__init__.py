"""The `mlaudit` command line. Heavy modules (boto3, pydantic, jinja2) are imported inside commands so that
`mlaudit --help` starts instantly."""

from __future__ import annotations

import click

from mlaudit import __version__
from mlaudit.cli.catalog_commands import explain, list_checks
from mlaudit.cli.ci_commands import baseline, diff, init, policy
from mlaudit.cli.common import EXIT_CODES, MlauditGroup, accept_debug
from mlaudit.cli.report_commands import export, merge, report
from mlaudit.cli.scan_command import scan
from mlaudit.cli.snapshot_commands import collect, evaluate


@click.group(
    cls=MlauditGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
    epilog=EXIT_CODES,
)
@click.version_option(__version__, "--version", prog_name="mlaudit")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Audit an AWS account against machine-learning best practices.

    mlaudit reads SageMaker, Bedrock and the S3, IAM, KMS and network resources ML workloads use, with
    read-only calls, and reports what falls short of the AWS Well-Architected Machine Learning Lens.
    """
    ctx.ensure_object(dict)["debug"] = debug


for command in (scan, collect, evaluate, report, merge, diff, baseline, export, policy, init, list_checks, explain):
    accept_debug(command)
    cli.add_command(command)


def main() -> None:
    cli(prog_name="mlaudit")
