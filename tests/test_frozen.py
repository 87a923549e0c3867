"""Records and findings are immutable and compact: instances given the same fields share one set of their names
(pydantic keeps one on each instance), and a check's findings share one remediation. docs/benchmark.md gives the
memory this saves at scale."""

from __future__ import annotations

import pickle

import boto3
import pytest
from pydantic import ValidationError

from mlaudit.core.taxonomy import Status
from mlaudit.inventory.sagemaker import NotebookInstance
from mlaudit.scan import ScanOptions, run_scan
from support import ROLE_ARN, select

CHECKS = ["SM-NOTEBOOK-001", "SM-NOTEBOOK-003"]


@pytest.fixture
def notebooks(aws: boto3.Session) -> boto3.Session:
    sagemaker = aws.client("sagemaker")
    for name, root in (("open-1", "Enabled"), ("open-2", "Enabled"), ("locked", "Disabled")):
        sagemaker.create_notebook_instance(
            NotebookInstanceName=name, InstanceType="ml.t3.medium", RoleArn=ROLE_ARN, RootAccess=root
        )
    return aws


def test_collected_records_share_their_set_of_given_fields(notebooks: boto3.Session) -> None:
    result = run_scan(ScanOptions(session=notebooks, regions=["us-east-1"], checks=select(CHECKS)))

    records = list(result.inventory.all_records(NotebookInstance))
    assert len(records) == 3
    assert len({id(r.__pydantic_fields_set__) for r in records}) == 1
    assert records[0].model_fields_set == set(NotebookInstance.model_fields)


def test_a_shared_set_still_says_which_fields_each_record_was_given() -> None:
    identity = {
        "arn": "arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/n",
        "account_id": "123456789012",
        "region": "us-east-1",
    }
    bare = [NotebookInstance(**identity, name=name, status="InService") for name in ("a", "b")]
    with_key = NotebookInstance(**identity, name="c", status="InService", kms_key_id="k")

    assert bare[0].__pydantic_fields_set__ is bare[1].__pydantic_fields_set__
    assert with_key.model_fields_set == bare[0].model_fields_set | {"kms_key_id"}
    assert bare[0].model_dump(exclude_unset=True) == {**identity, "name": "a", "status": "InService"}


def test_copies_and_unpickled_records_leave_the_shared_set_alone() -> None:
    identity = {
        "arn": "arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/n",
        "account_id": "123456789012",
        "region": "us-east-1",
    }
    first, second = (NotebookInstance(**identity, name=name, status="InService") for name in ("a", "b"))
    given = set(first.model_fields_set)

    copied = first.model_copy(update={"kms_key_id": "k"})
    restored = pickle.loads(pickle.dumps(second))  # as records come back from worker processes

    assert copied.model_fields_set == given | {"kms_key_id"}
    assert first.model_fields_set == second.model_fields_set == given
    assert restored.__pydantic_fields_set__ is first.__pydantic_fields_set__
    with pytest.raises(ValidationError):
        first.name = "renamed"


def test_a_checks_findings_share_one_remediation_and_are_immutable(notebooks: boto3.Session) -> None:
    findings = run_scan(ScanOptions(session=notebooks, regions=["us-east-1"], checks=select(CHECKS))).report.findings

    by_check = {f.check_id: {id(g.remediation) for g in findings if g.check_id == f.check_id} for f in findings}
    assert set(by_check) == set(CHECKS) and all(len(ids) == 1 for ids in by_check.values())
    assert {f.status for f in findings} == {Status.PASS, Status.FAIL}
    with pytest.raises(ValidationError):
        findings[0].status = Status.PASS
