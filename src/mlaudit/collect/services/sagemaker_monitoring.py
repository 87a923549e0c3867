"""Model Monitor collectors: the four kinds of job definition (list, then describe each), and each schedule's
description (its inline job definition and its last execution), an aspect only the checks that need it pay for."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.patterns import ForEachRecord, ListThenDescribe, same_identity
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.collect.services.sagemaker import _identity
from mlaudit.inventory import MonitoringSchedule, Record
from mlaudit.inventory.sagemaker_monitoring import (
    JOB_DEFINITION_TYPES,
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


def _snake(monitoring_type: str) -> str:
    """`ModelExplainability` -> `model_explainability`, as in the boto3 method names."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", monitoring_type).lower()


def _definition_builder(
    record_type: type[MonitoringJobDefinition],
) -> Callable[[CollectContext, dict[str, Any]], Record]:
    """A builder for one kind: its input and output sections are named after the kind (`ModelBiasJobInput`...)."""
    kind = record_type.monitoring_type
    arn_kind = _snake(kind).replace("_", "-") + "-job-definition"

    def build(ctx: CollectContext, d: dict[str, Any]) -> Record:
        output = d.get(f"{kind}JobOutputConfig") or {}
        resources = d.get("JobResources") or {}
        return record_type(
            **_identity(ctx, d, "JobDefinitionArn", "JobDefinitionName", arn_kind),
            endpoint_name=((d.get(f"{kind}JobInput") or {}).get("EndpointInput") or {}).get("EndpointName"),
            network=_network(d.get("NetworkConfig"), resources),
            role_arn=d.get("RoleArn"),
            output_s3_uris=tuple(
                uri for o in output.get("MonitoringOutputs") or () if (uri := (o.get("S3Output") or {}).get("S3Uri"))
            ),
            output_kms_key_id=output.get("KmsKeyId"),
            volume_kms_key_id=(resources.get("ClusterConfig") or {}).get("VolumeKmsKeyId"),
        )

    return build


def _definition_collector(record_type: type[MonitoringJobDefinition]) -> PartCollector:
    kind, snake = record_type.monitoring_type, _snake(record_type.monitoring_type)
    return PartCollector(
        record_type,
        (f"sagemaker:List{kind}JobDefinitions", f"sagemaker:Describe{kind}JobDefinition"),
        ListThenDescribe(
            f"list_{snake}_job_definitions",
            "JobDefinitionSummaries",
            "MonitoringJobDefinitionName",
            "MonitoringJobDefinitionArn",
            f"describe_{snake}_job_definition",
            _definition_builder(record_type),
            describe_param="JobDefinitionName",
        ),
    )


def _schedule_description(ctx: CollectContext, schedule: Record) -> MonitoringScheduleDescription:
    d = ctx.call("describe_monitoring_schedule", MonitoringScheduleName=schedule.name) or {}
    inline = (d.get("MonitoringScheduleConfig") or {}).get("MonitoringJobDefinition")
    last = d.get("LastMonitoringExecutionSummary")
    return MonitoringScheduleDescription(
        **same_identity(schedule),
        inline_network=_network(inline.get("NetworkConfig"), inline.get("MonitoringResources")) if inline else None,
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
        ("sagemaker:DescribeMonitoringSchedule",),
        ForEachRecord((MonitoringSchedule,), _schedule_description),
        aspect_of=MonitoringSchedule,
    ),
)
