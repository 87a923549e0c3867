"""`mlaudit.asff.json`: AWS Security Finding Format (2018-10-08), for Security Hub.

Producing the file is read-only like every other format; sending it is the separate, explicit
`mlaudit export security-hub` command. Findings use Security Hub's custom-integration product ARN
(`product/<account>/default`); the check id is the generator, so Security Hub groups findings by check.
"""

from __future__ import annotations

import json
from typing import Any

from mlaudit.core.taxonomy import Severity, Status
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report

SCHEMA_VERSION = "2018-10-08"
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 1024
COMPLIANCE = {Status.PASS: "PASSED", Status.FAIL: "FAILED", Status.ERROR: "NOT_AVAILABLE", Status.MUTED: "FAILED"}
LABEL = {
    Severity.CRITICAL: "CRITICAL",
    Severity.HIGH: "HIGH",
    Severity.MEDIUM: "MEDIUM",
    Severity.LOW: "LOW",
    Severity.INFO: "INFORMATIONAL",
}
RESOURCE_TYPES = {
    "AWS::SageMaker::NotebookInstance": "AwsSageMakerNotebookInstance",
    "AWS::S3::Bucket": "AwsS3Bucket",
    "AWS::IAM::Role": "AwsIamRole",
    "AWS::KMS::Key": "AwsKmsKey",
    "AWS::EC2::SecurityGroup": "AwsEc2SecurityGroup",
    "AWS::EC2::VPCEndpoint": "AwsEc2VpcEndpointService",
    "AWS::CloudTrail::Trail": "AwsCloudTrailTrail",
    "AWS::Logs::LogGroup": "AwsLogsLogGroup",
    "AWS::Account": "AwsAccount",
}
"""CloudFormation types that have an ASFF resource type of their own; the others are `Other`."""


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _region(finding: Finding, report: Report) -> str:
    """Security Hub needs a real region: an account-wide finding is reported in the scan's first region."""
    return finding.region if finding.region != "global" else (report.scan.regions or ["us-east-1"])[0]


def asff_finding(finding: Finding, report: Report) -> dict[str, Any]:
    region = _region(finding, report)
    partition = next((a.partition for a in report.accounts if a.account_id == finding.account_id), "aws")
    created = report.scan.finished_at.isoformat().replace("+00:00", "Z")
    asff: dict[str, Any] = {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": f"mlaudit/{finding.account_id}/{finding.region}/{finding.id}",
        "ProductArn": f"arn:{partition}:securityhub:{region}:{finding.account_id}:product/{finding.account_id}/default",
        "ProductName": "mlaudit",
        "CompanyName": "mlaudit",
        "GeneratorId": finding.check_id,
        "AwsAccountId": finding.account_id,
        "Region": region,
        "Types": ["Software and Configuration Checks/AWS Security Best Practices"],
        "CreatedAt": created,
        "UpdatedAt": created,
        "Severity": {"Label": LABEL[finding.severity]},
        "Title": _clip(finding.title, TITLE_LIMIT),
        "Description": _clip(f"{finding.status_detail} ({finding.check_id} {finding.check_name})", DESCRIPTION_LIMIT),
        "Remediation": {
            "Recommendation": {"Text": _clip(finding.remediation.text, 512), "Url": finding.remediation.url}
        },
        "Resources": [
            {
                "Type": RESOURCE_TYPES.get(finding.resource_type, "Other"),
                "Id": finding.resource_arn,
                "Partition": partition,
                "Region": region,
            }
        ],
        "Compliance": {"Status": COMPLIANCE[finding.status]},
        "RecordState": "ACTIVE",
        "ProductFields": {
            "mlaudit/CheckId": finding.check_id,
            "mlaudit/Pillar": finding.pillar.value,
            "mlaudit/Status": finding.status.value,
            "mlaudit/References": ", ".join(r.id for r in finding.references),
        },
    }
    if finding.status is Status.MUTED:
        asff["Workflow"] = {"Status": "SUPPRESSED"}
    return asff


def asff_findings(report: Report) -> list[dict[str, Any]]:
    return [asff_finding(f, report) for f in report.findings]


def render_asff(report: Report) -> str:
    return json.dumps(asff_findings(report), indent=1, ensure_ascii=False) + "\n"
