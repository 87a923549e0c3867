"""The CI examples in `examples/` run as written: their mlaudit command lines, with the example configuration, scan
the demo account over HTTP and behave as their comments promise (a baselined estate passes, reports land where the
pipelines pick them up)."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path
from typing import Iterator

import pytest
import yaml
from click.testing import CliRunner

from mlaudit.cli import cli
from mlaudit.demo.estate import seed
from mlaudit.demo.server import demo_session, moto_server

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def mlaudit_commands(workflow: object, key: str = "") -> list[list[str]]:
    """Every `mlaudit ...` line of a CI file's `run:` or `script:` steps, split as a shell would."""
    if isinstance(workflow, dict):
        return [command for k, value in workflow.items() for command in mlaudit_commands(value, k)]
    if isinstance(workflow, list):
        return [command for value in workflow for command in mlaudit_commands(value, key)]
    if isinstance(workflow, str) and key in ("run", "script"):
        lines = (shlex.split(line) for line in workflow.splitlines())
        return [words[1:] for words in lines if words[:1] == ["mlaudit"]]
    return []


@pytest.fixture(scope="module")
def demo_endpoint() -> Iterator[str]:
    with moto_server() as url:
        seed(demo_session(), url)
        yield url


@pytest.fixture
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_endpoint: str) -> Path:
    """A checkout holding the example configuration, with the AWS environment a CI runner would give."""
    shutil.copy(EXAMPLES / "mlaudit.yaml", tmp_path / ".mlaudit.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AWS_ENDPOINT_URL", demo_endpoint)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("CI", "true")
    return tmp_path


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def accept_todays_findings(repository: Path) -> None:
    """What a team does once when adopting mlaudit: scan, then baseline what already fails."""
    code, output = invoke(["scan", "--config", ".mlaudit.yaml", "--format", "json", "--output-dir", "first", "--fail-on", "none"])
    assert code == 0, output
    code, output = invoke(["baseline", "create", "first/mlaudit.json", "-o", ".mlaudit-baseline.json"])
    assert code == 0, output


@pytest.mark.parametrize(
    ("example", "reports"),
    [
        ("github-actions.yml", ["mlaudit.json", "mlaudit.html", "mlaudit.sarif", "mlaudit.md"]),
        ("gitlab-ci.yml", ["mlaudit.json", "mlaudit.html", "mlaudit.xml"]),
    ],
)
def test_the_example_pipeline_runs_on_a_baselined_estate(repository: Path, example: str, reports: list[str]) -> None:
    commands = mlaudit_commands(yaml.safe_load((EXAMPLES / example).read_text()))
    assert len(commands) == 1, commands
    (command,) = commands

    code, output = invoke([word for word in command if word != "--baseline" and not word.endswith("baseline.json")])
    assert code == 1, f"the demo estate has high-severity failures, so a run without the baseline fails:\n{output}"

    accept_todays_findings(repository)
    code, output = invoke(command)
    assert code == 0, output
    assert sorted(p.name for p in (repository / "mlaudit-reports").iterdir()) == sorted(reports)
    report = json.loads((repository / "mlaudit-reports" / "mlaudit.json").read_text())
    assert report["summary"]["by_status"].get("FAIL", 0) == 0
    reasons = {f["suppression"]["reason"] for f in report["findings"] if f["status"] == "MUTED"}
    assert "The recommendations pilot runs at a fixed size until its launch" in reasons, "the example suppression matches"
    assert "\x1b[" not in output, "CI=true gives plain output"
