"""Model Monitor collectors: the four kinds of job definition (list, then describe each), and each schedule's
description (its inline job definition and its last execution), an aspect only the checks that need it pay for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import ForEachRecord, Listed, ListThenDescribe, same_identity
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import Identity, MonitoringSchedule, Record
from mlaudit.inventory.sagemaker_monitoring import (
    JOB_DEFINITION_TYPES,
    InlineMonitoringJob,
    MonitoringExecution,
    MonitoringJobDefinition,
    MonitoringNetwork,
    MonitoringScheduleDescription,
)


def _network(network_config: dict[str, Any] | None, resources: dict[str, Any] | None) -> MonitoringNetwork:
    network = network_config or {}
    return MonitoringNetwork(
        network_isolation=bool(network.get("EnableNetworkIsolation")),
        inter_container_encryption=bool(network.get("EnableInterContainerTrafficEncryption")),
        instance_count=((resources or {}).get("ClusterConfig") or {}).get("InstanceCount"),
    )


def _s3_outputs(output: dict[str, Any]) -> tuple[str, ...]:
    return tuple(uri for o in output.get("MonitoringOutputs") or () if (uri := (o.get("S3Output") or {}).get("S3Uri")))


DESCRIBE_SCHEDULE = Operation("sagemaker:DescribeMonitoringSchedule")


def _definition_builder(record_type: type[MonitoringJobDefinition]) -> Callable[[Identity, dict[str, Any]], Record]:
    """A builder for one kind: its input and output sections are named after the kind (`ModelBiasJobInput`...)."""
    kind = record_type.monitoring_type

    def build(identity: Identity, d: dict[str, Any]) -> Record:
        output = d.get(f"{kind}JobOutputConfig") or {}
        resources = d.get("JobResources") or {}
        return record_type(
            **identity,
            endpoint_name=((d.get(f"{kind}JobInput") or {}).get("EndpointInput") or {}).get("EndpointName"),
            network=_network(d.get("NetworkConfig"), resources),
            role_arn=d.get("RoleArn"),
            instance_type=(resources.get("ClusterConfig") or {}).get("InstanceType"),
            output_s3_uris=_s3_outputs(output),
            output_kms_key_id=output.get("KmsKeyId"),
            volume_kms_key_id=(resources.get("ClusterConfig") or {}).get("VolumeKmsKeyId"),
        )

    return build


def _definition_collector(record_type: type[MonitoringJobDefinition]) -> PartCollector:
    kind = record_type.monitoring_type
    return PartCollector(
        record_type,
        ListThenDescribe(
            Operation(f"sagemaker:List{kind}JobDefinitions"),
            "JobDefinitionSummaries",
            Operation(f"sagemaker:Describe{kind}JobDefinition"),
            Listed(id="MonitoringJobDefinitionName", arn="MonitoringJobDefinitionArn"),
            _definition_builder(record_type),
            keys={"JobDefinitionName": "MonitoringJobDefinitionName"},
        ),
    )


def _inline_job(inline: dict[str, Any]) -> InlineMonitoringJob:
    output = inline.get("MonitoringOutputConfig") or {}
    cluster = (inline.get("MonitoringResources") or {}).get("ClusterConfig") or {}
    return InlineMonitoringJob(
        role_arn=inline.get("RoleArn"),
        instance_type=cluster.get("InstanceType"),
        output_s3_uris=_s3_outputs(output),
        output_kms_key_id=output.get("KmsKeyId"),
        volume_kms_key_id=cluster.get("VolumeKmsKeyId"),
    )


def _schedule_description(ctx: CollectContext, schedule: Record) -> MonitoringScheduleDescription:
    d = ctx.call(DESCRIBE_SCHEDULE, MonitoringScheduleName=schedule.name) or {}
    inline = (d.get("MonitoringScheduleConfig") or {}).get("MonitoringJobDefinition")
    last = d.get("LastMonitoringExecutionSummary")
    return MonitoringScheduleDescription(
        **same_identity(schedule),
        inline_network=_network(inline.get("NetworkConfig"), inline.get("MonitoringResources")) if inline else None,
        inline_job=_inline_job(inline) if inline else None,
        failure_reason=d.get("FailureReason"),
        last_execution=MonitoringExecution(
            status=last.get("MonitoringExecutionStatus") or "Unknown",
            scheduled_time=last.get("ScheduledTime"),
            failure_reason=last.get("FailureReason"),
        )
        if last
        else None,
    )


COLLECTORS = (
    *(_definition_collector(record_type) for record_type in JOB_DEFINITION_TYPES),
    PartCollector(
        MonitoringScheduleDescription,
        ForEachRecord((MonitoringSchedule,), DESCRIBE_SCHEDULE, _schedule_description),
        aspect_of=MonitoringSchedule,
    ),
)
