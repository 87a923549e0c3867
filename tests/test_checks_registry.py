"""SM-REGISTRY-* checks against model package groups and versions created in moto."""

from __future__ import annotations

import boto3

from support import scan, verdicts
from mlaudit.taxonomy import Status


def _group(session: boto3.Session, name: str, approvals: list[str]) -> None:
    sagemaker = session.client("sagemaker")
    sagemaker.create_model_package_group(ModelPackageGroupName=name)
    for status in approvals:
        sagemaker.create_model_package(
            ModelPackageGroupName=name,
            ModelApprovalStatus=status,
            InferenceSpecification={
                "Containers": [{"Image": "model:1"}],
                "SupportedContentTypes": ["text/csv"],
                "SupportedResponseMIMETypes": ["text/csv"],
            },
        )


def test_group_without_approved_version(aws: boto3.Session) -> None:
    _group(aws, "pass-approved", ["Rejected", "Approved", "PendingManualApproval"])
    _group(aws, "fail-pending", ["PendingManualApproval", "Rejected"])
    _group(aws, "fail-empty", [])

    report = scan(aws, ["SM-REGISTRY-002"])

    assert verdicts(report, "SM-REGISTRY-002") == {
        "pass-approved": Status.PASS,
        "fail-pending": Status.FAIL,
        "fail-empty": Status.FAIL,
    }
    assert "version 2 is approved" in next(f.status_detail for f in report.findings if f.resource_name == "pass-approved")
