"""Helpers for tests: scanning the moto account through mlaudit's real code path, and reading verdicts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from mlaudit.catalog.loader import load_catalog
from mlaudit.core.taxonomy import Status
from mlaudit.report.model import Report
from mlaudit.scan import ScanOptions, run_scan
from mlaudit.sdk import Check

ACCOUNT_ID = "123456789012"
READ_OPERATION = re.compile(r"^((List|Describe|Get|Head)[A-Z]|Search$)")
"""The names of the operations that read (the only ones mlaudit may call, with READ_ONLY_EXCEPTIONS)."""
READ_ONLY_EXCEPTIONS = {
    "cloudtrail:LookupEvents": "reads CloudTrail's event history: IAM's access level Read, it starts and changes nothing",
    "iam:GenerateServiceLastAccessedDetails": "starts a report job over the last accessed data IAM keeps anyway: IAM's "
    "access level Read, it changes no identity, policy or setting (AWS's SecurityAudit policy grants it)",
}
"""Operations (`service:Operation`) that read without a read-like name; each needs its reason beside it."""


def reads(operation: str) -> bool:
    """Whether an operation (`service:Operation`) is one mlaudit may call: read-like by name, or a documented
    exception."""
    return bool(READ_OPERATION.match(operation.split(":", 1)[1])) or operation in READ_ONLY_EXCEPTIONS


ROLE_ARN = f"arn:aws:iam::{ACCOUNT_ID}:role/test-execution"


def select(keys: list[str] | tuple[str, ...], checks_dirs: Sequence[Path] = ()) -> list[Check]:
    """The checks (built-in, or from `checks_dirs`) named by ids, names or globs, as the command line selects them."""
    return load_catalog(checks_dirs, include_entry_points=False).select(list(keys))


def scan(
    session: boto3.Session, checks: list[str], regions: tuple[str, ...] = ("us-east-1",), **options: object
) -> Report:
    """Scan the moto account through mlaudit's real code path (`checks_dirs`: where plug-in checks are)."""
    selected = select(checks, options.pop("checks_dirs", ()))  # type: ignore[arg-type]
    return run_scan(ScanOptions(session=session, regions=regions, checks=selected, **options)).report  # type: ignore[arg-type]


def verdicts(report: Report, check_id: str) -> dict[str, Status]:
    """The status of each resource (by name) for one check: tests assert the exact set."""
    return {f.resource_name: f.status for f in report.findings if f.check_id == check_id}


def create_model(
    session: boto3.Session, name: str, *, in_vpc: bool = False, region: str = "us-east-1", **container: str
) -> None:
    extra = {"VpcConfig": {"Subnets": ["subnet-0a1b2c3d"], "SecurityGroupIds": ["sg-0a1b2c3d"]}} if in_vpc else {}
    session.client("sagemaker", region_name=region).create_model(
        ModelName=name,
        ExecutionRoleArn=ROLE_ARN,
        PrimaryContainer=container or {"Image": f"{ACCOUNT_ID}.dkr.ecr.{region}.amazonaws.com/model:1"},
        **extra,
    )


def create_endpoint(
    session: boto3.Session,
    name: str,
    model: str,
    *,
    instance_type: str | None = "ml.m5.xlarge",
    instances: int = 2,
    region: str = "us-east-1",
    **config: object,
) -> None:
    """An endpoint with one variant (`AllTraffic`) and its config `<name>-config`; instance_type None = serverless."""
    variant: dict[str, object] = {"VariantName": "AllTraffic", "ModelName": model}
    if instance_type:
        variant |= {"InstanceType": instance_type, "InitialInstanceCount": instances}
    else:
        variant["ServerlessConfig"] = {"MemorySizeInMB": 2048, "MaxConcurrency": 5}
    sagemaker = session.client("sagemaker", region_name=region)
    sagemaker.create_endpoint_config(EndpointConfigName=f"{name}-config", ProductionVariants=[variant], **config)
    sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config")


class _FakeHttpResponse:
    """The minimum of botocore's AWSResponse that a short-circuited call needs."""

    def __init__(self, status_code: int) -> None:
        self.status_code = status_code
        self.headers: dict[str, str] = {}
        self.content = b""
        self.raw = None


