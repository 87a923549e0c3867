"""Endpoints and endpoint configs: where models meet production traffic."""

from __future__ import annotations

from mlaudit.inventory import (
    VARIANT_DIMENSION,
    Endpoint,
    EndpointConfig,
    EndpointVariant,
    Model,
    MonitoringSchedule,
    ScalableTarget,
    ScalingPolicy,
    variant_resource_id,
)
from mlaudit.inventory.cloudwatch import (
    RETENTION_DAYS,
    SAGEMAKER_NAMESPACE,
    CompositeAlarm,
    EndpointInvocations,
    EndpointUtilization,
    MetricAlarm,
    reached_through,
    values_since,
)
from mlaudit.inventory.sagemaker_inference import InferenceComponent
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Setting,
    Severity,
    check,
    checkov,
    config_rule,
    failed,
    kics,
    ml_lens,
    passed,
    prowler,
    security_hub,
    steampipe,
)
from mlaudit.sdk.endpoints import endpoint_config_of, metrics_window_start, served_models
from mlaudit.sdk.instances import has_local_nvme_storage, instance_family
from mlaudit.sdk.wording import counted, names


@check(
    id="SM-ENDPOINT-001",
    name="endpoint-config-no-kms",
    title="Endpoint configs should encrypt the ML storage volumes with a KMS key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=EndpointConfig,
    rationale="""The storage volumes attached to hosting instances hold the model artefacts and can hold cached
    inference data. Without a KmsKeyId they are encrypted with a key you cannot control, audit or revoke. Not
    applicable to serverless-only configs, nor to instance types with NVMe instance storage, which SageMaker
    encrypts in hardware and for which it rejects a KmsKeyId.""",
    judges="""Every endpoint config of the region, in use or not; configs whose variants are all serverless, and
    configs with a variant on NVMe instance storage, get no finding. Any KmsKeyId passes, without being looked up.""",
    remediation=Remediation(
        text="Endpoint configs are immutable: create a new one with a customer managed KMS key, then update the "
        "endpoints that use the old config (a blue/green deployment, no downtime).",
        cli="aws sagemaker create-endpoint-config --endpoint-config-name <new-config> "
        "--production-variants file://variants.json --kms-key-id <key-arn> && "
        "aws sagemaker update-endpoint --endpoint-name <endpoint> --endpoint-config-name <new-config>",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html#sagemaker-CreateEndpointConfig-request-KmsKeyId",
    ),
    references=(
        ml_lens("MLSEC-02"),
        config_rule("sagemaker-endpoint-configuration-kms-key-configured"),
        config_rule("sagemaker-endpoint-config-kms-key-required"),
        prowler("sagemaker_endpoint_config_kms_encryption_enabled"),
        steampipe("sagemaker_endpoint_configuration_encryption_at_rest_enabled"),
        checkov("CKV_AWS_98"),
        kics("Sagemaker Endpoint Configuration Encryption Disabled", "58b35504-0287-4154-bf69-02c0573deab8"),
    ),
)
def endpoint_config_no_kms(config: EndpointConfig, ctx: CheckContext) -> Outcome | None:
    if config.serverless_only:
        return None
    if any(has_local_nvme_storage(v.instance_type) for v in config.all_variants):
        return None
    if config.kms_key_id:
        return passed(f"storage volumes are encrypted with {config.kms_key_id}")
    return failed("no KmsKeyId: the ML storage volumes use an AWS owned key")


