"""The configuration file: discovery, precedence (command line > environment > file > defaults), and one-line
errors that name the file, the line and the key."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from mlaudit.catalog.loader import load_catalog
from mlaudit.cli import cli
from mlaudit.cli.options import account_options, config_option, gate_options, report_options, selection_options
from mlaudit.cli.request import Request, effective_settings, resolve_request, suppression_rules, validate_file_checks
from mlaudit.config.file import ConfigFile, find_config, load_config, starter
from mlaudit.core.errors import UserError

CATALOG = load_catalog(include_entry_points=False)


def resolved(args: list[str], env: dict[str, str] | None = None) -> Request:
    """Parse `args` with the real scan options and return the merged request."""
    captured: dict[str, Request] = {}

    @click.command()
    @config_option
    @account_options
    @selection_options
    @report_options
    @gate_options
    @click.pass_context
    def probe(ctx: click.Context, **params: Any) -> None:
        captured["request"] = resolve_request(ctx, params)

    result = CliRunner().invoke(probe, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return captured["request"]


def write(tmp_path: Path, text: str, name: str = ".mlaudit.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_precedence_command_line_over_environment_over_file_over_defaults(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        """
        fail_on: medium
        formats: [json, sarif]
        regions: [eu-west-1]
        since: 30d
        output_dir: reports
    """,
    )
    only_file = resolved(["--config", str(config)])
    assert (
        only_file["fail_on"] == "medium"
        and only_file["formats"] == "json,sarif"
        and only_file["regions"] == ["eu-west-1"]
    )
    assert only_file.since_days == 30 and only_file["output_dir"] == tmp_path / "reports"
    assert only_file["sarif_anchor"] == ".mlaudit.yaml" and only_file.sources["sarif_anchor"] == "default"

    with_env = resolved(
        ["--config", str(config)], env={"MLAUDIT_FAIL_ON": "high", "MLAUDIT_REGIONS": "us-east-1,us-west-2"}
    )
    assert with_env["fail_on"] == "high" and with_env.sources["fail_on"] == "environment"
    assert with_env["regions"] == ["us-east-1", "us-west-2"]

    with_cli = resolved(
        ["--config", str(config), "--fail-on", "critical", "--region", "ap-south-1"], env={"MLAUDIT_FAIL_ON": "high"}
    )
    assert (
        with_cli["fail_on"] == "critical"
        and with_cli["regions"] == ["ap-south-1"]
        and with_cli.sources["fail_on"] == "command line"
    )


def test_flags_follow_the_same_precedence(tmp_path: Path) -> None:
    config = write(tmp_path, "fail_on_error: false\nexit_zero: true\n")
    assert resolved(["--config", str(config)])["fail_on_error"] is False
    assert resolved(["--config", str(config), "--fail-on-error"])["fail_on_error"] is True
    assert resolved([])["fail_on_error"] is True and not resolved([])["exit_zero"]


def test_config_is_found_in_the_working_directory_then_home(tmp_path: Path) -> None:
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir(), home.mkdir()
    assert find_config(None, work, home) is None
    write(home, "fail_on: high\n")
    assert find_config(None, work, home) == home / ".mlaudit.yaml"
    write(work, "fail_on: low\n")
    assert find_config(None, work, home) == work / ".mlaudit.yaml"
    with pytest.raises(UserError, match="no such file"):
        find_config(tmp_path / "missing.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("profile: prod\nregoins: [us-east-1]\n", r":2: unknown key 'regoins' \(did you mean regions\?\)"),
        ("fail_on: severe\n", r":1: fail_on: Input should be"),
        ("max_workers: lots\n", r":1: max_workers: Input should be a valid integer"),
        ("suppressions:\n  - check: SM-ENDPOINT-004\n    owner: me\n", r":2: suppressions.0.reason: Field required"),
        (
            "suppressions:\n  - check: SM-ENDPOINT-004\n    reason: ok\n    expires: someday\n",
            r":4: suppressions.0.expires: Input should be a valid date",
        ),
        (
            "suppressions:\n  - reason: nothing targeted\n",
            r":2: suppressions.0: Value error, a suppression needs a finding_id or a check",
        ),
        ("regions: [us-east-1\n", r":2: not valid YAML"),
        ("- just\n- a list\n", r":1: the configuration must be a mapping"),
    ],
)
def test_bad_files_are_one_line_errors_with_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(UserError) as raised:
        load_config(path)
    line = raised.value.one_line()
    assert line.startswith(str(path) + ":") and "\n" not in line
    assert re.search(message, line), line


def test_unknown_check_ids_in_the_file_are_located(tmp_path: Path) -> None:
    path = write(tmp_path, "checks:\n  - SM-ENDPOINT-004\n  - SM-ENDPONT-005\n")
    request = Request({}, load_config(path))
    with pytest.raises(UserError) as raised:
        validate_file_checks(request, CATALOG)
    assert (
        raised.value.one_line().startswith(f"{path}:3:") and "did you mean SM-ENDPOINT-005" in raised.value.one_line()
    )


def test_settings_from_the_file_are_typed_and_the_command_line_wins(tmp_path: Path) -> None:
    plugin = tmp_path / "plugins"
    plugin.mkdir()
    (plugin / "size.py").write_text(
        textwrap.dedent("""
        from mlaudit.inventory import NotebookInstance
        from mlaudit.sdk import Pillar, Remediation, Setting, Severity, check, ml_lens, passed

        @check(id="ACME-SIZE-001", name="notebook-size", title="t", severity=Severity.LOW, pillar=Pillar.COST,
               resource=NotebookInstance, rationale="r.", references=(ml_lens("MLCOST-09"),),
               remediation=Remediation(text="fix", url="https://example.com"),
               settings={"limit": Setting(default=4, description="d"), "types": Setting(default=("a",), description="d")})
        def notebook_size(notebook, ctx):
            return passed("ok")
    """)
    )
    catalog = load_catalog([plugin], include_entry_points=False)
    config = write(tmp_path, "settings:\n  notebook-size:\n    limit: 8\n    types: [x, y]\n")
    request = Request({"assignments": ("ACME-SIZE-001.limit=16",)}, load_config(config))
    assert effective_settings(request, catalog) == {"ACME-SIZE-001": {"limit": 16, "types": ("x", "y")}}
    bad = write(tmp_path, "settings:\n  notebook-size:\n    limit: eight\n", name="bad.yaml")
    with pytest.raises(UserError, match=r"bad.yaml:3: .*expected an integer"):
        effective_settings(Request({}, load_config(bad)), catalog)


def test_init_writes_a_starter_that_loads(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / ".mlaudit.yaml"
    assert runner.invoke(cli, ["init", "--path", str(target)]).exit_code == 0
    assert target.read_text() == starter()
    loaded = load_config(target)
    assert loaded.config.fail_on == "high" and loaded.config.formats == ["json", "html", "sarif", "md"]
    again = runner.invoke(cli, ["init", "--path", str(target)])
    assert again.exit_code == 2 and "already exists" in again.stderr
    every_option = re.sub(r"^# (?=[a-z_]+:|\s)", "", starter(), flags=re.M)
    assert ConfigFile.model_validate(yaml.safe_load(every_option)).suppressions[0].owner == "recs-team@example.com"


def test_the_starter_holds_every_option_of_the_configuration_model() -> None:
    """Generated from `ConfigFile`, so it cannot drift: every field once, as an option line, with its example."""
    every_option = yaml.safe_load(re.sub(r"^# (?=[a-z_]+:|\s)", "", starter(), flags=re.M))
    assert list(every_option) == list(ConfigFile.model_fields)
    for name in ("endpoint_url", "max_workers", "max_calls_per_service", "processes", "exit_zero"):
        assert re.search(rf"^# {name}: \S", starter(), flags=re.M), name


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        ("regions: us-east-1\n", ["us-east-1"]),
        ("regions: us-east-1,eu-west-1\n", ["us-east-1", "eu-west-1"]),
        ("regions: [us-east-1, eu-west-1]\n", ["us-east-1", "eu-west-1"]),
    ],
)
def test_list_options_take_the_same_forms_in_the_file_as_on_the_command_line(
    tmp_path: Path, text: str, regions: list[str]
) -> None:
    config = write(tmp_path, text + "accounts: 111122223333\nformats: json,sarif\n")
    request = resolved(["--config", str(config)])
    assert request["regions"] == regions == resolved(["--region", ",".join(regions)])["regions"]
    assert request["accounts"] == ["111122223333"] and request["formats"] == "json,sarif"


@pytest.mark.parametrize(
    ("content", "line", "offset"),
    [(b"fail_on: high\n# caf\xe9 au lait\n", 2, 19), (b"\x89PNG\r\n\x1a\n\x00\x00", 1, 0)],
    ids=["latin-1 comment", "binary"],
)
def test_a_file_that_is_not_utf8_is_one_line_naming_the_file_and_the_byte(
    tmp_path: Path, content: bytes, line: int, offset: int
) -> None:
    config = tmp_path / ".mlaudit.yaml"
    config.write_bytes(content)
    result = CliRunner().invoke(cli, ["scan", "--config", str(config)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"mlaudit: error: {config}:{line}: not UTF-8 text (byte 0x{content[offset]:02x} at offset {offset}) "
        "(save the file as UTF-8)"
    ]


def test_config_errors_reach_the_command_line_as_one_line(tmp_path: Path) -> None:
    config = write(tmp_path, "regoins: [us-east-1]\n")
    result = CliRunner().invoke(cli, ["scan", "--config", str(config)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"mlaudit: error: {config}:1: unknown key 'regoins' (did you mean regions?)"


def test_a_separate_suppressions_file_adds_its_rules_with_their_own_lines(tmp_path: Path) -> None:
    config = write(
        tmp_path,
        "suppressions_file: team/suppressions.yaml\nsuppressions:\n  - check: SM-ENDPOINT-005\n    reason: pilot\n",
    )
    (tmp_path / "team").mkdir()
    separate = write(
        tmp_path / "team", "suppressions:\n  - check: SM-NOTEBOOK-*\n    reason: sandbox\n", name="suppressions.yaml"
    )
    request = resolved(["--config", str(config)])
    assert request["suppressions_file"] == separate
    validate_file_checks(request, CATALOG)
    assert [(r.label, r.rule.reason) for r in suppression_rules(request)] == [
        (f"{config}:3", "pilot"),
        (f"{separate}:2", "sandbox"),
    ]

    separate.write_text("suppressions:\n  - check: SM-NOTEBOK-001\n    reason: typo\n")
    with pytest.raises(UserError) as raised:
        validate_file_checks(resolved(["--config", str(config)]), CATALOG)
    assert (
        raised.value.one_line().startswith(f"{separate}:2:")
        and "did you mean SM-NOTEBOOK-001" in raised.value.one_line()
    )
    separate.write_text("suppressions: []\nfail_on: none\n")
    with pytest.raises(
        UserError, match=r"suppressions.yaml:2: a suppressions file holds only `suppressions:`, not 'fail_on'"
    ):
        suppression_rules(resolved(["--config", str(config)]))
