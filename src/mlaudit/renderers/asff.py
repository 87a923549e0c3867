"""`mlaudit.asff.json`: AWS Security Finding Format (2018-10-08), for Security Hub.

Producing the file is read-only like every other format; sending it is the separate, explicit
`mlaudit export security-hub` command. Findings use Security Hub's custom-integration product ARN
(`product/<account>/default`); the check id is the generator, so Security Hub groups findings by check.

Security Hub keys a finding on its product ARN (which names a region) and its `Id`, so each stays in one region:
its resource's, or for an account-wide finding the home region (`RenderOptions.home_region`, else us-east-1),
whatever regions a scan covered. The limits below are the AWS Security Hub API reference's (AwsSecurityFinding,
Note, Resource); a value over its limit is shortened visibly, and an identifier keeps a hash of the whole value.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from typing import Any, TextIO

from mlaudit.core.taxonomy import Severity, Status
from mlaudit.renderers.options import DEFAULT_OPTIONS, RenderOptions
from mlaudit.report.findings import Finding
from mlaudit.report.model import Report

SCHEMA_VERSION = "2018-10-08"
DEFAULT_HOME_REGION = "us-east-1"
"""Where account-wide findings go when no home region is given."""
GLOBAL_REGION = "global"
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 1024
RECOMMENDATION_LIMIT = 512
ID_LIMIT = 512
"""AwsSecurityFinding.Id's maximum; the API reference states none for Resources[].Id, which is held to the same."""
NOTE_LIMIT = 512
"""Note.Text's maximum."""
FIELD_VALUE_LIMIT = 2048
"""A ProductFields value's maximum (keys: 128 characters, at most 50 pairs; ours are fewer and shorter)."""
NOTE_AUTHOR = "mlaudit"
"""Note.UpdatedBy of the notes mlaudit writes."""
COMPLIANCE = {Status.PASS: "PASSED", Status.FAIL: "FAILED", Status.ERROR: "NOT_AVAILABLE", Status.MUTED: "FAILED"}
LABEL = {
    Severity.CRITICAL: "CRITICAL",
    Severity.HIGH: "HIGH",
    Severity.MEDIUM: "MEDIUM",
    Severity.LOW: "LOW",
    Severity.INFO: "INFORMATIONAL",
}
ACCOUNT_TYPE = "AwsAccount"
"""Security Hub's own account-level control findings name the account so: `AwsAccount`, `AWS::::Account:<id>`."""
RESOURCE_TYPES = {
    "AWS::Account": ACCOUNT_TYPE,
    "AWS::CloudTrail::Trail": "AwsCloudTrailTrail",
    "AWS::CloudWatch::Alarm": "AwsCloudWatchAlarm",
    "AWS::EC2::SecurityGroup": "AwsEc2SecurityGroup",
    "AWS::EC2::Subnet": "AwsEc2Subnet",
    "AWS::EC2::VPC": "AwsEc2Vpc",
    "AWS::ECR::Repository": "AwsEcrRepository",
    "AWS::IAM::Role": "AwsIamRole",
    "AWS::IAM::User": "AwsIamUser",
    "AWS::KMS::Key": "AwsKmsKey",
    "AWS::S3::Bucket": "AwsS3Bucket",
    "AWS::SageMaker::NotebookInstance": "AwsSageMakerNotebookInstance",
}
"""CloudFormation types that have a Security Hub resource type of their own (a details object in the service
model's `ResourceDetails`, or `AwsAccount`); every other type is `Other`. A VPC endpoint has none:
`AwsEc2VpcEndpointService` is the provider side of PrivateLink, an endpoint service."""


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fit_id(identifier: str, limit: int = ID_LIMIT) -> str:
    """An identifier within `limit`: whole when it fits, else its start and a hash of the whole value, so that two
    long identifiers that share their start stay apart and the same one always shortens alike."""
    if len(identifier) <= limit:
        return identifier
    digest = hashlib.sha256(identifier.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{identifier[: limit - len(digest) - 3]}...{digest}"


def home_region(options: RenderOptions) -> str:
    return options.home_region or DEFAULT_HOME_REGION


def finding_region(finding: Finding, home: str) -> str:
    """Security Hub needs a real region: an account-wide finding is reported in the home region."""
    return home if finding.region == GLOBAL_REGION else finding.region


def suppression_note(finding: Finding) -> str | None:
    """Why a MUTED finding is muted, for Security Hub's Note: the reason, owner and expiry."""
    suppression = finding.suppression
    if finding.status is not Status.MUTED or suppression is None:
        return None
    parts = [f"muted by mlaudit ({suppression.source}): {suppression.reason}"]
    if suppression.owner:
        parts.append(f"owner {suppression.owner}")
    if suppression.expires:
        parts.append(f"expires {suppression.expires.isoformat()}")
    return _clip("; ".join(parts), NOTE_LIMIT)


def _suppression_fields(finding: Finding) -> dict[str, str]:
    suppression = finding.suppression
    if finding.status is not Status.MUTED or suppression is None:
        return {}
    fields = {
        "mlaudit/SuppressionSource": suppression.source,
        "mlaudit/SuppressionReason": suppression.reason,
        "mlaudit/SuppressionOwner": suppression.owner or "",
        "mlaudit/SuppressionExpires": suppression.expires.isoformat() if suppression.expires else "",
    }
    return {key: _clip(value, FIELD_VALUE_LIMIT) for key, value in fields.items() if value.strip()}


def product_arn(partition: str, region: str, account_id: str) -> str:
    """The custom integration's product ARN: the account's own, in the region the finding is imported to."""
    return f"arn:{partition}:securityhub:{region}:{account_id}:product/{account_id}/default"


def _resource(finding: Finding, partition: str, region: str) -> dict[str, str]:
    kind = RESOURCE_TYPES.get(finding.resource_type, "Other")
    identifier = f"AWS::::Account:{finding.account_id}" if kind == ACCOUNT_TYPE else finding.resource_arn
    return {"Type": kind, "Id": fit_id(identifier), "Partition": partition, "Region": region}


@dataclass(frozen=True)
class _Scan:
    """What every finding of a report shares, worked out once."""

    created: str
    partitions: dict[str, str]
    home: str

    @classmethod
    def of(cls, report: Report, home: str) -> _Scan:
        created = report.scan.finished_at.isoformat().replace("+00:00", "Z")
        return cls(created, {a.account_id: a.partition for a in report.accounts}, home)


def asff_finding(finding: Finding, report: Report, home: str = DEFAULT_HOME_REGION) -> dict[str, Any]:
    return _asff(finding, _Scan.of(report, home))


def _asff(finding: Finding, scan: _Scan) -> dict[str, Any]:
    region = finding_region(finding, scan.home)
    partition = scan.partitions.get(finding.account_id, "aws")
    created = scan.created
    product_fields = {
        "mlaudit/CheckId": finding.check_id,
        "mlaudit/Pillar": finding.pillar.value,
        "mlaudit/Status": finding.status.value,
        "mlaudit/References": ", ".join(r.id for r in finding.references),
        "mlaudit/ResourceArn": _clip(finding.resource_arn, FIELD_VALUE_LIMIT),
        **_suppression_fields(finding),
    }
    asff: dict[str, Any] = {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": fit_id(f"mlaudit/{finding.account_id}/{finding.region}/{finding.id}"),
        "ProductArn": product_arn(partition, region, finding.account_id),
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
            "Recommendation": {
                "Text": _clip(finding.remediation.text, RECOMMENDATION_LIMIT),
                "Url": finding.remediation.url,
            }
        },
        "Resources": [_resource(finding, partition, region)],
        "Compliance": {"Status": COMPLIANCE[finding.status]},
        "RecordState": "ACTIVE",
        "ProductFields": {key: value for key, value in product_fields.items() if value.strip()},
    }
    if finding.status is Status.MUTED:  # honoured when the finding is created; `export` updates existing ones
        asff["Workflow"] = {"Status": "SUPPRESSED"}
        note = suppression_note(finding)
        if note is not None:
            asff["Note"] = {"Text": note, "UpdatedBy": NOTE_AUTHOR, "UpdatedAt": created}
    return asff


def asff_findings(report: Report, home: str = DEFAULT_HOME_REGION) -> Iterator[dict[str, Any]]:
    """The report's findings in ASFF, one at a time."""
    scan = _Scan.of(report, home)
    return (_asff(f, scan) for f in report.findings)


def write_asff(report: Report, options: RenderOptions, out: TextIO) -> None:
    """A JSON array, one finding a line, written as it goes."""
    out.write("[")
    separator = "\n"
    for item in asff_findings(report, home_region(options)):
        out.write(separator)
        out.write(json.dumps(item, ensure_ascii=False))
        separator = ",\n"
    out.write("\n]\n")


def render_asff(report: Report, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The whole file as one string (tests)."""
    buffer = StringIO()
    write_asff(report, options, buffer)
    return buffer.getvalue()
