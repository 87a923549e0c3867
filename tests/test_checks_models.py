"""SM-MODEL-* checks against models (and the endpoints that serve them) created in moto."""

from __future__ import annotations

from typing import Any

import boto3

from mlaudit.catalog.loader import load_catalog
from mlaudit.core.taxonomy import Status
from mlaudit.demo.moto_extensions.sagemaker_inference import set_endpoint_state
from mlaudit.scan import ScanOptions, run_scan
from support import ACCOUNT_ID, ROLE_ARN, create_endpoint, create_model, refuse, scan, select, verdicts

IMAGE = f"{ACCOUNT_ID}.dkr.ecr.us-east-1.amazonaws.com/model:1"
PACKAGE = f"arn:aws:sagemaker:us-east-1:{ACCOUNT_ID}:model-package/fraud-detection/3"
HF_TOKEN = "hf_" + "q" * 34


def _model(session: boto3.Session, name: str, container: dict[str, Any] | None = None, **settings: Any) -> None:
    session.client("sagemaker").create_model(
        ModelName=name, ExecutionRoleArn=ROLE_ARN, PrimaryContainer=container or {"Image": IMAGE}, **settings
    )


def test_network_isolation(aws: boto3.Session) -> None:
    _model(aws, "pass-isolated", EnableNetworkIsolation=True)
    _model(aws, "fail-open")

    report = scan(aws, ["model-network-isolation-disabled"])

    assert verdicts(report, "SM-MODEL-001") == {"pass-isolated": Status.PASS, "fail-open": Status.FAIL}


def test_model_outside_vpc(aws: boto3.Session) -> None:
    create_model(aws, "pass-vpc", in_vpc=True)
    create_model(aws, "fail-no-vpc")

    report = scan(aws, ["SM-MODEL-002"])

    assert verdicts(report, "SM-MODEL-002") == {"pass-vpc": Status.PASS, "fail-no-vpc": Status.FAIL}


def test_image_registry_is_opt_in_and_judges_image_containers(aws: boto3.Session) -> None:
    _model(
        aws,
        "pass-private-registry",
        {"Image": "registry.corp.example/model:1", "ImageConfig": {"RepositoryAccessMode": "Vpc"}},
    )
    _model(aws, "fail-platform", {"Image": IMAGE, "ImageConfig": {"RepositoryAccessMode": "Platform"}})
    _model(aws, "fail-no-image-config")
    _model(aws, "na-from-package", {"ModelPackageName": PACKAGE})

    report = scan(aws, ["SM-MODEL-003"])

    assert verdicts(report, "SM-MODEL-003") == {
        "pass-private-registry": Status.PASS,
        "fail-platform": Status.FAIL,
        "fail-no-image-config": Status.FAIL,
    }
    assert "SM-MODEL-003" not in {c.id for c in load_catalog(include_entry_points=False).select()}


def test_deployed_model_not_from_registry(aws: boto3.Session) -> None:
    _model(aws, "registered", {"ModelPackageName": PACKAGE})
    _model(aws, "ad-hoc")
    create_endpoint(aws, "pass-registered", "registered")
    create_endpoint(aws, "fail-ad-hoc", "ad-hoc")
    create_endpoint(aws, "na-failed", "ad-hoc")
    set_endpoint_state(ACCOUNT_ID, "us-east-1", "na-failed", status="Failed", failure_reason="health check")

    report = scan(aws, ["deployed-model-not-from-registry"])

    assert verdicts(report, "SM-MODEL-004") == {"pass-registered": Status.PASS, "fail-ad-hoc": Status.FAIL}
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert details["pass-registered"] == "deployed from model-package/fraud-detection/3"
    assert "ad-hoc (variant AllTraffic)" in details["fail-ad-hoc"]


def test_environment_secrets_are_reported_by_name_and_never_kept(aws: boto3.Session) -> None:
    secrets = {"DB_PASSWORD": "hunter2-prod", "HF_TOKEN": HF_TOKEN}
    _model(aws, "fail-secrets", {"Image": IMAGE, "Environment": {**secrets, "LOG_LEVEL": "info"}})
    _model(
        aws,
        "pass-references",
        {"Image": IMAGE, "Environment": {"DB_PASSWORD_SECRET": "arn:aws:secretsmanager:us-east-1:1:secret:db"}},
    )
    _model(aws, "pass-no-environment")
    near_misses = {
        "TOKENIZER_NAME": "bert-base-uncased",
        "MAX_TOKENS": "4096",
        "PASSWORD_POLICY_URL": "https://intranet.example.com/policies/passwords",
        "SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
    }
    _model(aws, "pass-near-misses", {"Image": IMAGE, "Environment": near_misses})

    result = run_scan(ScanOptions(session=aws, regions=("us-east-1",), checks=select(["SM-MODEL-005"])))

    assert verdicts(result.report, "SM-MODEL-005") == {
        "fail-secrets": Status.FAIL,
        "pass-references": Status.PASS,
        "pass-no-environment": Status.PASS,
        "pass-near-misses": Status.PASS,
    }
    failing = next(f for f in result.report.findings if f.resource_name == "fail-secrets")
    assert failing.status_detail == (
        "secret-looking environment variable: DB_PASSWORD (secret-named-variable), HF_TOKEN (huggingface-token)"
    )
    kept = result.inventory.to_snapshot("test").model_dump_json() + result.report.model_dump_json()
    assert "DB_PASSWORD" in kept
    assert not [value for value in secrets.values() if value in kept]


def test_models_are_read_from_search_pages_and_a_failed_search_is_an_error(aws: boto3.Session) -> None:
    create_model(aws, "pass-in-vpc", in_vpc=True)
    calls: list[str] = []
    aws.events.register("before-call.sagemaker", lambda model, **_: calls.append(model.name))

    assert verdicts(scan(aws, ["SM-MODEL-002"]), "SM-MODEL-002") == {"pass-in-vpc": Status.PASS}
    assert "DescribeModel" not in calls and calls.count("Search") == 1

    refuse(aws, "sagemaker", "Search")
    assert verdicts(scan(aws, ["SM-MODEL-002"]), "SM-MODEL-002") == {"all models": Status.ERROR}
