"""The catalog: complete metadata for every check, selection by id, name or glob, and plug-ins that load like
built-ins and cannot crash a scan."""

from __future__ import annotations

import ast
import json
import re
import textwrap
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner

from mlaudit.catalog.loader import load_catalog
from mlaudit.cli import cli
from mlaudit.collect.registry import COLLECTORS
from mlaudit.core.errors import UserError
from mlaudit.core.taxonomy import Severity, Status
from mlaudit.sdk import Check, ReferenceType
from mlaudit.sdk.references import PEERS
from peers import PEER_CONTROLS, control_of, covering, is_ml_control, uncovered_controls
from support import reads, scan, verdicts

TESTS = Path(__file__).resolve().parent
BUILTIN = load_catalog(include_entry_points=False)


@pytest.mark.parametrize("check", BUILTIN.checks, ids=lambda c: c.id)
def test_metadata_is_complete(check: object) -> None:
    meta = check.metadata  # type: ignore[attr-defined]
    assert meta.source == "builtin"
    assert len(re.findall(r"[.!?](\s|$)", meta.rationale)) >= 2, "the rationale says why, in two or three sentences"
    assert meta.remediation.text and meta.remediation.url.startswith("https://docs.aws.amazon.com/")
    assert meta.remediation.cli and meta.remediation.cli.startswith("aws ")
    assert any(r.type is ReferenceType.ML_LENS for r in meta.references), "every check maps to an ML Lens practice"
    assert all(r.url.startswith("https://") for r in meta.references)
    assert meta.judges.endswith("."), "judges says which resources and states it judges and which it leaves alone"
    for name, setting in meta.settings.items():
        number = isinstance(setting.default, (int, float)) and not isinstance(setting.default, bool)
        assert not number or setting.minimum is not None, f"{name}: a number declares its range"
        assert setting.lookback or not name.endswith(("idle_days", "window_days")), (
            f"{name}: days of metrics fit --since"
        )


PEER_TYPES = {t.value for t in PEERS}
CONTROLS = {(c["peer"], c["id"]): c for c in PEER_CONTROLS["controls"]}


