"""Model Monitor: the jobs that watch deployed models for drift, bias and explainability changes, and their schedules.

Monitoring jobs read captured production traffic and ground truth; they run in the account like processing jobs,
so they need the same network protection as the workloads they watch.
"""

from __future__ import annotations

from mlaudit.inventory import Endpoint, MonitoringSchedule
from mlaudit.inventory.sagemaker_monitoring import (
    JOB_DEFINITION_TYPES,
    InlineMonitoringJob,
    ModelBiasJobDefinition,
    ModelExplainabilityJobDefinition,
    ModelQualityJobDefinition,
    MonitoringJobDefinition,
    MonitoringScheduleDescription,
)
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Severity,
    check,
    checkov,
    config_rule,
    failed,
    ml_lens,
    passed,
    prowler,
    security_hub,
)
from mlaudit.sdk.instances import has_local_nvme_storage
from mlaudit.sdk.kms import expect_kms_keys
from mlaudit.sdk.wording import names

ISOLATION_HIGH = (ModelQualityJobDefinition, ModelExplainabilityJobDefinition)
"""Kinds whose missing isolation Security Hub rates high (SageMaker.25, SageMaker.20)."""
ENCRYPTION_ONLY_WHEN_DISTRIBUTED = (ModelBiasJobDefinition, ModelExplainabilityJobDefinition)
"""Kinds whose inter-container encryption AWS Config judges only with two or more instances."""


def _watching(definition: MonitoringJobDefinition) -> str:
    return f" (monitors endpoint {definition.endpoint_name})" if definition.endpoint_name else ""


