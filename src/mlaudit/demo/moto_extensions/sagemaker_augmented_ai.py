"""Augmented AI flow definitions (create, list, describe), which moto (5.2) does not implement.

A flow definition is Active as soon as it is created; the list answers summaries newest first (AWS's default
order), a page at a time; describing one that does not exist answers ResourceNotFound, as botocore's model says.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ResourceInUseException, ResourceNotFound
from moto.sagemaker.responses import SageMakerResponse

from mlaudit.demo.moto_extensions.paging import page
from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = SageMakerResponse
REQUEST_FIELDS = ("HumanLoopRequestSource", "HumanLoopActivationConfig", "HumanLoopConfig", "OutputConfig", "RoleArn")
SUMMARY_FIELDS = ("FlowDefinitionName", "FlowDefinitionArn", "FlowDefinitionStatus", "CreationTime")


def _flow_definitions(response: SageMakerResponse) -> dict[str, dict[str, Any]]:
    return backend_state(response.sagemaker_backend, "flow_definitions")


def create_flow_definition(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("FlowDefinitionName")
    if name in _flow_definitions(self):
        raise ResourceInUseException(f"Flow definition {name} already exists")
    arn = f"arn:aws:sagemaker:{self.region}:{self.current_account}:flow-definition/{name.lower()}"
    definition = {
        "FlowDefinitionArn": arn,
        "FlowDefinitionName": name,
        "FlowDefinitionStatus": "Active",
        "CreationTime": datetime.now(UTC),
        **{field: self._get_param(field) for field in REQUEST_FIELDS if self._get_param(field) is not None},
    }
    _flow_definitions(self)[name] = definition
    return ActionResult({"FlowDefinitionArn": arn})


def list_flow_definitions(self: SageMakerResponse) -> ActionResult:
    ascending = self._get_param("SortOrder") == "Ascending"
    definitions = sorted(_flow_definitions(self).values(), key=lambda d: d["CreationTime"], reverse=not ascending)
    summaries = [{field: d[field] for field in SUMMARY_FIELDS} for d in definitions]
    return ActionResult(page(self, "FlowDefinitionSummaries", summaries))


def describe_flow_definition(self: SageMakerResponse) -> ActionResult:
    name = self._get_param("FlowDefinitionName")
    definition = _flow_definitions(self).get(name)
    if definition is None:
        raise ResourceNotFound(f"Flow definition {name} does not exist")
    return ActionResult(definition)


OPERATIONS = {
    "create_flow_definition": create_flow_definition,
    "list_flow_definitions": list_flow_definitions,
    "describe_flow_definition": describe_flow_definition,
}
