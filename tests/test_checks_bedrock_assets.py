"""BR-PROMPT, BR-FLOW, BR-CMK-002/003, BR-CUSTOM and BR-THROUGHPUT checks against Bedrock prompts, flows, imported
models, evaluation and customization jobs and provisioned throughput created in moto (prompts, flows, imported models,
evaluation jobs and throughput through mlaudit's moto extensions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from mlaudit.catalog.loader import load_catalog
from mlaudit.config.settings import parse_assignments
from mlaudit.core.errors import UserError
from mlaudit.core.taxonomy import Status
from mlaudit.demo.moto_extensions.bedrock import age_throughput
from mlaudit.report.model import Report
from support import ACCOUNT_ID, ROLE_ARN, refuse, scan, verdicts

FOREIGN_KEY = "arn:aws:kms:us-east-1:999999999999:key/0f0e0d0c-0b0a-0908-0706-050403020100"
BASE_MODEL = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
NOW = datetime.now(UTC)


def _key(session: boto3.Session) -> str:
    return session.client("kms").create_key(Description="bedrock")["KeyMetadata"]["Arn"]


def _keyed(kms_key: str | None, field: str) -> dict[str, Any]:
    return {field: kms_key} if kms_key else {}


def _prompt(session: boto3.Session, name: str, kms_key: str | None = None) -> None:
    session.client("bedrock-agent").create_prompt(name=name, **_keyed(kms_key, "customerEncryptionKeyArn"))


def _flow(session: boto3.Session, name: str, kms_key: str | None = None) -> None:
    session.client("bedrock-agent").create_flow(
        name=name, executionRoleArn=ROLE_ARN, **_keyed(kms_key, "customerEncryptionKeyArn")
    )


def _imported(session: boto3.Session, name: str, kms_key: str | None = None) -> None:
    session.client("bedrock").create_model_import_job(
        jobName=f"{name}-import",
        importedModelName=name,
        roleArn=ROLE_ARN,
        modelDataSource={"s3DataSource": {"s3Uri": "s3://model-artifacts/llama/"}},
        **_keyed(kms_key, "importedModelKmsKeyId"),
    )


def _evaluation(session: boto3.Session, name: str, kms_key: str | None = None) -> None:
    metrics = [
        {"taskType": "Summarization", "dataset": {"name": "Builtin.Gigaword"}, "metricNames": ["Builtin.Accuracy"]}
    ]
    session.client("bedrock").create_evaluation_job(
        jobName=name,
        roleArn=ROLE_ARN,
        evaluationConfig={"automated": {"datasetMetricConfigs": metrics}},
        inferenceConfig={"models": [{"bedrockModel": {"modelIdentifier": BASE_MODEL}}]},
        outputDataConfig={"s3Uri": "s3://evaluations/out/"},
        **_keyed(kms_key, "customerEncryptionKeyId"),
    )


def _customization(session: boto3.Session, name: str, in_vpc: bool = False) -> None:
    vpc = {"vpcConfig": {"subnetIds": ["subnet-0a1b2c3d"], "securityGroupIds": ["sg-0a1b2c3d"]}} if in_vpc else {}
    session.client("bedrock").create_model_customization_job(
        jobName=name,
        customModelName=f"{name}-model",
        roleArn=ROLE_ARN,
        baseModelIdentifier="amazon.titan-text-express-v1",
        trainingDataConfig={"s3Uri": "s3://fine-tuning/train.jsonl"},
        outputDataConfig={"s3Uri": "s3://fine-tuning/output/"},
        hyperParameters={"epochCount": "1"},
        **vpc,
    )


def test_keys_of_prompts_flows_imported_models_and_evaluation_jobs(aws: boto3.Session) -> None:
    key = _key(aws)
    for create in (_prompt, _flow, _imported, _evaluation):
        create(aws, "pass-cmk", key)
        create(aws, "pass-other-account-key", FOREIGN_KEY)
        create(aws, "fail-aws-owned")

    report = scan(aws, ["BR-PROMPT-001", "BR-FLOW-001", "BR-CMK-002", "BR-CMK-003"])

    expected = {"pass-cmk": Status.PASS, "pass-other-account-key": Status.PASS, "fail-aws-owned": Status.FAIL}
    for check_id in ("BR-PROMPT-001", "BR-FLOW-001", "BR-CMK-002", "BR-CMK-003"):
        assert verdicts(report, check_id) == expected, check_id
    details = {(f.check_id, f.resource_name): f.status_detail for f in report.findings}
    assert "the prompt is encrypted with a key AWS owns" in details["BR-PROMPT-001", "fail-aws-owned"]
    assert "the job's data" in details["BR-CMK-003", "fail-aws-owned"]


def test_customization_jobs_in_a_vpc_within_the_lookback_window(aws: boto3.Session) -> None:
    _customization(aws, "pass-in-vpc", in_vpc=True)
    _customization(aws, "fail-bedrock-network")

    report = scan(aws, ["BR-CUSTOM-001"])

    assert verdicts(report, "BR-CUSTOM-001") == {"pass-in-vpc": Status.PASS, "fail-bedrock-network": Status.FAIL}
    listed = report.scan.statistics.by_operation["bedrock:ListModelCustomizationJobs"]
    assert listed == 1


def _throughput(session: boto3.Session, name: str, age_days: int, commitment: str | None = None) -> str:
    extra = {"commitmentDuration": commitment} if commitment else {}
    arn = session.client("bedrock").create_provisioned_model_throughput(
        modelUnits=2, provisionedModelName=name, modelId=BASE_MODEL, **extra
    )["provisionedModelArn"]
    age_throughput(ACCOUNT_ID, "us-east-1", name, NOW - timedelta(days=age_days))
    return arn


def _invocations(session: boto3.Session, model_id: str, value: float, days_ago: float) -> None:
    session.client("cloudwatch").put_metric_data(
        Namespace="AWS/Bedrock",
        MetricData=[
            {
                "MetricName": "Invocations",
                "Dimensions": [{"Name": "ModelId", "Value": model_id}],
                "Timestamp": NOW - timedelta(days=days_ago),
                "Value": value,
            }
        ],
    )


def test_idle_provisioned_throughput_and_the_window_setting(aws: boto3.Session) -> None:
    busy = _throughput(aws, "pass-busy", age_days=60)
    _throughput(aws, "fail-idle", age_days=60, commitment="SixMonths")
    quiet = _throughput(aws, "fail-invoked-20-days-ago", age_days=60)
    _throughput(aws, "na-young", age_days=3)
    _invocations(aws, busy, 500, days_ago=2)
    _invocations(aws, quiet, 40, days_ago=20)
    _invocations(aws, BASE_MODEL, 900, days_ago=1)  # on-demand use of the base model is not the throughput's

    default = scan(aws, ["BR-THROUGHPUT-001"])
    month = scan(aws, ["BR-THROUGHPUT-001"], settings={"BR-THROUGHPUT-001": {"idle_days": 30}})
    short_lookback = scan(aws, ["BR-THROUGHPUT-001"], since_days=7)

    assert verdicts(default, "BR-THROUGHPUT-001") == {
        "pass-busy": Status.PASS,
        "fail-idle": Status.FAIL,
        "fail-invoked-20-days-ago": Status.FAIL,
    }
    assert verdicts(month, "BR-THROUGHPUT-001")["fail-invoked-20-days-ago"] is Status.PASS
    details = {f.resource_name: f.status_detail for f in default.findings}
    assert "SixMonths commitment bills (and keeps it) until" in details["fail-idle"]
    assert "no commitment: deleting it stops the billing" in details["fail-invoked-20-days-ago"]
    assert set(verdicts(short_lookback, "BR-THROUGHPUT-001").values()) == {Status.ERROR}
    assert "read 7 days of metrics" in short_lookback.findings[0].status_detail
    assert default.scan.statistics.by_operation["cloudwatch:GetMetricData"] == 1, "every throughput in one call"
    with pytest.raises(UserError, match=r"BR-THROUGHPUT-001\.idle_days: 0 is below the minimum"):
        parse_assignments(load_catalog(include_entry_points=False), ["BR-THROUGHPUT-001.idle_days=0"])


def _errors(report: Report, check_id: str) -> dict[str, str]:
    found = (f for f in report.findings if f.check_id == check_id and f.status is Status.ERROR)
    return {f.resource_name: f.status_detail for f in found}


CHECKS = ["BR-PROMPT-001", "BR-FLOW-001", "BR-CMK-002", "BR-CMK-003", "BR-CUSTOM-001", "BR-THROUGHPUT-001"]


def _one_of_each(session: boto3.Session) -> None:
    _prompt(session, "prompt")
    _flow(session, "flow")
    _imported(session, "imported")
    _evaluation(session, "evaluation")
    _customization(session, "customization")
    _throughput(session, "throughput", age_days=60)


def test_refused_list_calls_are_errors_for_the_whole_region(aws: boto3.Session) -> None:
    _one_of_each(aws)
    for service_id, operation in (
        ("bedrock-agent", "ListPrompts"),
        ("bedrock-agent", "ListFlows"),
        ("bedrock", "ListImportedModels"),
        ("bedrock", "ListEvaluationJobs"),
        ("bedrock", "ListModelCustomizationJobs"),
        ("bedrock", "ListProvisionedModelThroughputs"),
    ):
        refuse(aws, service_id, operation)

    report = scan(aws, CHECKS)

    assert {c: set(_errors(report, c)) for c in CHECKS} == {
        "BR-PROMPT-001": {"all prompts"},
        "BR-FLOW-001": {"all flows"},
        "BR-CMK-002": {"all imported models"},
        "BR-CMK-003": {"all evaluation jobs"},
        "BR-CUSTOM-001": {"all model customization jobs"},
        "BR-THROUGHPUT-001": {"all provisioned throughputs"},
    }
    assert "ListEvaluationJobs" in _errors(report, "BR-CMK-003")["all evaluation jobs"]


def test_refused_describe_calls_are_errors_for_that_resource(aws: boto3.Session) -> None:
    _one_of_each(aws)
    for service_id, operation in (
        ("bedrock-agent", "GetPrompt"),
        ("bedrock-agent", "GetFlow"),
        ("bedrock", "GetImportedModel"),
        ("bedrock", "GetEvaluationJob"),
        ("bedrock", "GetModelCustomizationJob"),
        ("cloudwatch", "GetMetricData"),
    ):
        refuse(aws, service_id, operation)

    report = scan(aws, CHECKS)

    assert {c: set(_errors(report, c)) for c in CHECKS} == {
        "BR-PROMPT-001": {"prompt"},
        "BR-FLOW-001": {"flow"},
        "BR-CMK-002": {"imported"},
        "BR-CMK-003": {"evaluation"},
        "BR-CUSTOM-001": {"customization"},
        "BR-THROUGHPUT-001": {"throughput"},
    }
    assert all(f.status is Status.ERROR for f in report.findings)
    assert "GetMetricData" in _errors(report, "BR-THROUGHPUT-001")["throughput"]


def test_regions_that_use_bedrock_keep_prompts_in_prompt_management(aws: boto3.Session) -> None:
    for region in ("us-east-1", "eu-west-1"):
        aws.client("cloudwatch", region_name=region).put_metric_data(
            Namespace="AWS/Bedrock", MetricData=[{"MetricName": "Invocations", "Value": 1}]
        )
    aws.client("bedrock-agent", region_name="us-east-1").create_prompt(name="case-summary")
    aws.client("bedrock-agent", region_name="us-west-2").create_prompt(name="unused")  # no Bedrock use there

    report = scan(aws, ["BR-PROMPT-002"], regions=("us-east-1", "eu-west-1", "us-west-2"))

    assert verdicts(report, "BR-PROMPT-002") == {"us-east-1": Status.PASS, "eu-west-1": Status.FAIL}
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert details["us-east-1"] == "1 prompt(s) in Prompt management: case-summary"
    assert details["eu-west-1"] == (
        "Bedrock is in use (model invocations in the last two weeks) but Prompt management holds no prompt"
    )


def test_refused_prompt_listing_is_an_error_for_the_region(aws: boto3.Session) -> None:
    aws.client("cloudwatch").put_metric_data(
        Namespace="AWS/Bedrock", MetricData=[{"MetricName": "Invocations", "Value": 1}]
    )
    refuse(aws, "bedrock-agent", "ListPrompts")

    report = scan(aws, ["BR-PROMPT-002"])

    assert verdicts(report, "BR-PROMPT-002") == {"us-east-1": Status.ERROR}
    assert "ListPrompts" in report.findings[0].status_detail
