"""`mlaudit.sarif` as GitHub code scanning takes it: uploaded through github/codeql-action/upload-sarif, alerts
matched across analyses, closed when an analysis of the same category no longer holds them, the top 5,000 results
of a run kept, `security-severity` read with the `security` tag, rule names and descriptions within GitHub's
limits, and help Markdown sanitized."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import boto3
import jsonschema
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from mlaudit.catalog.loader import load_catalog
from mlaudit.cli import cli
from mlaudit.core.taxonomy import Severity, Status
from mlaudit.inventory import AccountInfo
from mlaudit.renderers import FORMATS, RenderOptions
from mlaudit.renderers import sarif as sarif_module
from mlaudit.report.findings import Finding, Suppression
from mlaudit.report.model import Report
from reports import finding, report_of

OASIS_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
SARIF = FORMATS["sarif"]
BUILT_IN = [c.metadata for c in load_catalog(include_entry_points=False).checks]
ANCHOR_LINE_HASH = "39d9a8b8e1e83f6e:1"
"""What the upload action computes for line 1 of the anchor file: the same for every result on that line."""


def sarif(report: Report, options: RenderOptions | None = None) -> dict[str, Any]:
    return json.loads(SARIF.render(report, options or RenderOptions()))


def upload(document: dict[str, Any], category: str | None = None) -> list[tuple[str, str, str]]:
    """The alerts code scanning makes of an upload through github/codeql-action/upload-sarif, keyed as GitHub
    matches them across analyses: (category, rule, primaryLocationLineHash), the only fingerprint it reads.

    The action fills `automationDetails.id` from its `category` input only when the run has none
    (upload-lib.ts, populateRunAutomationDetails), and `primaryLocationLineHash` by hashing the result's line only
    when the result has none (fingerprints.ts). GitHub takes the category as everything before the last `/` of
    the id, and keeps the top 5,000 results of a run."""
    alerts = []
    for run in document["runs"]:
        automation = run.get("automationDetails") or {"id": f"{(category or 'job-key').rstrip('/')}/"}
        analysis = automation["id"].rpartition("/")[0]
        assert len(run["results"]) <= 5_000
        for result in run["results"]:
            fingerprint = result.get("partialFingerprints", {}).get("primaryLocationLineHash", ANCHOR_LINE_HASH)
            alerts.append((analysis, result["ruleId"], fingerprint))
    return alerts


def open_after(previous: set[tuple[str, str, str]], analysis: list[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """GitHub's closing rule: an alert is closed when a later analysis of the same category no longer holds it."""
    categories = {alert[0] for alert in analysis}
    return {alert for alert in previous if alert[0] not in categories} | set(analysis)


def with_status(base: Finding, status: Status, severity: Severity | None = None) -> Finding:
    return base.model_copy(update={"status": status, "severity": severity or base.severity})


@pytest.fixture(scope="module")
def demo(demo_scan: tuple[Any, Any]) -> Report:
    return demo_scan[0].report


