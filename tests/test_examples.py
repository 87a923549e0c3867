"""The CI examples in `examples/` run as written: their mlaudit command lines, with the example configuration, scan
the demo account over HTTP and behave as their comments promise (a baselined estate passes, reports land where the
pipelines pick them up)."""

from __future__ import annotations

import json
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

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


def expand_globs(directory: Path, words: list[str]) -> list[str]:
    """Words with `*` replaced by the paths they match, sorted, as a shell would."""
    return [
        found
        for word in words
        for found in (
            [p.relative_to(directory).as_posix() for p in sorted(directory.glob(word))] if "*" in word else [word]
        )
    ]


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


def accept_todays_findings(report: Path) -> None:
    """What a team does once when adopting mlaudit: baseline what already fails in its first scan's `report`."""
    code, output = invoke(["baseline", "create", str(report), "-o", ".mlaudit-baseline.json"])
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

    accept_todays_findings(repository / "mlaudit-reports" / "mlaudit.json")
    code, output = invoke(command)
    assert code == 0, output
    assert sorted(p.name for p in (repository / "mlaudit-reports").iterdir()) == sorted(reports)
    report = json.loads((repository / "mlaudit-reports" / "mlaudit.json").read_text())
    assert report["summary"]["by_status"].get("FAIL", 0) == 0
    reasons = {f["suppression"]["reason"] for f in report["findings"] if f["status"] == "MUTED"}
    assert "The recommendations pilot runs at a fixed size until its launch" in reasons, (
        "the example suppression matches"
    )
    assert "\x1b[" not in output, "CI=true gives plain output"


def test_the_organization_example_fans_out_over_shards_and_merges(
    repository: Path, monkeypatch: pytest.MonkeyPatch, demo_endpoint: str
) -> None:
    """Every mlaudit line of the matrix job, once per matrix value with the job's MLAUDIT_SHARD, then the merge job's
    lines, with artifacts moved as upload/download-artifact would. The demo account is the management account of an
    organization of its own, without members (they are the subject of test_multi_account: each would load moto's
    managed IAM policies here), reached through the role as every account of a real organization is."""
    workflow = yaml.safe_load((EXAMPLES / "github-actions-org.yml").read_text())
    scan_job, merge_job = workflow["jobs"]["scan"], workflow["jobs"]["merge"]
    shards = scan_job["strategy"]["matrix"]["shard"]
    organizations = demo_session().client("organizations", endpoint_url=demo_endpoint)
    assert [a["Id"] for a in organizations.list_accounts()["Accounts"]] == ["123456789012"], "made by the demo estate"

    for shard in shards:
        shard_env = scan_job["env"]["MLAUDIT_SHARD"].replace("${{ matrix.shard }}", str(shard))
        monkeypatch.setenv("MLAUDIT_SHARD", shard_env.replace("${{ strategy.job-total }}", str(len(shards))))
        for command in mlaudit_commands(scan_job):
            code, output = invoke(command)
            assert code == 0, output
        artifact = repository / "shards" / f"mlaudit-shard-{shard}"
        artifact.mkdir(parents=True)
        (repository / "shard" / "mlaudit.json").rename(artifact / "mlaudit.json")
    monkeypatch.delenv("MLAUDIT_SHARD")

    for command in mlaudit_commands(merge_job):
        code, output = invoke(expand_globs(repository, command))
        assert code == 0, output
    merged = json.loads((repository / "mlaudit-reports" / "mlaudit.json").read_text())
    assert [a["account_id"] for a in merged["accounts"]] == ["123456789012"]
    assert merged["scan"]["regions"] == ["eu-west-1", "us-east-1"] and merged["scan"]["status"] == "complete"
    assert merged["summary"]["by_status"]["FAIL"] > 0 and merged["summary"]["by_status"]["PASS"] > 0
    assert sorted(p.name for p in (repository / "mlaudit-reports").iterdir()) == [
        "mlaudit.html",
        "mlaudit.json",
        "mlaudit.md",
    ]