def test_peer_controls_file_names_each_control_once_with_its_coverage_or_its_bullet() -> None:
    assert len(CONTROLS) == len(PEER_CONTROLS["controls"]), "a control is listed twice"
    builtin = {c.id for c in BUILTIN.checks}
    for (peer, control_id), control in CONTROLS.items():
        assert peer in PEER_TYPES and control_id and control["title"], control
        if control["covered_by"] is None:
            assert control["issue17"], f"{control_id}: an uncovered control names the issue-17 bullet that covers it"
        else:
            assert control["covered_by"] and set(control["covered_by"]) <= builtin, control
        assert set(control.get("partly_by", ())) <= builtin, control
    assert all(re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", i) for p, i in CONTROLS if p == "kics")


def test_peer_controls_file_and_the_checks_references_agree() -> None:
    """A control marked covered is named by exactly the checks the file lists, and every ML control a check names
    (Prowler, Steampipe, Checkov, KICS; Security Hub and Config for the ML services) is in the file."""
    listed = {key: set(c["covered_by"]) for key, c in CONTROLS.items() if c["covered_by"]}
    named = covering(BUILTIN.checks)
    assert {key: ids for key, ids in named.items() if key not in CONTROLS} == {}, "referenced but not in the file"
    assert {key: (ids, named.get(key)) for key, ids in listed.items() if named.get(key) != ids} == {}
    kics = [
        r for c in BUILTIN.checks for r in c.metadata.references if r.type is ReferenceType.KICS and is_ml_control(r)
    ]
    assert all(r.id == CONTROLS[control_of(r)]["title"] for r in kics), "a KICS reference names its query's title"


def test_uncovered_peer_controls_are_exactly_those_the_file_marks_uncovered() -> None:
    """Fails when a check starts covering a control the file still marks null (update the file), or when a control
    the file marks covered loses its check."""
    marked = {key for key, control in CONTROLS.items() if control["covered_by"] is None}
    uncovered = set(uncovered_controls(BUILTIN.checks))
    assert {"now covered, still marked null": marked - uncovered, "marked covered, no check": uncovered - marked} == {
        "now covered, still marked null": set(),
        "marked covered, no check": set(),
    }


def _strings_passed_in_calls(path: Path) -> set[str]:
    """The string literals a test module passes to calls (`scan(aws, ["SM-ENDPOINT-004"])`, `verdicts(report,
    "SM-ENDPOINT-004")`): comments and docstrings name checks without testing them."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                found.update(
                    leaf.value
                    for leaf in ast.walk(argument)
                    if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str)
                )
    return found


TESTED = {string for path in TESTS.glob("test_checks_*.py") for string in _strings_passed_in_calls(path)}


@pytest.mark.parametrize("check", BUILTIN.checks, ids=lambda c: c.id)
def test_every_check_has_tests_and_collectors(check: Check) -> None:
    assert check.id in TESTED or check.name in TESTED, "no test module scans this check and reads its verdicts"
    assert all(record_type in COLLECTORS for record_type in check.needs)


def test_collectors_declare_only_read_operations() -> None:
    for collector in COLLECTORS.values():
        for operation in collector.operations:
            assert reads(str(operation)), operation


def test_selection_by_id_name_glob_exclusion_and_severity() -> None:
    assert [c.id for c in BUILTIN.select(["sm-endpoint-004", "endpoint-no-autoscaling"])] == [
        "SM-ENDPOINT-004",
        "SM-ENDPOINT-005",
    ]
    endpoint_ids = {c.id for c in BUILTIN.select(["SM-ENDPOINT-*"])}
    assert endpoint_ids == {f"SM-ENDPOINT-{n:03d}" for n in range(1, 15)}
    assert "SM-ENDPOINT-001" not in {c.id for c in BUILTIN.select(["SM-ENDPOINT-*"], ["endpoint-config-no-kms"])}
    assert all(c.metadata.severity.at_least(Severity.HIGH) for c in BUILTIN.select(min_severity=Severity.HIGH))


def test_unknown_check_suggests_the_closest() -> None:
    with pytest.raises(UserError) as raised:
        BUILTIN.select(["SM-ENDPONT-004"])
    assert "did you mean SM-ENDPOINT-004" in raised.value.one_line()
    with pytest.raises(UserError, match="--exclude-checks"):
        BUILTIN.select([], ["notebook-rot-access"])


def _plugin(tmp_path: Path, body: str, name: str = "acme.py") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(
        textwrap.dedent(
            """
            from mlaudit.inventory import NotebookInstance, Model
            from mlaudit.sdk import Pillar, Remediation, Severity, check, failed, passed, ml_lens

            def _meta(id, name):
                return dict(id=id, name=name, title="t", severity=Severity.LOW, pillar=Pillar.COST,
                            resource=NotebookInstance, rationale="r.", references=(ml_lens("MLCOST-16"),),
                            remediation=Remediation(text="fix", url="https://example.com"))
            """
        )
        + textwrap.dedent(body)
    )
    return tmp_path


def _notebooks(session: boto3.Session, *names: str) -> None:
    for name in names:
        session.client("sagemaker").create_notebook_instance(
            NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn="arn:aws:iam::123456789012:role/r"
        )


def test_checks_dir_plugin_runs_like_a_builtin(aws: boto3.Session, tmp_path: Path) -> None:
    directory = _plugin(
        tmp_path,
        """
        @check(**_meta("ACME-NOTEBOOK-001", "notebook-named-big"))
        def big(notebook, ctx):
            return failed("big name") if notebook.name.startswith("big") else passed("small name")
        """,
    )
    _notebooks(aws, "big-one", "small-one")

    report = scan(aws, ["ACME-NOTEBOOK-001"], checks_dirs=[directory])

    assert verdicts(report, "ACME-NOTEBOOK-001") == {"big-one": Status.FAIL, "small-one": Status.PASS}
    assert (
        load_catalog([directory], include_entry_points=False)
        .find("notebook-named-big")
        .metadata.source.endswith("acme.py")
    )


def test_a_plugin_that_raises_or_misbehaves_yields_errors_naming_it(aws: boto3.Session, tmp_path: Path) -> None:
    directory = _plugin(
        tmp_path,
        """
        @check(**_meta("ACME-BROKEN-001", "raises"))
        def raises(notebook, ctx):
            raise RuntimeError("boom")

        @check(**_meta("ACME-BROKEN-002", "returns-junk"))
        def junk(notebook, ctx):
            return "PASS"

        @check(**_meta("ACME-BROKEN-003", "reads-undeclared"))
        def undeclared(notebook, ctx):
            return passed(str(ctx.all(Model)))
        """,
    )
    _notebooks(aws, "nb")

    report = scan(aws, ["ACME-BROKEN-*", "SM-NOTEBOOK-001"], checks_dirs=[directory])

    errors = {f.check_id: f.status_detail for f in report.findings if f.status is Status.ERROR}
    assert set(errors) == {"ACME-BROKEN-001", "ACME-BROKEN-002", "ACME-BROKEN-003"}
    assert "ACME-BROKEN-001 raised RuntimeError: boom" in errors["ACME-BROKEN-001"]
    assert "ACME-BROKEN-002 returned 'PASS'" in errors["ACME-BROKEN-002"]
    assert "does not declare it" in errors["ACME-BROKEN-003"]
    assert verdicts(report, "SM-NOTEBOOK-001") == {"nb": Status.FAIL}


def test_a_plugin_that_does_not_import_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("import does_not_exist\n")
    with pytest.raises(UserError, match=r"could not load checks from .*broken.py: ModuleNotFoundError"):
        load_catalog([tmp_path], include_entry_points=False)


def test_a_plugin_cannot_reuse_a_builtin_id(tmp_path: Path) -> None:
    directory = _plugin(
        tmp_path,
        """
        @check(**_meta("SM-NOTEBOOK-001", "another-name"))
        def clash(notebook, ctx):
            return None
        """,
    )
    with pytest.raises(UserError, match="two checks share 'SM-NOTEBOOK-001'"):
        load_catalog([directory], include_entry_points=False)


def _listed_ids(*args: str) -> list[str]:
    result = CliRunner().invoke(cli, ["list-checks", "--format", "json", *args], catch_exceptions=False)
    return [c["id"] for c in json.loads(result.stdout)]


def test_list_checks_lists_plugins_beside_the_indexed_builtins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builtin = [c.id for c in BUILTIN.checks]
    assert _listed_ids() == builtin
    directory = _plugin(
        tmp_path / "dir", "@check(**_meta('ACME-DIR-001', 'from-dir'))\ndef d(notebook, ctx):\n    return None\n"
    )
    assert _listed_ids("--checks-dir", str(directory)) == sorted([*builtin, "ACME-DIR-001"])
    _entry_point_plugin(tmp_path / "ep", monkeypatch)
    assert _listed_ids() == sorted([*builtin, "ACME-EP-001"])


def _entry_point_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _plugin(
        tmp_path,
        """
        @check(**_meta("ACME-EP-001", "from-entry-point"))
        def from_entry_point(notebook, ctx):
            return None
        """,
        name="acme_checks.py",
    )
    dist = tmp_path / "acme_checks-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-checks\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[mlaudit.checks]\nacme = acme_checks\n")
    monkeypatch.syspath_prepend(str(tmp_path))


def test_entry_point_plugins_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _entry_point_plugin(tmp_path / "ep", monkeypatch)

    found = load_catalog().find("ACME-EP-001")

    assert found is not None and found.metadata.source == "entry point acme (acme_checks)"


def test_a_check_can_judge_several_kinds_of_resource(aws: boto3.Session, tmp_path: Path) -> None:
    directory = _plugin(
        tmp_path,
        """
        @check(**{**_meta("ACME-MULTI-001", "named-prod"), "resource": (NotebookInstance, Model)})
        def named_prod(record, ctx):
            return passed("prod") if "prod" in record.name else failed("not prod")
        """,
    )
    _notebooks(aws, "nb-prod")
    aws.client("sagemaker").create_model(
        ModelName="model-dev", ExecutionRoleArn="arn:aws:iam::123456789012:role/r", PrimaryContainer={"Image": "i"}
    )

    report = scan(aws, ["ACME-MULTI-001"], checks_dirs=[directory])

    assert {(f.resource_name, f.resource_type, f.status) for f in report.findings} == {
        ("nb-prod", "AWS::SageMaker::NotebookInstance", Status.PASS),
        ("model-dev", "AWS::SageMaker::Model", Status.FAIL),
    }
    assert report.checks[-1].resource_type == "AWS::SageMaker::NotebookInstance, AWS::SageMaker::Model"


def test_a_check_named_only_in_a_comment_or_docstring_is_not_tested(tmp_path: Path) -> None:
    module = tmp_path / "test_checks_fake.py"
    module.write_text(
        '"""SM-FAKE-001 is described here."""\n# SM-FAKE-001: and mentioned\nscan(aws, ["SM-FAKE-002"])\n'
    )
    assert _strings_passed_in_calls(module) == {"SM-FAKE-002"}