def test_sarif_of_the_demo_validates_and_gives_one_alert_per_failing_resource(demo: Report) -> None:
    document = sarif(demo)
    jsonschema.validate(document, OASIS_SCHEMA, cls=jsonschema.Draft7Validator)
    run = document["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {c.id for c in demo.checks}
    reportable = [f for f in demo.findings if f.status is not Status.PASS]
    alerts = upload(document)
    assert len(alerts) == len(set(alerts)) == len(reportable)
    assert {alert[2] for alert in alerts} == {f.id for f in reportable}
    first = run["results"][0]
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == ".mlaudit.yaml"
    assert first["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == reportable[0].resource_arn


def test_alerts_stay_the_same_when_the_accounts_or_the_order_change() -> None:
    findings = [finding(f"endpoint-{n}") for n in range(20)]
    first = upload(sarif(report_of(findings)), category="mlaudit")
    wider = report_of([*reversed(findings), finding("endpoint-new")]).model_copy(
        update={"accounts": [AccountInfo(account_id="123456789012"), AccountInfo(account_id="210987654321")]}
    )
    second = upload(sarif(wider), category="something-else")
    assert set(first) < set(second)
    assert {alert[0] for alert in second} == {"mlaudit"}


def test_the_category_is_the_users_and_the_upload_action_keeps_it() -> None:
    report = report_of([finding("e1")])
    assert sarif(report)["runs"][0]["automationDetails"] == {"id": "mlaudit/"}
    for category in ("mlaudit/prod", "mlaudit/prod/"):
        alerts = upload(sarif(report, RenderOptions(sarif_category=category)), category="ignored")
        assert {alert[0] for alert in alerts} == {"mlaudit/prod"}


def test_an_alert_the_scan_could_not_evaluate_stays_open_and_a_fixed_one_closes() -> None:
    failing, unevaluated, fixed = finding("still-failing"), finding("not-evaluated"), finding("fixed")
    opened = set(upload(sarif(report_of([failing, unevaluated, fixed]))))
    later = report_of(
        [
            failing,
            with_status(unevaluated, Status.ERROR).model_copy(update={"status_detail": "AccessDenied"}),
            with_status(fixed, Status.PASS),
        ]
    )
    document = sarif(later)
    assert open_after(opened, upload(document)) == {alert for alert in opened if alert[2] != fixed.id}
    error = next(
        r
        for r in document["runs"][0]["results"]
        if r["partialFingerprints"]["primaryLocationLineHash"] == unevaluated.id
    )
    assert (error["kind"], error["level"]) == ("open", "none")
    assert error["message"]["text"].endswith("could not be evaluated: AccessDenied")


def test_a_run_keeps_githubs_5000_most_important_results_and_says_what_it_left_out() -> None:
    low = [finding(f"low-{n}") for n in range(4_900)]
    critical = [with_status(finding(f"critical-{n}"), Status.FAIL, Severity.CRITICAL) for n in range(300)]
    errors = [with_status(finding(f"error-{n}"), Status.ERROR) for n in range(200)]
    muted = [with_status(finding(f"muted-{n}"), Status.MUTED) for n in range(100)]
    run = sarif(report_of([*muted, *errors, *low, *critical]))["runs"][0]
    results = run["results"]
    assert len(results) == sarif_module.MAX_RESULTS == 5_000
    assert [r["properties"]["severity"] for r in results[:300]] == ["critical"] * 300
    assert {r["properties"]["status"] for r in results} == {"FAIL"}
    assert run["properties"] == {"resultsLimit": 5_000, "resultsLeftOut": {"FAIL": 200, "ERROR": 200, "MUTED": 100}}
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert "500 of 5500 results left out (200 ERROR, 200 FAIL, 100 MUTED)" in notes[1]
    assert notes[0].startswith("200 findings could not be evaluated")
    fewer = sarif(report_of([*muted, *errors, *low[:4_750]]))["runs"][0]
    assert [r["properties"]["status"] for r in fewer["results"]] == ["FAIL"] * 4_750 + ["ERROR"] * 200 + ["MUTED"] * 50


def test_every_rule_is_a_security_rule_with_githubs_severity_within_githubs_limits() -> None:
    def github_label(score: str | None) -> str:
        """How code scanning translates `security-severity`: over 9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9
        medium, 0.1 to 3.9 low; 0.0, a missing value or one outside the range is no security severity."""
        value = float(score) if score is not None else 0.0
        if not 0.1 <= value <= 10.0:
            return "none"
        return next(
            label
            for floor, label in ((9.0, "critical"), (7.0, "high"), (4.0, "medium"), (0.1, "low"))
            if value >= floor
        )

    document = sarif(report_of([]).model_copy(update={"checks": BUILT_IN}))
    jsonschema.validate(document, OASIS_SCHEMA, cls=jsonschema.Draft7Validator)
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert len(rules) == len(BUILT_IN)
    for rule, check in zip(rules, BUILT_IN, strict=True):
        tags = rule["properties"]["tags"]
        assert "security" in tags[:10] and len(tags) <= 20, rule["id"]
        assert len(rule["name"]) <= 255 and len(rule["shortDescription"]["text"]) <= 1024, rule["id"]
        assert len(rule["fullDescription"]["text"]) <= 1024, rule["id"]
        expected = "none" if check.severity is Severity.INFO else check.severity.value
        assert github_label(rule["properties"].get("security-severity")) == expected, rule["id"]


GITHUB_ALLOWED_TAGS = frozenset(
    [
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "h7",
        "h8",
        "br",
        "b",
        "i",
        "strong",
        "em",
        "a",
        "pre",
        "code",
        "img",
        "tt",
        "div",
        "ins",
        "del",
        "sup",
        "sub",
        "p",
        "ol",
        "ul",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "blockquote",
        "dl",
        "dt",
        "dd",
        "kbd",
        "q",
        "samp",
        "var",
        "hr",
        "ruby",
        "rt",
        "rp",
        "li",
        "tr",
        "td",
        "th",
        "s",
        "strike",
        "summary",
        "details",
    ]
)
"""GitHub's sanitization allowlist for rendered Markdown (html-pipeline's SanitizationFilter)."""
PLACEHOLDER = re.compile(r"<[A-Za-z][A-Za-z0-9-]*>")


class GitHubSanitizer(HTMLParser):
    """Plays GitHub's rule: a tag outside the allowlist is removed, and the text around it kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.removed: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in GITHUB_ALLOWED_TAGS:
            self.removed.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.handle_starttag(tag, [])

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def shown_by_github(markdown: str) -> GitHubSanitizer:
    sanitizer = GitHubSanitizer()
    sanitizer.feed(MarkdownIt("commonmark").enable("strikethrough").render(markdown))
    return sanitizer


def test_help_markdown_of_every_built_in_check_survives_githubs_sanitizer() -> None:
    rules = sarif(report_of([]).model_copy(update={"checks": BUILT_IN}))["runs"][0]["tool"]["driver"]["rules"]
    for rule, check in zip(rules, BUILT_IN, strict=True):
        shown = shown_by_github(rule["help"]["markdown"])
        text = "".join(shown.text)
        assert shown.removed == [], rule["id"]
        for prose in (check.rationale, check.remediation.text):
            for placeholder in PLACEHOLDER.findall(prose):
                assert placeholder in text, (rule["id"], placeholder)
            assert " ".join(re.sub(r"`([^`]*)`", r"\1", prose).split()) in " ".join(text.split()), rule["id"]
    s3 = next(rule for rule in rules if rule["id"] == "S3-ML-004")
    assert '"Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::<bucket>"' in "".join(
        shown_by_github(s3["help"]["markdown"]).text
    )


def test_a_suppressed_result_is_justified_by_the_suppressions_reason_owner_and_expiry() -> None:
    rule = Suppression(
        source="config",
        muted_status=Status.FAIL,
        reason="The pilot runs at a fixed size",
        owner="recs-team@example.com",
        expires=date(2027, 6, 30),
    )
    baseline = Suppression(source="baseline", muted_status=Status.ERROR, reason="accepted in the baseline b.json")
    muted = [
        finding("by-rule", Status.MUTED, "no autoscaling").model_copy(update={"suppression": rule}),
        finding("by-baseline", Status.MUTED, "AccessDenied").model_copy(update={"suppression": baseline}),
    ]
    results = {
        r["locations"][0]["logicalLocations"][0]["name"]: r for r in sarif(report_of(muted))["runs"][0]["results"]
    }
    assert results["by-rule"]["suppressions"] == [
        {
            "kind": "external",
            "justification": "The pilot runs at a fixed size (owner: recs-team@example.com; expires: 2027-06-30)",
        }
    ]
    assert results["by-rule"]["kind"] == "fail"
    assert results["by-baseline"]["suppressions"][0]["justification"] == "accepted in the baseline b.json"
    assert (results["by-baseline"]["kind"], results["by-baseline"]["level"]) == ("open", "none")


class Recording(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def write(self, text: str) -> int:
        self.sizes.append(len(text))
        return super().write(text)


@pytest.mark.parametrize("name", ["sarif", "junit"])
def test_sarif_and_junit_are_written_as_they_go(name: str) -> None:
    out = Recording()
    FORMATS[name].write(report_of([finding(f"endpoint-{n}") for n in range(500)]), RenderOptions(), out)
    assert len(out.sizes) > 500 and max(out.sizes) < len(out.getvalue()) / 50


def test_a_category_that_names_nothing_is_one_line_and_exit_2(tmp_path: Path) -> None:
    saved = tmp_path / "mlaudit.json"
    saved.write_text(FORMATS["json"].render(report_of([finding("e1")]), RenderOptions()))
    runner = CliRunner()
    result = runner.invoke(
        cli,
        ["report", "--from", str(saved), "--format", "sarif", "--output-dir", str(tmp_path), "--sarif-category", "/"],
    )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "mlaudit: error: --sarif-category '/' names no category (e.g. mlaudit or mlaudit/prod)"
    ]
    ok = runner.invoke(
        cli,
        [
            "report",
            "--from",
            str(saved),
            "--format",
            "sarif",
            "--output-dir",
            str(tmp_path),
            "--sarif-category",
            "ml/eu",
        ],
    )
    assert ok.exit_code == 0
    assert json.loads((tmp_path / "mlaudit.sarif").read_text())["runs"][0]["automationDetails"]["id"] == "ml/eu/"


def test_a_scan_scope_names_its_category_and_muted_alerts_carry_the_suppression(
    aws: boto3.Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, root in (("nb-root", "Enabled"), ("nb-pilot", "Enabled"), ("nb-locked", "Disabled")):
        aws.client("sagemaker").create_notebook_instance(
            NotebookInstanceName=name,
            InstanceType="ml.t3.medium",
            RoleArn="arn:aws:iam::123456789012:role/r",
            RootAccess=root,
        )
    runner = CliRunner()
    snapshot = tmp_path / "inventory.json"
    collected = runner.invoke(
        cli, ["collect", "--region", "us-east-1", "--checks", "SM-NOTEBOOK-003", "-o", str(snapshot)]
    )
    assert collected.exit_code == 0, collected.stderr
    config = tmp_path / ".mlaudit.yaml"
    config.write_text(
        "sarif_category: mlaudit/prod\nsuppressions:\n"
        "  - {check: SM-NOTEBOOK-003, resources: [nb-pilot], reason: The pilot needs root, owner: ml-platform, "
        "expires: 2099-01-31}\n"
    )
    evaluate = [
        "evaluate",
        str(snapshot),
        "--config",
        str(config),
        "--checks",
        "SM-NOTEBOOK-003",
        "--format",
        "sarif,junit",
        "--fail-on",
        "none",
    ]
    assert runner.invoke(cli, [*evaluate, "--output-dir", str(tmp_path / "a")]).exit_code == 0
    document = json.loads((tmp_path / "a" / "mlaudit.sarif").read_text())
    assert {alert[0] for alert in upload(document)} == {"mlaudit/prod"}
    results = {r["locations"][0]["logicalLocations"][0]["name"]: r for r in document["runs"][0]["results"]}
    assert sorted(results) == ["nb-pilot", "nb-root"]
    expected = "The pilot needs root (owner: ml-platform; expires: 2099-01-31)"
    assert results["nb-pilot"]["suppressions"] == [{"kind": "external", "justification": expected}]
    skipped = ElementTree.parse(tmp_path / "a" / "mlaudit.xml").find(".//skipped")
    assert skipped is not None and skipped.get("message") == expected

    monkeypatch.setenv("MLAUDIT_SARIF_CATEGORY", "mlaudit/sandbox")
    assert runner.invoke(cli, [*evaluate, "--output-dir", str(tmp_path / "b")]).exit_code == 0
    sandbox = json.loads((tmp_path / "b" / "mlaudit.sarif").read_text())
    assert sandbox["runs"][0]["automationDetails"] == {"id": "mlaudit/sandbox/"}
    refused = runner.invoke(cli, [*evaluate, "--sarif-category", "", "--output-dir", str(tmp_path / "c")])
    assert refused.exit_code == 2 and not (tmp_path / "c").exists()
    assert refused.stderr.strip().splitlines() == [
        "mlaudit: error: --sarif-category '' names no category (e.g. mlaudit or mlaudit/prod)"
    ]