@check(
    id="SM-ENDPOINT-002",
    name="endpoint-single-instance",
    title="Instance-based endpoint variants should run on more than one instance",
    severity=Severity.MEDIUM,
    pillar=Pillar.RELIABILITY,
    resource=Endpoint,
    uses=(ScalableTarget,),
    rationale="""SageMaker spreads a variant's instances across Availability Zones only when there are at least two:
    with one instance, an instance failure, an Availability Zone outage or a routine instance replacement takes the
    model offline. The check judges the instances each variant runs now (CurrentInstanceCount, which autoscaling
    may have changed since the config's InitialInstanceCount, the field Security Hub SageMaker.4 reads) and the
    fewest that autoscaling may leave it with: a minimum capacity of 1 is a single-instance endpoint at the next
    quiet hour.""",
    judges="""Endpoints in service (others are left alone), variant by variant; serverless variants are not
    judged. A variant with a scalable target fails when its minimum capacity is 1 or less, whatever it runs now; an
    asynchronous endpoint's variant that autoscaling takes to zero instances by design (minimum 0) is judged on its
    maximum instead, and fails only when it can never run more than one instance. A variant without a scalable
    target is judged on its current (else desired) instance count.""",
    remediation=Remediation(
        text="Run at least two instances per production variant, ideally with autoscaling whose minimum is 2 (an "
        "asynchronous endpoint may scale to zero, with a maximum of at least 2).",
        cli="aws sagemaker update-endpoint-weights-and-capacities --endpoint-name <endpoint> "
        "--desired-weights-and-capacities VariantName=<variant>,DesiredInstanceCount=2 && "
        "aws application-autoscaling register-scalable-target --service-namespace sagemaker "
        "--resource-id endpoint/<endpoint>/variant/<variant> --scalable-dimension sagemaker:variant:DesiredInstanceCount "
        "--min-capacity 2 --max-capacity 6",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-best-practices.html",
        placeholders={"endpoint": "resource_name"},
    ),
    references=(
        ml_lens("MLREL-12"),
        security_hub("SageMaker.4"),
        config_rule("sagemaker-endpoint-config-prod-instance-count"),
        prowler("sagemaker_endpoint_config_prod_variant_instances"),
        steampipe("sagemaker_endpoint_configuration_prod_instance_count_greater_than_one"),
    ),
)
def endpoint_single_instance(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    if not endpoint.in_service or not endpoint.instance_variants:
        return None
    targets = {t.resource_id: t for t in ctx.all(ScalableTarget) if t.scalable_dimension == VARIANT_DIMENSION}
    single: list[str] = []
    spread: list[str] = []
    for variant in endpoint.instance_variants:
        target = targets.get(variant_resource_id(endpoint.name, variant.variant_name))
        verdict = _instance_spread(variant, target, endpoint.is_async)
        if verdict is not None:
            (single if verdict[0] else spread).append(verdict[1])
    if single:
        return failed("; ".join(single) + ": one failure takes the model offline")
    return passed("; ".join(spread)) if spread else None


def _instance_spread(
    variant: EndpointVariant, target: ScalableTarget | None, asynchronous: bool
) -> tuple[bool, str] | None:
    """(whether the variant can be left with a single instance, why) or None when its count is unknown."""
    name = variant.variant_name
    count = variant.current_instance_count
    count = variant.desired_instance_count if count is None else count
    runs = f"{name} runs {counted(count, 'instance')}" if count is not None else name
    if target is None:
        return None if count is None else (count <= 1, runs)
    if asynchronous and target.min_capacity == 0:
        scales = f"{name} scales 0-{target.max_capacity} (asynchronous: to zero when its queue is empty)"
        return target.max_capacity <= 1, scales
    if target.min_capacity <= 1:
        return True, f"{runs}, but autoscaling may scale it in to {counted(target.min_capacity, 'instance')}"
    return False, f"{runs}, and autoscaling keeps at least {target.min_capacity}"


@check(
    id="SM-ENDPOINT-003",
    name="endpoint-no-data-capture",
    title="Endpoints in service should capture their requests and responses",
    severity=Severity.MEDIUM,
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    resource=Endpoint,
    rationale="""Without captured requests and responses there is no record of what a model saw and answered: drift
    cannot be measured, Model Monitor has nothing to analyse and a disputed prediction cannot be investigated. Applies
    to real-time and asynchronous endpoints in service; serverless endpoints are excluded because they do not support
    data capture. Capture that is enabled in the config but stopped on the endpoint (CaptureStatus Stopped) fails
    too.""",
    judges="""Endpoints InService except serverless-only ones. Capture not enabled in the config, or enabled but
    Stopped on the endpoint, fails.""",
    remediation=Remediation(
        text="Create an endpoint config with a DataCaptureConfig (input and output, a sampling percentage, an S3 "
        "destination and a KMS key) and update the endpoint to it.",
        cli="aws sagemaker create-endpoint-config --endpoint-config-name <new-config> "
        "--production-variants file://variants.json --data-capture-config file://data-capture.json && "
        "aws sagemaker update-endpoint --endpoint-name <endpoint> --endpoint-config-name <new-config>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture.html",
        placeholders={"endpoint": "resource_name"},
    ),
    references=(ml_lens("MLOE-15"), ml_lens("MLPER-14")),
)
def endpoint_no_data_capture(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    if not endpoint.in_service or endpoint.serverless_only:
        return None
    if not endpoint.data_capture_enabled:
        return failed("data capture is not enabled")
    if endpoint.data_capture_status == "Stopped":
        return failed("data capture is enabled but stopped (CaptureStatus Stopped)")
    return passed("data capture is enabled")


@check(
    id="SM-ENDPOINT-004",
    name="endpoint-no-model-monitor",
    title="Endpoints in service should have an active Model Monitor schedule",
    severity=Severity.HIGH,
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    resource=Endpoint,
    uses=(MonitoringSchedule,),
    rationale="""Models degrade silently as the data they see drifts away from the data they learned from: nothing
    in an endpoint's metrics shows a model that answers quickly and wrongly. A Model Monitor schedule compares live
    traffic with a baseline and raises violations. Applies to real-time and asynchronous endpoints in service;
    serverless endpoints are excluded because Model Monitor does not support them.""",
    judges="""Endpoints InService except serverless-only ones. Only a schedule in status Scheduled that targets the
    endpoint counts: an endpoint whose schedules are all Pending, Stopped or Failed fails.""",
    remediation=Remediation(
        text="Enable data capture on the endpoint, create a baseline from the training data, and create a monitoring "
        "schedule (data quality at least; model quality where ground truth arrives later). In the console: "
        "SageMaker > Inference > Endpoints > <endpoint> > Monitoring.",
        cli="aws sagemaker create-monitoring-schedule --monitoring-schedule-name <endpoint>-data-quality "
        "--monitoring-schedule-config file://monitoring-schedule.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor.html",
        placeholders={"endpoint": "resource_name"},
    ),
    references=(
        ml_lens("MLOE-15"),
        ml_lens("MLPER-14"),
        ml_lens("MLPER-15"),
        prowler("sagemaker_models_monitor_enabled"),
    ),
)
def endpoint_no_model_monitor(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    if not endpoint.in_service or endpoint.serverless_only:
        return None
    schedules = [s for s in ctx.all(MonitoringSchedule) if s.endpoint_name == endpoint.name]
    active = [s for s in schedules if s.status == "Scheduled"]
    if active:
        return passed("monitored by " + names([f"{s.name} ({s.monitoring_type or 'unknown type'})" for s in active]))
    if schedules:
        return failed("no schedule is active: " + names([f"{s.name} is {s.status}" for s in schedules]))
    return failed("no monitoring schedule targets this endpoint")


@check(
    id="SM-ENDPOINT-005",
    name="endpoint-no-autoscaling",
    title="Instance-based endpoint variants should scale automatically",
    severity=Severity.MEDIUM,
    pillar=Pillar.RELIABILITY,
    resource=Endpoint,
    uses=(ScalableTarget, ScalingPolicy),
    rationale="""A variant with a fixed instance count is either paying for idle capacity or about to be overwhelmed
    by a traffic spike, with errors and latency the model's users will notice. Automatic scaling needs a scalable
    target on the variant's desired instance count, a scaling policy, and a maximum above the minimum.
    Serverless variants scale by themselves and are not judged.""",
    judges="""Endpoints in service with instance-based variants (others are left alone), variant by variant;
    serverless variants are not judged. This check judges whether a variant scales; how few instances scaling may
    leave it with (a minimum of 1) is judged by SM-ENDPOINT-002, so the two never both pass a variant that
    autoscaling can take down to one instance.""",
    remediation=Remediation(
        text="Register each variant as a scalable target with a minimum of at least 2 and a higher maximum, and attach "
        "a target-tracking policy (for example on SageMakerVariantInvocationsPerInstance).",
        cli="aws application-autoscaling register-scalable-target --service-namespace sagemaker "
        "--resource-id endpoint/<endpoint>/variant/<variant> --scalable-dimension sagemaker:variant:DesiredInstanceCount "
        "--min-capacity 2 --max-capacity 6 && aws application-autoscaling put-scaling-policy --service-namespace sagemaker "
        "--resource-id endpoint/<endpoint>/variant/<variant> --scalable-dimension sagemaker:variant:DesiredInstanceCount "
        "--policy-name <endpoint>-invocations --policy-type TargetTrackingScaling "
        "--target-tracking-scaling-policy-configuration file://policy.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling.html",
        placeholders={"endpoint": "resource_name"},
    ),
    references=(ml_lens("MLREL-12"), ml_lens("MLCOST-26")),
)
def endpoint_no_autoscaling(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    variants = endpoint.instance_variants
    if not endpoint.in_service or not variants:
        return None
    targets = {t.resource_id: t for t in ctx.all(ScalableTarget) if t.scalable_dimension == VARIANT_DIMENSION}
    policies = {p.resource_id for p in ctx.all(ScalingPolicy) if p.scalable_dimension == VARIANT_DIMENSION}
    problems, scaling = [], []
    for variant in variants:
        resource_id = variant_resource_id(endpoint.name, variant.variant_name)
        target = targets.get(resource_id)
        if target is None:
            problems.append(f"{variant.variant_name} has no scalable target")
        elif resource_id not in policies:
            problems.append(f"{variant.variant_name} has a scalable target but no scaling policy")
        elif target.min_capacity >= target.max_capacity:
            problems.append(f"{variant.variant_name} cannot scale (min = max = {target.max_capacity})")
        else:
            scaling.append(f"{variant.variant_name} scales {target.min_capacity}-{target.max_capacity}")
    if problems:
        return failed("; ".join(problems))
    return passed("; ".join(scaling))


ALARMED_METRICS = frozenset({"Invocation5XXErrors", "ModelLatency"})


@check(
    id="SM-ENDPOINT-006",
    name="endpoint-no-alarms",
    title="Endpoints in service should have CloudWatch alarms on errors or latency",
    severity=Severity.MEDIUM,
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    resource=Endpoint,
    uses=(MetricAlarm, CompositeAlarm),
    rationale="""A model that starts failing or slowing down is noticed by its users before anyone looks at a
    dashboard. An alarm with an action (an SNS topic, a pager) on the endpoint's Invocation5XXErrors or ModelLatency
    tells the team first. An alarm counts when it watches one of those metrics in AWS/SageMaker with the endpoint's
    EndpointName dimension, also inside a metric-math expression, and its firing reaches an action: its own, or
    that of a composite alarm whose rule reads its ALARM state (the usual way to cut alarm noise). An alarm that
    notifies nobody does not count.""",
    judges="""Every endpoint InService, serverless ones included. Alarms on other metrics or dimensions, or that
    reach no enabled action, do not count.""",
    remediation=Remediation(
        text="Create an alarm on Invocation5XXErrors (and one on ModelLatency against the model's latency objective) "
        "for each variant, with an SNS topic that reaches the team as its alarm action.",
        cli="aws cloudwatch put-metric-alarm --alarm-name <endpoint>-5xx --namespace AWS/SageMaker "
        "--metric-name Invocation5XXErrors --dimensions Name=EndpointName,Value=<endpoint> Name=VariantName,Value=<variant> "
        "--statistic Sum --period 300 --evaluation-periods 1 --threshold 1 "
        "--comparison-operator GreaterThanOrEqualToThreshold --alarm-actions <sns-topic-arn>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html",
    ),
    references=(ml_lens("MLOE-14"), ml_lens("MLOE-15"), config_rule("cloudwatch-alarm-action-check")),
)
def endpoint_no_alarms(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    if not endpoint.in_service:
        return None
    alarms = [
        a
        for a in ctx.all(MetricAlarm)
        if a.watches(SAGEMAKER_NAMESPACE, ALARMED_METRICS, "EndpointName", endpoint.name)
    ]
    through_composites = reached_through(ctx.all(CompositeAlarm)) if alarms else set()
    acting = [a.name for a in alarms if a.notifies or a.name in through_composites]
    if acting:
        return passed("alarmed by " + names(acting))
    if alarms:
        return failed("no alarm reaches an enabled action: " + names([a.name for a in alarms]))
    return failed("no CloudWatch alarm watches Invocation5XXErrors or ModelLatency for this endpoint")


@check(
    id="SM-ENDPOINT-007",
    name="endpoint-idle",
    title="Endpoints that receive no traffic should be deleted",
    severity=Severity.MEDIUM,
    pillar=Pillar.COST,
    resource=Endpoint,
    uses=(EndpointInvocations,),
    settings={
        "idle_days": Setting(
            default=14,
            description="days without invocations after which an endpoint is idle",
            lookback=True,
            maximum=RETENTION_DAYS,
        )
    },
    rationale="""An endpoint on provisioned instances is billed every hour it exists, whether or not anything calls
    it, and forgotten endpoints are among the largest avoidable ML costs. An endpoint is idle when its variants
    recorded no Invocations (AWS/SageMaker) over the last idle_days days; a day without data counts as a day without
    invocations, since SageMaker publishes the metric only when there is traffic. Asynchronous endpoints publish no
    Invocations metric, so their InvocationsProcessed is read instead. Endpoints younger than the window are not
    judged, nor serverless endpoints or variants scaled to zero instances, which cost nothing while idle.""",
    judges="""Endpoints InService that are older than idle_days; serverless-only endpoints, and endpoints whose
    instance-based variants all run zero instances, get no finding. A scan whose --since is shorter than idle_days
    reports ERROR.""",
    remediation=Remediation(
        text="Delete the endpoint (its config and model remain, so it can be recreated in minutes), or move an "
        "occasional workload to serverless or asynchronous inference that scales to zero.",
        cli="aws sagemaker delete-endpoint --endpoint-name <endpoint>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-delete-resources.html",
        placeholders={"endpoint": "resource_name"},
    ),
    references=(ml_lens("MLCOST-16"), ml_lens("MLSUS-04"), ml_lens("MLCOST-29")),
)
def endpoint_idle(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    if not endpoint.in_service or all(v.current_instance_count == 0 for v in endpoint.instance_variants):
        return None
    days = ctx.setting("idle_days")
    metrics = ctx.require(EndpointInvocations, endpoint.arn)
    start = metrics_window_start(endpoint, metrics, days)
    if start is None:
        return None
    invocations = sum(values_since(metrics.daily, start))
    if invocations:
        return passed(f"{invocations:,.0f} invocations in the last {days} days")
    created = f" (in service since {endpoint.creation_time:%Y-%m-%d})" if endpoint.creation_time else ""
    return failed(f"no invocations in the last {days} days{created}")


@check(
    id="SM-ENDPOINT-008",
    name="endpoint-underutilized",
    title="Endpoint instances should be sized to their load",
    severity=Severity.LOW,
    pillar=Pillar.COST,
    resource=Endpoint,
    uses=(EndpointUtilization,),
    settings={
        "threshold_percent": Setting(
            default=20.0, description="a variant whose CPU and GPU never peaked above this is underutilised", minimum=0
        ),
        "window_days": Setting(
            default=14,
            description="days of utilisation judged",
            lookback=True,
            maximum=RETENTION_DAYS,
        ),
    },
    rationale="""Instances that never get busy are capacity the model does not use: a smaller instance type, fewer
    instances or serverless inference would serve the same traffic for less. A variant fails when the daily maxima
    of both CPUUtilization and GPUUtilization stayed below the threshold over the window. CloudWatch reports each as
    a sum over cores (100% per vCPU or GPU, so four vCPUs range up to 400%); the check compares that sum with the
    threshold without dividing by the core count, so a failing variant had every core below the threshold, while a
    large instance lightly used on every core can pass. A variant without utilisation data is not judged (no
    finding), nor an endpoint younger than the window.""",
    judges="""Endpoints InService with an instance-based variant and older than window_days; a variant without CPU
    or GPU data is left out, and an endpoint with no such data gets no finding. A scan whose --since is shorter than
    window_days reports ERROR.""",
    remediation=Remediation(
        text="Right-size the variant: a smaller instance type or fewer instances (Inference Recommender benchmarks "
        "candidates), or serverless inference for low, spiky traffic; then update the endpoint.",
        cli="aws sagemaker create-endpoint-config --endpoint-config-name <new-config> "
        "--production-variants VariantName=<variant>,ModelName=<model>,InstanceType=<smaller-type>,InitialInstanceCount=2 && "
        "aws sagemaker update-endpoint --endpoint-name <endpoint> --endpoint-config-name <new-config>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/inference-recommender.html",
        placeholders={"endpoint": "resource_name"},
    ),
    references=(ml_lens("MLCOST-09"), ml_lens("MLCOST-29"), ml_lens("MLPER-05")),
)
def endpoint_underutilized(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    if not endpoint.in_service or not endpoint.instance_variants:
        return None
    threshold, days = ctx.setting("threshold_percent"), ctx.setting("window_days")
    metrics = ctx.require(EndpointUtilization, endpoint.arn)
    start = metrics_window_start(endpoint, metrics, days)
    if start is None:
        return None
    low: list[str] = []
    busy: list[str] = []
    for variant in metrics.variants:
        series = (("CPU", variant.cpu), ("GPU", variant.gpu))
        peaks = {kind: max(values_since(points, start), default=None) for kind, points in series}
        measured = {kind: peak for kind, peak in peaks.items() if peak is not None}
        if not measured:
            continue
        peaked = ", ".join(f"{peak:.0f}% {kind}" for kind, peak in measured.items())
        described = f"{variant.variant_name} peaked at {peaked}"
        (low if max(measured.values()) < threshold else busy).append(described)
    if low:
        return failed(f"{'; '.join(low)} over {days} days (threshold {threshold:g}%)")
    return passed(f"{'; '.join(busy)} over {days} days") if busy else None


FAILED_STATUSES = frozenset({"Failed", "OutOfService", "UpdateRollbackFailed"})
SERVING_STATUSES = frozenset({"InService", "Updating", "SystemUpdating"})


@check(
    id="SM-ENDPOINT-009",
    name="endpoint-failed",
    title="Endpoints should not be left failed or out of service",
    severity=Severity.MEDIUM,
    pillar=Pillar.RELIABILITY,
    resource=Endpoint,
    rationale="""A Failed or OutOfService endpoint serves no predictions, yet the applications calling it keep getting
    errors, and often nobody notices because nothing else about the endpoint is alarmed. UpdateRollbackFailed counts
    too: a rolling update and its rollback both failed, leaving a mix of old and new configurations in service.
    Endpoints being created, rolled back or deleted are in transition and are not judged.""",
    judges="""Every endpoint: Failed, OutOfService and UpdateRollbackFailed fail; InService, Updating and
    SystemUpdating pass; Creating, RollingBack and Deleting get no finding.""",
    remediation=Remediation(
        text="Read the FailureReason, fix its cause (an image or model artefact that cannot be loaded, a container "
        "that fails its health check, missing capacity or permissions), then update the endpoint to a working "
        "config, or delete it if it is no longer needed.",
        cli="aws sagemaker describe-endpoint --endpoint-name <endpoint> --query FailureReason && "
        "aws sagemaker update-endpoint --endpoint-name <endpoint> --endpoint-config-name <working-config>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/deploy-model-troubleshoot.html",
        placeholders={"endpoint": "resource_name"},
    ),
    references=(ml_lens("MLREL-13"), ml_lens("MLOE-15")),
)
def endpoint_failed(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    if endpoint.status in FAILED_STATUSES:
        return failed(f"{endpoint.status}: {endpoint.failure_reason or 'no FailureReason given'}")
    if endpoint.status in SERVING_STATUSES:
        return passed(f"the endpoint is {endpoint.status}")
    return None


@check(
    id="SM-ENDPOINT-010",
    name="endpoint-no-deployment-guardrails",
    title="Endpoint updates should be guarded by auto-rollback alarms",
    severity=Severity.LOW,
    pillar=Pillar.RELIABILITY,
    resource=Endpoint,
    uses=(EndpointConfig,),
    rationale="""A new model version can fail in production in ways no offline test showed. With a deployment
    configuration (blue/green with canary or linear traffic shifting, or rolling) whose AutoRollbackConfiguration
    names CloudWatch alarms, SageMaker shifts traffic gradually and rolls back by itself when an alarm fires; without
    one, the next update moves all traffic at once and nothing rolls it back. Endpoints on Inf1 instances, which AWS
    excludes from deployment guardrails, are not judged. AWS also excludes Marketplace containers, which the
    model's configuration does not reveal (their package ARN names the seller's account, as a cross-account
    registry's does), so an endpoint serving one fails although it cannot be fixed: accept that finding.""",
    judges="""Endpoints InService. A deployment configuration with auto-rollback alarms passes; without one, an
    endpoint with an Inf1 variant gets no finding and any other fails.""",
    remediation=Remediation(
        text="Update the endpoint with a DeploymentConfig: a BlueGreenUpdatePolicy with canary or linear traffic "
        "routing (or a RollingUpdatePolicy) and an AutoRollbackConfiguration naming the endpoint's error and latency "
        "alarms. The configuration is kept for later updates.",
        cli="aws sagemaker update-endpoint --endpoint-name <endpoint> --endpoint-config-name <config> "
        "--deployment-config file://deployment-config.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails.html",
        placeholders={"endpoint": "resource_name"},
    ),
    references=(ml_lens("MLREL-11"), ml_lens("MLREL-10")),
)
def endpoint_no_deployment_guardrails(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    if not endpoint.in_service:
        return None
    if endpoint.deployment_strategy and endpoint.rollback_alarms:
        return passed(
            f"{endpoint.deployment_strategy} deployments roll back on " + names(list(endpoint.rollback_alarms))
        )
    if any(instance_family(v.instance_type) == "inf1" for v in endpoint_config_of(endpoint, ctx).variants):
        return None  # AWS falls back to all at once on Inferentia 1
    if endpoint.deployment_strategy:
        return failed(f"{endpoint.deployment_strategy} deployments, but no auto-rollback alarms")
    return failed("no deployment configuration: the next update shifts all traffic at once and nothing rolls it back")


@check(
    id="SM-ENDPOINT-011",
    name="endpoint-outside-vpc",
    title="Endpoints in service should run their models inside a VPC",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=Endpoint,
    uses=(EndpointConfig, Model, InferenceComponent),
    rationale="""A model hosted without a VpcConfig runs in a network that SageMaker manages: its containers reach the
    internet and AWS services without your security groups, VPC endpoints or flow logs, so a compromised or
    malicious model artefact can exfiltrate the data sent to it. Every variant's model should name subnets and
    security groups in your VPC.""",
    judges="""Endpoints in service (others are left alone), through every model they serve: the model of each
    production and shadow variant, which must have a VpcConfig, and the models and inline containers of the
    inference components on a variant that hosts them, which run on the endpoint's instances and so in the
    endpoint config's VpcConfig. An endpoint whose variants host no inference component yet serves nothing and is
    not judged; components that failed or are being deleted are left out.""",
    remediation=Remediation(
        text="Create a new model with a VpcConfig (private subnets in at least two Availability Zones, a security "
        "group), a new endpoint config that uses it, and update the endpoint. Add VPC endpoints for the services "
        "the container calls (S3, ECR, CloudWatch).",
        cli="aws sagemaker create-model --model-name <model>-vpc --execution-role-arn <role-arn> "
        "--primary-container file://container.json --vpc-config Subnets=<subnet-a>,<subnet-b>,SecurityGroupIds=<sg-id>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html",
    ),
    references=(ml_lens("MLSEC-04"), config_rule("sagemaker-model-in-vpc")),
)
def endpoint_outside_vpc(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    if not endpoint.in_service:
        return None
    served = served_models(endpoint, ctx)
    if not served:
        return None
    outside = [s for s in served if not s.subnets]
    models = [s.label for s in outside if s.component is None]
    components = [s.label for s in outside if s.component is not None]
    if models or components:
        found = ["model without VpcConfig: " + names(models)] if models else []
        found += ["endpoint config without VpcConfig hosts " + names(components)] if components else []
        return failed("; ".join(found))
    return passed("every model it serves runs in a VPC: " + names(sorted({s.name for s in served})))


@check(
    id="SM-ENDPOINT-012",
    name="endpoint-data-capture-not-encrypted",
    title="Captured inference data should be encrypted with a KMS key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=Endpoint,
    rationale="""Data capture copies live requests and responses, often personal or payment data, into S3. Without a
    KmsKeyId in the capture configuration they are not encrypted with a key you control, so you cannot restrict who
    decrypts them, audit each use or revoke access by disabling the key. Judged on endpoints in service whose data
    capture is enabled.""",
    judges="""Endpoints InService whose data capture is enabled, even if capture is stopped; endpoints without
    capture get no finding (SM-ENDPOINT-003 judges them). Any KmsKeyId passes, without being looked up.""",
    remediation=Remediation(
        text="Create an endpoint config whose DataCaptureConfig names a customer managed KMS key (the execution role "
        "needs kms:GenerateDataKey on it) and update the endpoint to it.",
        cli="aws sagemaker create-endpoint-config --endpoint-config-name <new-config> "
        "--production-variants file://variants.json --data-capture-config file://data-capture-with-kms.json && "
        "aws sagemaker update-endpoint --endpoint-name <endpoint> --endpoint-config-name <new-config>",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DataCaptureConfig.html",
        placeholders={"endpoint": "resource_name"},
    ),
    references=(ml_lens("MLSEC-02"),),
)
def endpoint_data_capture_not_encrypted(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    if not endpoint.in_service or not endpoint.data_capture_enabled:
        return None
    if endpoint.data_capture_kms_key_id:
        return passed(f"captured data is encrypted with {endpoint.data_capture_kms_key_id}")
    return failed(
        "data capture has no KmsKeyId: captured requests and responses are not encrypted with a key you control"
    )


@check(
    id="SM-ENDPOINT-013",
    name="endpoint-async-output-not-encrypted",
    title="Asynchronous inference results should be encrypted with a KMS key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=EndpointConfig,
    rationale="""An asynchronous endpoint writes every prediction, and every failed request's error, to S3: the
    model's answers about the people or transactions it was sent, kept for as long as the bucket keeps them. Without
    a KmsKeyId in the output configuration they are not encrypted with a key you control, so you cannot restrict who
    decrypts them, audit each use or revoke access by disabling the key.""",
    judges="""Endpoint configs for asynchronous inference (AsyncInferenceConfig); real-time and serverless configs
    are not judged. The key is read from OutputConfig.KmsKeyId, which covers both the S3OutputPath and the
    S3FailurePath; whether the key is customer managed is judged by KMS-ML-001, and the output and failure buckets
    by the S3-ML checks.""",
    remediation=Remediation(
        text="Endpoint configs are immutable: create a new one whose AsyncInferenceConfig.OutputConfig names a customer "
        "managed KMS key (the execution role needs kms:GenerateDataKey on it), then update the endpoint to it.",
        cli="aws sagemaker create-endpoint-config --endpoint-config-name <new-config> "
        "--production-variants file://variants.json --async-inference-config "
        "'OutputConfig={S3OutputPath=s3://<bucket>/output/,S3FailurePath=s3://<bucket>/failures/,KmsKeyId=<key-arn>}' && "
        "aws sagemaker update-endpoint --endpoint-name <endpoint> --endpoint-config-name <new-config>",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AsyncInferenceOutputConfig.html",
    ),
    references=(ml_lens("MLSEC-02"),),
)
def endpoint_async_output_not_encrypted(config: EndpointConfig, ctx: CheckContext) -> Outcome | None:
    output = config.async_inference
    if output is None:
        return None
    if output.kms_key_id:
        return passed(f"asynchronous results and failures are encrypted with {output.kms_key_id}")
    return failed("AsyncInferenceConfig.OutputConfig has no KmsKeyId: results are not encrypted with a key you control")


@check(
    id="SM-ENDPOINT-014",
    name="endpoint-ssm-access-enabled",
    title="Endpoint variants should not allow shell access into their hosting containers",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=EndpointConfig,
    rationale="""EnableSSMAccess lets anyone allowed to start a Systems Manager session open a shell inside the
    containers that serve the model: they can read the model artefact, the requests and responses in memory and
    the credentials of the execution role, and change what the model answers, outside every deployment control.
    It is meant for debugging, and should not stay on in production.""",
    judges="""Every endpoint config with instance-based variants, production and shadow variants alike;
    serverless variants, which cannot enable SSM access, are not judged.""",
    remediation=Remediation(
        text="Create an endpoint config without EnableSSMAccess (it defaults to off) and update the endpoint to it; "
        "debug a container through CloudWatch logs or a separate, short-lived endpoint instead.",
        cli="aws sagemaker create-endpoint-config --endpoint-config-name <new-config> "
        "--production-variants file://variants-without-ssm.json && "
        "aws sagemaker update-endpoint --endpoint-name <endpoint> --endpoint-config-name <new-config>",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariant.html#sagemaker-Type-ProductionVariant-EnableSSMAccess",
    ),
    references=(ml_lens("MLSEC-03"), ml_lens("MLSEC-04")),
)
def endpoint_ssm_access_enabled(config: EndpointConfig, ctx: CheckContext) -> Outcome | None:
    variants = [v for v in config.all_variants if not v.serverless]
    if not variants:
        return None
    shadows = {v.variant_name for v in config.shadow_variants}
    enabled = [
        f"{'shadow variant' if v.variant_name in shadows else 'variant'} {v.variant_name}"
        for v in variants
        if v.ssm_access
    ]
    if enabled:
        return failed("EnableSSMAccess opens a shell into the containers of " + names(enabled))
    return passed(f"SSM access is off on {counted(len(variants), 'variant')}")
