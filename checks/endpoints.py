"""Endpoints and endpoint configs: where models meet production traffic."""

from __future__ import annotations

from mlaudit.inventory import (
    VARIANT_DIMENSION,
    Endpoint,
    EndpointConfig,
    Model,
    MonitoringSchedule,
    ScalableTarget,
    ScalingPolicy,
    variant_resource_id,
)
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Severity,
    check,
    config_rule,
    failed,
    ml_lens,
    passed,
)
from mlaudit.sdk.helpers import has_local_nvme_storage, names, served_models


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
    ),
)
def endpoint_config_no_kms(config: EndpointConfig, ctx: CheckContext) -> Outcome | None:
    if config.serverless_only:
        return None
    if any(has_local_nvme_storage(v.instance_type) for v in config.variants):
        return None
    if config.kms_key_id:
        return passed(f"storage volumes are encrypted with {config.kms_key_id}")
    return failed("no KmsKeyId: the ML storage volumes use an AWS owned key")


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
    remediation=Remediation(
        text="Enable data capture on the endpoint, create a baseline from the training data, and create a monitoring "
        "schedule (data quality at least; model quality where ground truth arrives later). In the console: "
        "SageMaker > Inference > Endpoints > <endpoint> > Monitoring.",
        cli="aws sagemaker create-monitoring-schedule --monitoring-schedule-name <endpoint>-data-quality "
        "--monitoring-schedule-config file://monitoring-schedule.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor.html",
    ),
    references=(ml_lens("MLOE-15"), ml_lens("MLPER-14"), ml_lens("MLPER-15")),
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
    ),
    references=(ml_lens("MLREL-12"), ml_lens("MLCOST-26")),
)
def endpoint_no_autoscaling(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    variants = [v for v in endpoint.variants if not v.serverless]
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


@check(
    id="SM-ENDPOINT-011",
    name="endpoint-outside-vpc",
    title="Endpoints in service should run their models inside a VPC",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=Endpoint,
    uses=(EndpointConfig, Model),
    rationale="""A model hosted without a VpcConfig runs in a network that SageMaker manages: its containers reach the
    internet and AWS services without your security groups, VPC endpoints or flow logs, so a compromised or
    malicious model artefact can exfiltrate the data sent to it. Every variant's model should name subnets and
    security groups in your VPC.""",
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
    outside = [f"{s.model.name} (variant {s.variant.variant_name})" for s in served if not s.model.vpc_subnets]
    if outside:
        return failed("model without VpcConfig: " + names(outside))
    return passed("every variant's model runs in a VPC: " + names(sorted({s.model.name for s in served})))
