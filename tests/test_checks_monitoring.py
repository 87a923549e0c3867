"""SM-MONITOR-* checks against Model Monitor job definitions and schedules created in moto (schedules and their
execution results through mlaudit's moto extension)."""

from __future__ import annotations

import boto3

from mlaudit.core.taxonomy import Severity, Status
from mlaudit.demo.estate.lifecycle_requests import (
    create_job_definition,
    inline_schedule_config,
    named_schedule_config,
    network_config,
)
from mlaudit.demo.moto_extensions.sagemaker_monitoring import record_monitoring_execution
from mlaudit.inventory.sagemaker_monitoring import JOB_DEFINITION_TYPES, ModelBiasJobDefinition
from support import ROLE_ARN, create_endpoint, create_model, refuse, scan, verdicts

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/monitor:1"
OUTPUT = "s3://monitoring-output/reports/"
SECURE = network_config(isolation=True, encryption=True)
ISOLATED_ONLY = network_config(isolation=True, encryption=False)


def _definition(
    session: boto3.Session,
    kind: str,
    name: str,
    network: dict[str, bool] | None = None,
    instances: int = 1,
    endpoint: str = "scored",
) -> None:
    create_job_definition(
        session.client("sagemaker"), kind, name, endpoint, ROLE_ARN, IMAGE, OUTPUT, network, instances
    )


def _inline_schedule(session: boto3.Session, name: str, network: dict[str, bool] | None = None) -> None:
    config = inline_schedule_config("DataQuality", "scored", ROLE_ARN, IMAGE, OUTPUT, network)
    session.client("sagemaker").create_monitoring_schedule(MonitoringScheduleName=name, MonitoringScheduleConfig=config)


def test_job_definitions_need_network_isolation(aws: boto3.Session) -> None:
    _definition(aws, "DataQuality", "pass-data-quality", SECURE)
    _definition(aws, "ModelBias", "pass-bias", ISOLATED_ONLY)
    _definition(aws, "DataQuality", "fail-data-quality")
    _definition(aws, "ModelQuality", "fail-model-quality")
    _definition(aws, "ModelExplainability", "fail-explainability", network_config(isolation=False, encryption=True))

    report = scan(aws, ["SM-MONITOR-001"])

    assert verdicts(report, "SM-MONITOR-001") == {
        "pass-data-quality": Status.PASS,
        "pass-bias": Status.PASS,
        "fail-data-quality": Status.FAIL,
        "fail-model-quality": Status.FAIL,
        "fail-explainability": Status.FAIL,
    }
    severities = {f.resource_name: f.severity for f in report.findings if f.status is Status.FAIL}
    assert severities == {
        "fail-data-quality": Severity.MEDIUM,
        "fail-model-quality": Severity.HIGH,
        "fail-explainability": Severity.HIGH,
    }
    kinds = {f.resource_name: f.resource_type for f in report.findings}
    assert kinds["fail-model-quality"] == "AWS::SageMaker::ModelQualityJobDefinition"
    assert "monitors endpoint scored" in next(
        f.status_detail for f in report.findings if f.resource_name == "fail-data-quality"
    )


def test_job_definitions_need_inter_container_encryption_when_distributed(aws: boto3.Session) -> None:
    _definition(aws, "ModelQuality", "pass-model-quality", SECURE)
    _definition(aws, "ModelBias", "pass-bias-distributed", SECURE, instances=3)
    _definition(aws, "DataQuality", "fail-data-quality-single", ISOLATED_ONLY)
    _definition(aws, "ModelBias", "fail-bias-distributed", ISOLATED_ONLY, instances=2)
    _definition(aws, "ModelBias", "na-bias-single", ISOLATED_ONLY)
    _definition(aws, "ModelExplainability", "na-explainability-single")

    report = scan(aws, ["SM-MONITOR-002"])

    assert verdicts(report, "SM-MONITOR-002") == {
        "pass-model-quality": Status.PASS,
        "pass-bias-distributed": Status.PASS,
        "fail-data-quality-single": Status.FAIL,
        "fail-bias-distributed": Status.FAIL,
    }


