"""Application Auto Scaling targets: moto (5.x) answers no RoleARN for a target registered without one, where AWS
answers the service-linked role it uses for the namespace. The override fills it in for SageMaker variants, the only
namespace mlaudit reads."""

from __future__ import annotations

import json
from collections.abc import Callable

from moto.applicationautoscaling.responses import ApplicationAutoScalingResponse
from moto.utilities.utils import get_partition

RESPONSE_CLASS = ApplicationAutoScalingResponse

Operation = Callable[[ApplicationAutoScalingResponse], str]

SERVICE_LINKED_ROLES = {
    "sagemaker": "aws-service-role/sagemaker.application-autoscaling.amazonaws.com/"
    "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint",
}


def _with_service_linked_role(describe_scalable_targets: Operation) -> Operation:
    def wrapped(self: ApplicationAutoScalingResponse) -> str:
        answer = json.loads(describe_scalable_targets(self))
        for target in answer.get("ScalableTargets") or []:
            role = SERVICE_LINKED_ROLES.get(target.get("ServiceNamespace", ""))
            if role and not target.get("RoleARN"):
                target["RoleARN"] = f"arn:{get_partition(self.region)}:iam::{self.current_account}:role/{role}"
        return json.dumps(answer)

    return wrapped


OPERATIONS: dict[str, Operation] = {}
OVERRIDES = {"describe_scalable_targets": _with_service_linked_role}
