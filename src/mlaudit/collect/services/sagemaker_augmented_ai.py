"""Augmented AI collectors: flow definitions, listed then described (the summaries hold no output location)."""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListThenDescribe
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import Identity
from mlaudit.inventory.sagemaker_augmented_ai import FlowDefinition


def _flow_definition(identity: Identity, d: dict[str, Any]) -> FlowDefinition:
    output = d.get("OutputConfig") or {}
    return FlowDefinition(
        **identity,
        status=d.get("FlowDefinitionStatus") or "Unknown",
        creation_time=d.get("CreationTime"),
        role_arn=d.get("RoleArn"),
        output_s3_uri=output.get("S3OutputPath"),
        output_kms_key_id=output.get("KmsKeyId"),
        workteam_arn=(d.get("HumanLoopConfig") or {}).get("WorkteamArn"),
    )


COLLECTORS = (
    PartCollector(
        FlowDefinition,
        ListThenDescribe(
            Operation("sagemaker:ListFlowDefinitions"),
            "FlowDefinitionSummaries",
            Operation("sagemaker:DescribeFlowDefinition"),
            Listed(id="FlowDefinitionName", arn="FlowDefinitionArn"),
            _flow_definition,
        ),
    ),
)
