"""KMS-ML-001 against keys created in moto and referenced by SageMaker notebook instances."""

from __future__ import annotations

import boto3

from mlaudit.core.taxonomy import Status
from support import ROLE_ARN, refuse, scan, verdicts


def _key_of_notebook(session: boto3.Session, label: str, **key: object) -> str:
    """A key protecting the volume of notebook `label`; returns the key id (the record's name)."""
    metadata = session.client("kms").create_key(Description=label, **key)["KeyMetadata"]
    session.client("sagemaker").create_notebook_instance(
        NotebookInstanceName=label, InstanceType="ml.t3.medium", RoleArn=ROLE_ARN, KmsKeyId=metadata["Arn"]
    )
    return metadata["KeyId"]


def _by_label(report: object, labels: dict[str, str]) -> dict[str, Status]:
    return {labels[key_id]: status for key_id, status in verdicts(report, "KMS-ML-001").items()}  # type: ignore[arg-type]


def test_ml_kms_key_weak(aws: boto3.Session) -> None:
    kms = aws.client("kms")
    labels = {}
    for label in ("pass-rotated", "fail-not-rotated", "fail-disabled"):
        labels[_key_of_notebook(aws, label)] = label
    rotated, _, disabled = labels
    kms.enable_key_rotation(KeyId=rotated)
    kms.enable_key_rotation(KeyId=disabled)
    kms.disable_key(KeyId=disabled)
    labels[_key_of_notebook(aws, "pass-asymmetric", KeySpec="RSA_2048", KeyUsage="ENCRYPT_DECRYPT")] = "pass-asymmetric"

    report = scan(aws, ["KMS-ML-001"])

    assert _by_label(report, labels) == {
        "pass-rotated": Status.PASS,
        "fail-not-rotated": Status.FAIL,
        "fail-disabled": Status.FAIL,
        "pass-asymmetric": Status.PASS,
    }
    findings = {labels[f.resource_name]: f for f in report.findings}
    assert "automatic rotation is off" in findings["fail-not-rotated"].status_detail
    assert findings["fail-disabled"].severity == "high" and "Disabled" in findings["fail-disabled"].status_detail
    assert findings["fail-not-rotated"].severity == "medium"
    assert "does not apply" in findings["pass-asymmetric"].status_detail


def test_refused_rotation_status_is_an_error(aws: boto3.Session) -> None:
    _key_of_notebook(aws, "ml-notebook")
    refuse(aws, "kms", "GetKeyRotationStatus")

    report = scan(aws, ["KMS-ML-001"])

    assert {f.status for f in report.findings} == {Status.ERROR}
    assert "kms:GetKeyRotationStatus" in report.findings[0].status_detail