@check(
    id="SM-MONITOR-001",
    name="monitoring-job-no-network-isolation",
    title="Monitoring job definitions should run with network isolation",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=JOB_DEFINITION_TYPES,
    rationale="""Data-quality, model-quality, bias and explainability jobs read captured production requests,
    predictions and ground-truth labels. Without network isolation their containers can call out to the internet,
    so a compromised or malicious monitoring image can exfiltrate that data. Missing isolation is rated high for
    model-quality and explainability definitions, as Security Hub rates them.""",
    judges="""Every data quality, model quality, model bias and model explainability job definition, scheduled or
    not; the inline definitions of schedules are judged by SM-MONITOR-003.""",
    remediation=Remediation(
        text="Job definitions cannot be changed: create a replacement with NetworkConfig.EnableNetworkIsolation set "
        "to true (the same for each kind), point the monitoring schedule at it, then delete the old definition.",
        cli="aws sagemaker create-model-quality-job-definition --job-definition-name <name>-isolated "
        "--cli-input-json file://definition.json "
        '--network-config \'{"EnableNetworkIsolation":true,"EnableInterContainerTrafficEncryption":true}\' && '
        "aws sagemaker update-monitoring-schedule --monitoring-schedule-name <schedule> "
        "--monitoring-schedule-config file://schedule-config.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringNetworkConfig.html",
        placeholders={"name": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-04"),
        security_hub("SageMaker.11"),
        security_hub("SageMaker.12"),
        security_hub("SageMaker.20"),
        security_hub("SageMaker.25"),
        config_rule("sagemaker-data-quality-job-isolation"),
        config_rule("sagemaker-model-bias-job-isolation"),
        config_rule("sagemaker-model-explainability-job-network-isolation"),
        config_rule("sagemaker-model-quality-job-definition-isolation"),
    ),
)
def monitoring_job_no_network_isolation(definition: MonitoringJobDefinition, ctx: CheckContext) -> Outcome | None:
    if definition.network.network_isolation:
        return passed("network isolation is enabled" + _watching(definition))
    severity = Severity.HIGH if isinstance(definition, ISOLATION_HIGH) else None
    return failed("NetworkConfig.EnableNetworkIsolation is not true" + _watching(definition), severity=severity)


@check(
    id="SM-MONITOR-002",
    name="monitoring-job-no-inter-container-encryption",
    title="Monitoring job definitions should encrypt traffic between their instances",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=JOB_DEFINITION_TYPES,
    rationale="""A monitoring job spread over several instances exchanges the captured data and labels it analyses
    between them; without inter-container traffic encryption that traffic crosses the network in the clear. Bias
    and explainability definitions with a single instance are not judged, as AWS Config does not judge them (the
    setting has no effect on one instance); data- and model-quality definitions are judged whatever their size, as
    Security Hub does.""",
    judges="""Every job definition of the four kinds, scheduled or not. Bias and explainability definitions on one
    instance get no finding, while data and model quality definitions are judged whatever their instance count (AWS
    Config's data quality rule judges only two or more).""",
    remediation=Remediation(
        text="Job definitions cannot be changed: create a replacement with "
        "NetworkConfig.EnableInterContainerTrafficEncryption set to true, point the monitoring schedule at it, then "
        "delete the old definition.",
        cli="aws sagemaker create-model-bias-job-definition --job-definition-name <name>-encrypted "
        "--cli-input-json file://definition.json "
        '--network-config \'{"EnableNetworkIsolation":true,"EnableInterContainerTrafficEncryption":true}\' && '
        "aws sagemaker update-monitoring-schedule --monitoring-schedule-name <schedule> "
        "--monitoring-schedule-config file://schedule-config.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringNetworkConfig.html",
        placeholders={"name": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-09"),
        security_hub("SageMaker.9"),
        security_hub("SageMaker.10"),
        security_hub("SageMaker.13"),
        security_hub("SageMaker.15"),
        config_rule("sagemaker-data-quality-job-encrypt-in-transit"),
        config_rule("sagemaker-model-explainability-job-encrypt-in-transit"),
        config_rule("sagemaker-model-quality-job-encrypt-in-transit"),
        config_rule("sagemaker-model-bias-job-encrypt-in-transit"),
        checkov("CKV_AWS_369"),
    ),
)
def monitoring_job_no_inter_container_encryption(
    definition: MonitoringJobDefinition, ctx: CheckContext
) -> Outcome | None:
    instances = definition.network.instance_count or 1
    if definition.network.inter_container_encryption:
        return passed(f"inter-container traffic encryption is enabled ({instances} instance(s))")
    if isinstance(definition, ENCRYPTION_ONLY_WHEN_DISTRIBUTED) and instances < 2:
        return None
    return failed(f"NetworkConfig.EnableInterContainerTrafficEncryption is not true ({instances} instance(s))")


@check(
    id="SM-MONITOR-003",
    name="monitoring-schedule-insecure",
    title="Monitoring schedules with an inline job definition should isolate it and encrypt its traffic",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=MonitoringSchedule,
    uses=(MonitoringScheduleDescription,),
    rationale="""A schedule can carry its job definition inline (the data-quality monitors the SageMaker Python SDK
    creates do) instead of naming a job definition; that inline job reads captured production traffic like any
    other, so it needs network isolation and inter-container traffic encryption too. Schedules that name a job
    definition are not judged here: SM-MONITOR-001 and SM-MONITOR-002 judge the definition itself.""",
    judges="""Every monitoring schedule, whatever its status; schedules that name a job definition get no finding
    (SM-MONITOR-001 and SM-MONITOR-002 judge the definition).""",
    remediation=Remediation(
        text="Update the schedule with a NetworkConfig in its MonitoringJobDefinition that sets EnableNetworkIsolation "
        "and EnableInterContainerTrafficEncryption to true (the schedule keeps its name and baseline).",
        cli="aws sagemaker update-monitoring-schedule --monitoring-schedule-name <schedule> "
        "--monitoring-schedule-config file://schedule-config-with-network-config.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateMonitoringSchedule.html",
        placeholders={"schedule": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-04"),
        ml_lens("MLSEC-09"),
        security_hub("SageMaker.14"),
        security_hub("SageMaker.22"),
        config_rule("sagemaker-monitoring-schedule-isolation"),
        config_rule("sagemaker-monitoring-schedule-traffic-encryption"),
    ),
)
def monitoring_schedule_insecure(schedule: MonitoringSchedule, ctx: CheckContext) -> Outcome | None:
    network = ctx.require(MonitoringScheduleDescription, schedule.arn).inline_network
    if network is None:
        return None
    missing = [
        setting
        for setting, enabled in (
            ("network isolation", network.network_isolation),
            ("inter-container traffic encryption", network.inter_container_encryption),
        )
        if not enabled
    ]
    if missing:
        return failed("the inline job definition runs without " + " and without ".join(missing))
    return passed("the inline job definition has network isolation and inter-container traffic encryption")


@check(
    id="SM-MONITOR-004",
    name="monitoring-schedule-failing",
    title="Monitoring schedules should be running, and their latest job should complete without violations",
    severity=Severity.MEDIUM,
    pillar=Pillar.PERFORMANCE,
    resource=MonitoringSchedule,
    uses=(MonitoringScheduleDescription,),
    rationale="""A monitor that is stopped, failed, or whose jobs fail watches nothing, and one whose latest job
    found violations is reporting drift that someone must act on: either way the model may be degrading unseen.
    Only the latest job counts (an old failure since fixed is not reported); a schedule still Pending, with no job
    run yet, is not judged.""",
    judges="""Every monitoring schedule. Failed or Stopped fails; a Pending schedule that has not run gets no
    finding, another one without an execution passes, and otherwise the latest execution alone decides
    (CompletedWithViolations and Failed fail).""",
    remediation=Remediation(
        text="For violations, read the constraint_violations.json report of the latest execution and retrain or "
        "re-baseline the model; for a failed job, fix the FailureReason (often the role, the data capture or the "
        "baseline); restart a stopped schedule.",
        cli="aws sagemaker list-monitoring-executions --monitoring-schedule-name <schedule> --sort-by ScheduledTime "
        "--sort-order Descending --max-results 5 && aws sagemaker start-monitoring-schedule "
        "--monitoring-schedule-name <schedule>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-interpreting-results.html",
        placeholders={"schedule": "resource_name"},
    ),
    references=(
        ml_lens("MLOE-15"),
        ml_lens("MLPER-14"),
        ml_lens("MLPER-15"),
        prowler("sagemaker_models_monitor_enabled"),
    ),
)
def monitoring_schedule_failing(schedule: MonitoringSchedule, ctx: CheckContext) -> Outcome | None:
    description = ctx.require(MonitoringScheduleDescription, schedule.arn)
    if schedule.status == "Failed":
        return failed(
            "the schedule is Failed" + (f": {description.failure_reason}" if description.failure_reason else "")
        )
    if schedule.status == "Stopped":
        return failed("the schedule is Stopped: no monitoring job runs")
    last = description.last_execution
    if last is None:
        return (
            None if schedule.status == "Pending" else passed(f"the schedule is {schedule.status}; no job has run yet")
        )
    when = f" (scheduled {last.scheduled_time:%Y-%m-%d %H:%M} UTC)" if last.scheduled_time else ""
    if last.status == "CompletedWithViolations":
        return failed("the latest monitoring job found violations of the baseline constraints" + when)
    if last.status == "Failed":
        return failed(
            "the latest monitoring job failed" + when + (f": {last.failure_reason}" if last.failure_reason else "")
        )
    return passed(f"the schedule is {schedule.status}; the latest monitoring job is {last.status}" + when)


@check(
    id="SM-MONITOR-005",
    name="endpoint-no-bias-or-explainability-monitor",
    title="Endpoints in service should be monitored for bias drift or feature attribution drift",
    severity=Severity.LOW,
    pillar=Pillar.RESPONSIBLE_AI,
    resource=Endpoint,
    uses=(ModelBiasJobDefinition, ModelExplainabilityJobDefinition),
    rationale="""A model that was fair and explainable when approved can drift as live data shifts: its predictions
    can start to favour or penalise a group, or to rely on different features, with no change in accuracy metrics.
    SageMaker Clarify's bias-drift and feature-attribution-drift monitors (model bias and model explainability job
    definitions) watch for this. Serverless endpoints are not judged, as Model Monitor does not support them.""",
    judges="""Endpoints InService except serverless-only ones. A model bias or model explainability job definition
    that reads the endpoint passes it, whether or not a schedule runs it.""",
    remediation=Remediation(
        text="Create a model bias job definition (facets, label and baseline from the training data) or a model "
        "explainability job definition (SHAP baseline) for the endpoint, and schedule it.",
        cli="aws sagemaker create-model-bias-job-definition --job-definition-name <endpoint>-bias "
        "--cli-input-json file://bias-definition.json && aws sagemaker create-monitoring-schedule "
        "--monitoring-schedule-name <endpoint>-bias --monitoring-schedule-config file://bias-schedule.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-model-monitor-bias-drift.html",
        placeholders={"endpoint": "resource_name"},
    ),
    references=(ml_lens("MLOE-09"), ml_lens("MLOE-15")),
)
def endpoint_no_bias_or_explainability_monitor(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    if not endpoint.in_service or endpoint.serverless_only:
        return None
    watching = [
        f"{d.name} ({kind})"
        for kind, record_type in (
            ("bias", ModelBiasJobDefinition),
            ("explainability", ModelExplainabilityJobDefinition),
        )
        for d in ctx.all(record_type)
        if d.endpoint_name == endpoint.name
    ]
    if watching:
        return passed("monitored by " + names(watching))
    return failed("no model bias or model explainability job definition reads this endpoint")


def _monitoring_keys(job: MonitoringJobDefinition | InlineMonitoringJob) -> dict[str, str | None]:
    """The key settings a monitoring job needs: the output key when it writes to S3, the volume key unless its
    instance type has NVMe instance storage (encrypted by hardware; SageMaker rejects a volume key there)."""
    keys: dict[str, str | None] = {}
    if job.output_s3_uris:
        keys["MonitoringOutputConfig.KmsKeyId (reports)"] = job.output_kms_key_id
    if not has_local_nvme_storage(job.instance_type):
        keys["ClusterConfig.VolumeKmsKeyId (storage volume)"] = job.volume_kms_key_id
    return keys


_MONITORING_KMS_RATIONALE = """Monitoring jobs copy captured production requests and predictions (and, for quality
    and bias, ground-truth labels) onto their instances' storage volume and write statistics, constraint violations
    and sample records to S3. Without a KmsKeyId on the output configuration the reports use the AWS managed S3 key,
    and without ClusterConfig.VolumeKmsKeyId the volume a key you cannot control or revoke. The volume key is not
    required on instance types with NVMe instance storage, which is encrypted by hardware."""


@check(
    id="SM-MONITOR-006",
    name="monitoring-job-output-not-kms",
    title="Monitoring job definitions should encrypt their reports and storage volumes with KMS keys",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=JOB_DEFINITION_TYPES,
    rationale=_MONITORING_KMS_RATIONALE,
    judges="""Every data-quality, model-quality, model-bias and model-explainability job definition, whether or not a
    schedule runs it; the output key only when the definition writes to S3. Schedules with an inline job definition
    are judged by SM-MONITOR-007.""",
    remediation=Remediation(
        text="Job definitions cannot be changed: create a replacement whose output configuration names a KmsKeyId and "
        "whose JobResources.ClusterConfig names a VolumeKmsKeyId (customer managed keys), point the monitoring "
        "schedule at it, then delete the old definition.",
        cli="aws sagemaker create-data-quality-job-definition --job-definition-name <name>-encrypted "
        "--cli-input-json file://definition.json "
        "--data-quality-job-output-config file://outputs-with-KmsKeyId.json "
        "--job-resources 'ClusterConfig={InstanceCount=1,InstanceType=ml.m5.large,VolumeSizeInGB=20,"
        "VolumeKmsKeyId=<key-arn>}'",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringOutputConfig.html",
        placeholders={"name": "resource_name"},
    ),
    references=(ml_lens("MLSEC-02"), checkov("CKV_AWS_367"), checkov("CKV_AWS_368")),
)
def monitoring_job_output_not_kms(definition: MonitoringJobDefinition, ctx: CheckContext) -> Outcome | None:
    return expect_kms_keys(_monitoring_keys(definition))


@check(
    id="SM-MONITOR-007",
    name="monitoring-schedule-output-not-kms",
    title="Monitoring schedules with an inline job definition should encrypt its reports and storage volume",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=MonitoringSchedule,
    uses=(MonitoringScheduleDescription,),
    rationale=_MONITORING_KMS_RATIONALE
    + """ A schedule that carries its job definition inline (as the SageMaker Python SDK's DefaultModelMonitor
    creates it) sets these keys in its own MonitoringJobDefinition.""",
    judges="""Monitoring schedules whose description carries an inline job definition, whatever their status;
    schedules that name a job definition are left to SM-MONITOR-006, which judges the definition.""",
    remediation=Remediation(
        text="Update the schedule with a MonitoringJobDefinition whose MonitoringOutputConfig names a KmsKeyId and "
        "whose MonitoringResources.ClusterConfig names a VolumeKmsKeyId (output_kms_key= and volume_kms_key= on a "
        "SageMaker Python SDK model monitor); the schedule keeps its name and baseline.",
        cli="aws sagemaker update-monitoring-schedule --monitoring-schedule-name <schedule> "
        "--monitoring-schedule-config file://schedule-config-with-keys.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringJobDefinition.html",
        placeholders={"schedule": "resource_name"},
    ),
    references=(ml_lens("MLSEC-02"),),
)
def monitoring_schedule_output_not_kms(schedule: MonitoringSchedule, ctx: CheckContext) -> Outcome | None:
    job = ctx.require(MonitoringScheduleDescription, schedule.arn).inline_job
    return expect_kms_keys(_monitoring_keys(job)) if job else None