def test_inline_schedule_definitions_need_isolation_and_encryption(aws: boto3.Session) -> None:
    _inline_schedule(aws, "pass-inline-secure", SECURE)
    _inline_schedule(aws, "fail-inline-open")
    _inline_schedule(aws, "fail-inline-isolated-only", ISOLATED_ONLY)
    _definition(aws, "ModelBias", "bias-definition")
    aws.client("sagemaker").create_monitoring_schedule(
        MonitoringScheduleName="na-named-definition",
        MonitoringScheduleConfig=named_schedule_config("ModelBias", "bias-definition"),
    )

    report = scan(aws, ["SM-MONITOR-003"])

    assert verdicts(report, "SM-MONITOR-003") == {
        "pass-inline-secure": Status.PASS,
        "fail-inline-open": Status.FAIL,
        "fail-inline-isolated-only": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert (
        details["fail-inline-isolated-only"]
        == "the inline job definition runs without inter-container traffic encryption"
    )


def test_failing_schedules_and_jobs(aws: boto3.Session) -> None:
    for name in ("pass-completed", "pass-not-run-yet", "fail-violations", "fail-job-failed", "fail-stopped"):
        _inline_schedule(aws, name, SECURE)
    record_monitoring_execution("us-east-1", "pass-completed", "Completed")
    record_monitoring_execution("us-east-1", "fail-violations", "CompletedWithViolations")
    record_monitoring_execution(
        "us-east-1", "fail-job-failed", "Failed", failure_reason="Endpoint scored has no captured data"
    )
    record_monitoring_execution("us-east-1", "fail-stopped", "Completed")
    aws.client("sagemaker").stop_monitoring_schedule(MonitoringScheduleName="fail-stopped")

    report = scan(aws, ["monitoring-schedule-failing"])

    assert verdicts(report, "SM-MONITOR-004") == {
        "pass-completed": Status.PASS,
        "pass-not-run-yet": Status.PASS,
        "fail-violations": Status.FAIL,
        "fail-job-failed": Status.FAIL,
        "fail-stopped": Status.FAIL,
    }
    details = {f.resource_name: f.status_detail for f in report.findings}
    assert "Endpoint scored has no captured data" in details["fail-job-failed"]
    assert "Stopped" in details["fail-stopped"]


def test_endpoints_need_a_bias_or_explainability_monitor(aws: boto3.Session) -> None:
    create_model(aws, "m")
    for name in ("pass-bias", "pass-explainability", "fail-data-quality-only", "fail-unwatched"):
        create_endpoint(aws, name, "m")
    create_endpoint(aws, "na-serverless", "m", instance_type=None)
    _definition(aws, "ModelBias", "bias", endpoint="pass-bias")
    _definition(aws, "ModelExplainability", "explainability", endpoint="pass-explainability")
    _definition(aws, "DataQuality", "data-quality", endpoint="fail-data-quality-only")
    _definition(aws, "ModelBias", "bias-serverless", endpoint="na-serverless")

    report = scan(aws, ["SM-MONITOR-005"])

    assert verdicts(report, "SM-MONITOR-005") == {
        "pass-bias": Status.PASS,
        "pass-explainability": Status.PASS,
        "fail-data-quality-only": Status.FAIL,
        "fail-unwatched": Status.FAIL,
    }


def test_monitoring_parts_that_cannot_be_collected_are_errors_for_what_they_cover(aws: boto3.Session) -> None:
    _definition(aws, "ModelBias", "described", SECURE)
    _definition(aws, "ModelBias", "hidden-definition", SECURE)
    _inline_schedule(aws, "readable", SECURE)
    _inline_schedule(aws, "hidden-schedule", SECURE)
    unlisted = [t for t in JOB_DEFINITION_TYPES if t is not ModelBiasJobDefinition]
    for record_type in unlisted:
        refuse(aws, "sagemaker", f"List{record_type.monitoring_type}JobDefinitions")
    refuse(aws, "sagemaker", "DescribeModelBiasJobDefinition", only_for='"hidden-definition"')
    refuse(aws, "sagemaker", "DescribeMonitoringSchedule", only_for='"hidden-schedule"')

    report = scan(aws, ["SM-MONITOR-001", "SM-MONITOR-003", "SM-MONITOR-004"])

    assert verdicts(report, "SM-MONITOR-001") == {"described": Status.PASS, "hidden-definition": Status.ERROR} | {
        f"all {t.label}": Status.ERROR for t in unlisted
    }
    assert verdicts(report, "SM-MONITOR-003") == {"readable": Status.PASS, "hidden-schedule": Status.ERROR}
    assert verdicts(report, "SM-MONITOR-004") == {"readable": Status.PASS, "hidden-schedule": Status.ERROR}
    for record_type in unlisted:
        error = next(f for f in report.findings if f.resource_type == record_type.resource_type)
        assert f"List{record_type.monitoring_type}JobDefinitions" in error.status_detail
    assert "DescribeMonitoringSchedule" in next(
        f.status_detail for f in report.findings if f.resource_name == "hidden-schedule"
    )


KEY = "arn:aws:kms:us-east-1:123456789012:key/monitoring"


def test_job_definitions_encrypt_reports_and_volumes(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    for kind in ("DataQuality", "ModelQuality", "ModelBias", "ModelExplainability"):
        create_job_definition(sagemaker, kind, f"pass-{kind.lower()}", "scored", ROLE_ARN, IMAGE, OUTPUT, kms_key=KEY)
    create_job_definition(sagemaker, "DataQuality", "fail-data-quality", "scored", ROLE_ARN, IMAGE, OUTPUT)
    create_job_definition(sagemaker, "ModelBias", "fail-bias", "scored", ROLE_ARN, IMAGE, OUTPUT)

    report = scan(aws, ["SM-MONITOR-006"])

    assert verdicts(report, "SM-MONITOR-006") == {
        "pass-dataquality": Status.PASS,
        "pass-modelquality": Status.PASS,
        "pass-modelbias": Status.PASS,
        "pass-modelexplainability": Status.PASS,
        "fail-data-quality": Status.FAIL,
        "fail-bias": Status.FAIL,
    }
    assert next(f.status_detail for f in report.findings if f.resource_name == "fail-bias") == (
        "no KMS key: MonitoringOutputConfig.KmsKeyId (reports), ClusterConfig.VolumeKmsKeyId (storage volume)"
    )


def test_nvme_monitoring_instances_need_no_volume_key(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    create_job_definition(
        sagemaker,
        "DataQuality",
        "fail-nvme-no-output-key",
        "scored",
        ROLE_ARN,
        IMAGE,
        OUTPUT,
        instance_type="ml.m5d.large",
    )

    report = scan(aws, ["SM-MONITOR-006"])

    assert verdicts(report, "SM-MONITOR-006") == {"fail-nvme-no-output-key": Status.FAIL}
    assert report.findings[0].status_detail == "no KMS key: MonitoringOutputConfig.KmsKeyId (reports)"


def test_inline_schedules_encrypt_reports_and_volumes(aws: boto3.Session) -> None:
    sagemaker = aws.client("sagemaker")
    key = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    encrypted = inline_schedule_config("DataQuality", "scored", ROLE_ARN, IMAGE, OUTPUT, kms_key=key)
    sagemaker.create_monitoring_schedule(MonitoringScheduleName="pass-inline-keys", MonitoringScheduleConfig=encrypted)
    _inline_schedule(aws, "fail-inline-no-keys")
    _definition(aws, "DataQuality", "named-definition")
    sagemaker.create_monitoring_schedule(
        MonitoringScheduleName="na-names-a-definition",
        MonitoringScheduleConfig=named_schedule_config("DataQuality", "named-definition"),
    )

    report = scan(aws, ["SM-MONITOR-007", "KMS-ML-001"])

    assert verdicts(report, "SM-MONITOR-007") == {
        "pass-inline-keys": Status.PASS,
        "fail-inline-no-keys": Status.FAIL,
    }
    assert set(verdicts(report, "KMS-ML-001")) == {key.rsplit("/", 1)[-1]}, "an inline job's keys are followed to KMS"
