"""Resource policies of SageMaker model package groups (put, get, delete), which moto does not implement.

As AWS does, a group must exist, and GetModelPackageGroupPolicy on a group without a policy answers a
ValidationException saying it cannot find the resource policy (mlaudit reads that as "no policy").
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.responses import SageMakerResponse

from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = SageMakerResponse


def _group(self: SageMakerResponse) -> Any:
    name = self._get_param("ModelPackageGroupName")
    group = self.sagemaker_backend.model_package_groups.get(name)
    if group is None:
        raise ValidationError(message=f"Cannot find Model Package Group {name}")
    return group


def _policies(self: SageMakerResponse) -> dict[str, str]:
    return backend_state(self.sagemaker_backend, "model_package_group_policies")


def put_model_package_group_policy(self: SageMakerResponse) -> ActionResult:
    group = _group(self)
    _policies(self)[group.model_package_group_name] = self._get_param("ResourcePolicy")
    return ActionResult({"ModelPackageGroupArn": group.arn})


def get_model_package_group_policy(self: SageMakerResponse) -> ActionResult:
    group = _group(self)
    policy = _policies(self).get(group.model_package_group_name)
    if policy is None:
        raise ValidationError(message=f"Cannot find resource policy for {group.arn}")
    return ActionResult({"ResourcePolicy": policy})


OPERATIONS = {
    "put_model_package_group_policy": put_model_package_group_policy,
    "get_model_package_group_policy": get_model_package_group_policy,
}
