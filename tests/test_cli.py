"""The command line, through click's runner: commands, output destinations, and one-line errors for bad input."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import boto3
import click
import pytest
import yaml
from click.testing import CliRunner

from mlaudit import __version__
from mlaudit.cli import cli
from mlaudit.cli.catalog_commands import PILLARS
from mlaudit.cli.common import SEVERITIES
from mlaudit.collect.accounts.credentials import identify, open_session
from mlaudit.collect.accounts.session import AwsClients
from mlaudit.core.errors import CredentialsError, UserError
from mlaudit.core.taxonomy import Pillar, Severity, Status
from mlaudit.gating.exit_code import exit_code, exit_reason
from mlaudit.renderers.json_report import render_json
from mlaudit.report.model import Report, ScanStatus
from reports import finding, report_of
from support import refuse

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def assert_one_line_error(code: int, stderr: str, *fragments: str) -> None:
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mlaudit: error: "), stderr
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_help_documents_exit_codes() -> None:
    code, out, _ = run("scan", "--help")
    assert code == 0
    assert "Exit codes" in out and "3  the scan was incomplete" in out


def test_list_checks_table_and_json() -> None:
    code, out, _ = run("list-checks")
    assert code == 0 and "SM-ENDPOINT-004" in out and "endpoint-no-model-monitor" in out
    code, out, _ = run("list-checks", "--format", "json")
    listed = json.loads(out)
    assert code == 0 and {"SM-ENDPOINT-004", "IAM-ML-001"} <= {c["id"] for c in listed}
    assert all(c["rationale"] and c["remediation"]["url"] for c in listed)


@pytest.mark.parametrize("args", [("--help",), ("list-checks",), ("list-checks", "--format", "json")])
def test_describing_commands_import_neither_boto3_nor_pydantic(args: tuple[str, ...]) -> None:
    """Start-up stays instant (issue 6): `list-checks` reads the generated index, not the checks' modules."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "mlaudit", *args], capture_output=True, text=True, check=True
    )
    imported = {
        line.split("|")[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert imported.isdisjoint({"boto3", "botocore", "pydantic"}), imported & {"boto3", "botocore", "pydantic"}
    assert "mlaudit.inventory" not in done.stderr


def test_explain_by_id_and_name() -> None:
    code, out, _ = run("explain", "endpoint-no-model-monitor")
    assert code == 0
    for fragment in (
        "SM-ENDPOINT-004",
        "Why it matters:",
        "How to fix it:",
        "aws sagemaker create-monitoring-schedule",
        "MLOE-15",
    ):
        assert fragment in out


def test_explain_unknown_check() -> None:
    code, _, err = run("explain", "SM-ENDPOINT-44")
    assert_one_line_error(code, err, "unknown check 'SM-ENDPOINT-44'", "did you mean")


def test_unknown_check_id_on_scan() -> None:
    code, _, err = run("scan", "--checks", "SM-ENDPONT-004", "--region", "us-east-1")
    assert_one_line_error(code, err, "unknown check 'SM-ENDPONT-004'", "SM-ENDPOINT-004")


def test_unknown_profile() -> None:
    code, _, err = run("scan", "--profile", "no-such-profile", "--region", "us-east-1")
    assert_one_line_error(code, err, "AWS profile 'no-such-profile' not found")


def test_expired_sso_session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    config.write_text(
        "[profile sso-dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Audit\nregion = us-east-1\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("HOME", str(tmp_path))
    code, _, err = run("scan", "--profile", "sso-dev", "--region", "us-east-1", "--output-dir", str(tmp_path))
    assert_one_line_error(code, err, "SSO", "aws sso login --profile sso-dev")


def test_missing_credentials(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("HOME", str(tmp_path))
    code, _, err = run("scan", "--region", "us-east-1", "--output-dir", str(tmp_path))
    assert_one_line_error(code, err, "no AWS credentials found")


@pytest.mark.parametrize(
    ("code_from_aws", "fragment"),
    [
        ("ExpiredToken", "have expired"),
        ("InvalidClientTokenId", "not valid"),
        ("AccessDenied", "GetCallerIdentity failed"),
    ],
)
def test_rejected_credentials(aws: boto3.Session, code_from_aws: str, fragment: str) -> None:
    refuse(aws, "sts", code=code_from_aws)
    with pytest.raises(CredentialsError, match=fragment):
        identify(AwsClients(aws, home_region="us-east-1"), profile=None)


def test_open_session_reads_aws_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    assert open_session(None).region_name == "eu-west-1"


def test_unknown_region() -> None:
    code, _, err = run("scan", "--region", "us-east-1x")
    assert_one_line_error(code, err, "unknown region 'us-east-1x'", "did you mean us-east-1")


def test_bad_format_and_output_combinations(tmp_path: Path) -> None:
    code, _, err = run("scan", "--format", "xml", "--output-dir", str(tmp_path))
    assert_one_line_error(code, err, "unknown format xml")
    code, _, err = run("scan", "--format", "json,html", "--output", "-")
    assert_one_line_error(code, err, "exactly one --format")
    code, _, err = run("scan", "--since", "yesterday", "--output-dir", str(tmp_path))
    assert_one_line_error(code, err, "--since")


def test_unwritable_output_directory(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code, _, err = run("scan", "--demo", "--output-dir", str(blocker / "reports"))
    assert_one_line_error(code, err, "cannot write reports to")


def test_demo_scan_writes_private_reports(tmp_path: Path) -> None:
    code, out, _ = run("scan", "--demo", "--output-dir", str(tmp_path / "out"))

    assert code == 1, "the demo account has failing findings"
    report = json.loads((tmp_path / "out" / "mlaudit.json").read_text())
    assert report["scan"]["status"] == "complete"
    assert report["summary"]["by_status"]["FAIL"] > 0
    assert "<!doctype html>" in (tmp_path / "out" / "mlaudit.html").read_text()
    for name in ("mlaudit.json", "mlaudit.html"):
        assert stat.S_IMODE((tmp_path / "out" / name).stat().st_mode) == 0o600
    assert "wrote" in out.lower() and "mlaudit.json" in out
    failing = sum(counts["FAIL"] for severity, counts in report["summary"]["by_severity"].items() if severity != "info")
    assert out.splitlines()[-1] == f"exit 1: {failing} FAIL at or above low; --fail-on none for a report-only run"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["mlaudit.html", "mlaudit.json"], (
        "no temporary files left"
    )


def test_demo_json_to_stdout_with_one_check() -> None:
    code, out, err = run(
        "scan", "--demo", "--checks", "SM-NOTEBOOK-001", "--format", "json", "--output", "-", "--fail-on", "none"
    )

    assert code == 0
    report = json.loads(out)
    assert {f["check_id"] for f in report["findings"]} == {"SM-NOTEBOOK-001"}
    assert set(report["scan"]["statistics"]["by_operation"]) == {
        "sts:GetCallerIdentity",
        "sagemaker:ListNotebookInstances",
        "sagemaker:DescribeNotebookInstance",
    }
    assert "Demo account" in err


def test_fail_on_threshold(tmp_path: Path) -> None:
    code, out, err = run(
        "scan", "--demo", "--checks", "SM-REGISTRY-002", "--output-dir", str(tmp_path), "--quiet", "--fail-on", "none"
    )
    assert code == 0 and out == "" and err == ""

    report = Report.model_validate_json((tmp_path / "mlaudit.json").read_text())
    assert {f.severity.value for f in report.findings if f.status.value == "FAIL"} == {"low"}
    assert exit_code(report, "low") == 1
    assert exit_code(report, "info") == 1
    assert exit_code(report, "medium") == 0


def test_error_lines_stay_one_line_whatever_they_quote() -> None:
    """A message quoting a file or an AWS answer can hold line breaks of any kind (\\n, \\x1e, U+2028): escaped."""
    line = UserError("bad key 'a\nb\x1ec\u2028d\x1b[2J'", hint="fix it").one_line()
    assert len(line.splitlines()) == 1 and "\x1b" not in line
    assert line == "bad key 'a\\nb\\x1ec\\u2028d\\x1b[2J' (fix it)"


# -- click's own usage errors: one line, naming where the value came from ---------------------------------------------
@pytest.mark.parametrize(
    ("args", "env", "line"),
    [
        (
            ["scan", "--max-workers", "0"],
            {},
            "--max-workers on the command line: 0 is not in the range 1<=x<=256 (see `mlaudit scan --help`)",
        ),
        (
            ["policy", "--format", "yaml"],
            {},
            "--format on the command line: 'yaml' is not one of 'json', 'cloudformation', 'terraform' "
            "(see `mlaudit policy --help`)",
        ),
        (
            ["scan", "--fail-on", "bogus"],
            {},
            "--fail-on on the command line: 'bogus' is not one of 'critical', 'high', 'medium', 'low', 'info', "
            "'none' (see `mlaudit scan --help`)",
        ),
        (
            ["scan"],
            {"MLAUDIT_FAIL_ON": "bogus"},
            "MLAUDIT_FAIL_ON in the environment (for --fail-on): 'bogus' is not one of 'critical', 'high', "
            "'medium', 'low', 'info', 'none' (see `mlaudit scan --help`)",
        ),
        (
            ["collect", "-o", "x.json"],
            {"MLAUDIT_MAX_WORKERS": "many"},
            "MLAUDIT_MAX_WORKERS in the environment (for --max-workers): 'many' is not a valid integer range "
            "(see `mlaudit collect --help`)",
        ),
        (["report"], {}, "Missing option '--from' (see `mlaudit report --help`)"),
        (["scna"], {}, "No such command 'scna'. Did you mean 'scan'? (see `mlaudit --help`)"),
        (["--bogus"], {}, "No such option '--bogus' (see `mlaudit --help`)"),
    ],
)
def test_usage_errors_are_one_line_naming_the_source(args: list[str], env: dict[str, str], line: str) -> None:
    result = CliRunner().invoke(cli, args, env=env, prog_name="mlaudit")
    assert (result.exit_code, result.stderr.splitlines()) == (2, [f"mlaudit: error: {line}"])
    assert result.stdout == ""


def test_debug_is_accepted_by_every_command_and_shows_the_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
        found = []
        for name, command in group.commands.items():
            found.append((*path, name))
            if isinstance(command, click.Group):
                found += commands(command, (*path, name))
        return found

    for path in commands(cli):
        assert "--debug" in CliRunner().invoke(cli, [*path, "--help"]).stdout, path

    config = tmp_path / ".mlaudit.yaml"
    config.write_text("fail_on: high\n")

    def broken(*_: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(yaml.SafeLoader, "get_single_node", broken)  # a library failing: mlaudit's own bug path
    plain = CliRunner().invoke(cli, ["scan", "--config", str(config)])
    assert plain.exit_code == 2 and plain.stderr.strip() == (
        "mlaudit: internal error: RuntimeError: a bug (rerun with --debug for the traceback)"
    )
    for args in (["--debug", "scan"], ["scan", "--debug"]):
        debugged = CliRunner().invoke(cli, [*args, "--config", str(config)])
        assert isinstance(debugged.exception, RuntimeError), args


def test_output_takes_only_stdout_and_each_file_kind_names_its_command(tmp_path: Path) -> None:
    code, _, err = run("scan", "--output", "out.json", "--format", "json")
    assert_one_line_error(code, err, "--output out.json: --output takes only - (standard output)", "--output-dir")
    report = tmp_path / "mlaudit.json"
    report.write_text(render_json(report_of([finding("x")])))
    code, _, err = run("evaluate", str(report))
    assert_one_line_error(code, err, "is a report, not an inventory snapshot", f"mlaudit report --from {report}")


def test_policy_with_no_checks_selected_is_the_error_scan_gives() -> None:
    args = ("--checks", "SM-*", "--exclude-checks", "SM-*")
    policy_code, policy_out, policy_err = run("policy", *args)
    scan_code, _, scan_err = run("scan", *args)
    assert policy_out == "" and (policy_code, policy_err) == (scan_code, scan_err)
    assert_one_line_error(policy_code, policy_err, "no checks selected")


def test_a_run_that_does_not_exit_zero_ends_saying_why() -> None:
    failing = report_of([finding("a"), finding("b"), finding("c", Status.PASS)])
    assert exit_reason(failing, "low") == "exit 1: 2 FAIL at or above low; --fail-on none for a report-only run"
    assert exit_reason(failing, "critical") is None and exit_reason(failing, "low", exit_zero=True) is None
    partial = report_of([finding("d", Status.ERROR)], status=ScanStatus.PARTIAL)
    assert exit_reason(partial, "low") == (
        "exit 3: the scan was incomplete (1 ERROR, 0 collection errors); --no-fail-on-error to exit 0 anyway"
    )
    assert exit_reason(partial, "low", fail_on_error=False) is None


# -- the small promises: completion, list-checks filters, one throughput figure --------------------------------------
def complete(words: str) -> list[str]:
    env = {"_MLAUDIT_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    result = CliRunner().invoke(cli, [], env=env, prog_name="mlaudit")
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_shell_completion_completes_check_ids_and_names_and_is_documented() -> None:
    assert complete("mlaudit explain SM-ENDPOINT-00") == [f"SM-ENDPOINT-00{i}" for i in range(1, 10)]
    assert complete("mlaudit scan --checks SM-NOTEBOOK-001,notebook-roo") == ["SM-NOTEBOOK-001,notebook-root-access"]
    assert complete("mlaudit scan --exclude-checks endpoint-no-auto") == ["endpoint-no-autoscaling"]
    assert complete("mlaudit policy --checks IAM-ML-00") == [f"IAM-ML-00{i}" for i in range(1, 10)]
    readme = (ROOT / "README.md").read_text()
    for shell in ("bash_source", "zsh_source", "fish_source"):
        assert f"_MLAUDIT_COMPLETE={shell} mlaudit" in readme


def test_list_checks_filters_by_severity_service_and_pillar() -> None:
    code, out, _ = run("list-checks", "--format", "json", "--severity", "high", "--service", "sagemaker,s3")
    listed = json.loads(out)
    assert code == 0 and listed and {c["service"] for c in listed} == {"sagemaker", "s3"}
    assert {c["severity"] for c in listed} <= {"critical", "high"}
    code, out, _ = run("list-checks", "--format", "json", "--pillar", "cost", "--pillar", "sustainability")
    assert code == 0 and {c["pillar"] for c in json.loads(out)} == {"cost", "sustainability"}
    code, out, _ = run("list-checks", "--pillar", "cost")
    assert "SM-ENDPOINT-007" in out and "SM-NOTEBOOK-001" not in out
    code, _, err = run("list-checks", "--service", "sagemakr")
    assert_one_line_error(code, err, "--service: no check judges sagemakr", "sagemaker")
    assert list(PILLARS) == [p.value for p in Pillar] and list(SEVERITIES) == [s.value for s in Severity]


def test_one_throughput_figure_from_the_benchmark() -> None:
    """The benchmark's headline run (10,000 resources, replayed): its calls a second, rounded, is the figure the
    README, docs/scale.md and `scan --help` give."""
    row = next(
        line for line in (ROOT / "docs/benchmark.md").read_text().splitlines() if line.startswith("| replay | 10,000 |")
    )
    figure = round(int(row.split("|")[9]) / 50) * 50
    _, help_text, _ = run("scan", "--help")
    for text in ((ROOT / "README.md").read_text(), (ROOT / "docs/scale.md").read_text(), help_text):
        assert f"about {figure} AWS calls a second" in " ".join(
            text.split()
        ) or f"about {figure} calls a second" in " ".join(text.split())
        assert "250 to 700" not in text and "about 300" not in text


def test_demo_without_moto_says_what_to_install() -> None:
    code = "import sys; sys.modules['moto'] = None; from mlaudit.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", code, "scan", "--demo"], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "mlaudit: error: --demo needs moto, which is not installed (pip install 'mlaudit[demo]')"
    ]