def refuse(
    session: boto3.Session,
    service_id: str,
    operation: str = "*",
    *,
    code: str = "AccessDeniedException",
    message: str = "User is not authorized to perform this action",
    status: int = 403,
    only_for: str | None = None,
    after: int = 0,
) -> None:
    """Make AWS answer calls from this session with an error, at botocore's API boundary (where a real error
    arrives, after botocore's retries would have given up).

    `service_id` is botocore's hyphenated service id (`sagemaker`, `application-auto-scaling`, `s3`...);
    `only_for` limits the refusal to requests whose body or URL mentions that string (one resource's name; S3 puts
    the bucket in the host name); the first `after` of those are let through.
    """
    let_through = [after]

    def answer(params: dict[str, object], **_: object) -> tuple[_FakeHttpResponse, dict[str, object]] | None:
        if only_for is not None and only_for not in repr(params.get("body")) + repr(params.get("url")):
            return None
        if let_through[0] > 0:
            let_through[0] -= 1
            return None
        error = {"Code": code, "Message": message}
        return _FakeHttpResponse(status), {
            "Error": error,
            "ResponseMetadata": {"HTTPStatusCode": status, "RetryAttempts": 0},
        }

    session.events.register(f"before-call.{service_id}.{operation}", answer)


@dataclass(frozen=True)
class RawAnswer:
    """An answer as it came over the wire, before botocore's parser kept only what its model knows."""

    operation: Any
    """botocore's OperationModel."""
    status: int
    body: bytes


class Recorder:
    """Botocore hooks of the test's own: every operation any mlaudit client calls, by service (`before-call`), and
    every raw answer (`answered`, an `after-call` hook)."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.answers: list[RawAnswer] = []

    def __call__(self, model: object, **_: object) -> None:
        self.calls[f"{model.service_model.service_name}:{model.name}"] += 1  # type: ignore[attr-defined]

    def answered(self, http_response: Any, model: Any, **_: object) -> None:
        self.answers.append(RawAnswer(model, http_response.status_code, http_response.content))


def answer(session: boto3.Session, service_id: str, operation: str, body: dict[str, object], status: int = 200) -> None:
    """Make AWS answer one operation from this session with the given response body, at botocore's API boundary
    (for responses moto cannot produce, such as a partial failure)."""
    answer_when(session, service_id, operation, "", body, status)


def answer_when(
    session: boto3.Session, service_id: str, operation: str, marker: str, body: dict[str, object], status: int = 200
) -> None:
    """Like `answer`, only for the calls whose request contains `marker` (the others reach moto)."""

    def respond(params: dict[str, object], **_: object) -> tuple[_FakeHttpResponse, dict[str, object]] | None:
        if marker not in repr(params.get("body")) + repr(params.get("url")):
            return None
        return _FakeHttpResponse(status), {**body, "ResponseMetadata": {"HTTPStatusCode": status, "RetryAttempts": 0}}

    session.events.register(f"before-call.{service_id}.{operation}", respond)


def create_trail(
    session: boto3.Session, name: str, *, multi_region: bool = True, logging: bool = True, **selectors: object
) -> None:
    """A CloudTrail trail (with its log bucket), optionally with event selectors, logging unless told otherwise."""
    session.client("s3").create_bucket(Bucket=f"{name}-logs")
    cloudtrail = session.client("cloudtrail")
    cloudtrail.create_trail(Name=name, S3BucketName=f"{name}-logs", IsMultiRegionTrail=multi_region)
    if selectors:
        cloudtrail.put_event_selectors(TrailName=name, **selectors)
    if logging:
        cloudtrail.start_logging(Name=name)


def delete_before(session: boto3.Session, service_id: str, operation: str, marker: str, delete: object) -> None:
    """Run `delete()` (plain boto3 calls deleting a resource in moto) just before the first call of `operation`
    whose request mentions `marker`: the resource vanishes between list and read, and moto answers the error AWS
    gives for it, through botocore's real parsing."""
    done: list[bool] = []

    def before(params: dict[str, object], **_: object) -> None:
        if not done and marker in repr(params.get("body")) + repr(params.get("url")):
            done.append(True)
            delete()  # type: ignore[operator]

    session.events.register(f"before-call.{service_id}.{operation}", before)
