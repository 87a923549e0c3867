"""SageMaker Feature Store where moto falls short (moto 5.2).

- `list_feature_groups` is not implemented: listed here, as one page.
- `create_feature_group` drops `OnlineStoreConfig`, and fails without an `OfflineStoreConfig` although AWS accepts
  online-only feature groups; `describe_feature_group` returns neither. Both are wrapped to keep what AWS keeps.
- `list_tags` fails on feature-group ARNs (moto's tag lookup does not know them): answered from the group's tags.
  It also fails on a Studio domain created without tags (moto keeps `None`): answered with no tags. This override
  lives here because moto takes one override per operation, and answers first for the resources other extensions
  add (`sagemaker_tags`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.responses import SageMakerResponse

from mlaudit.demo.moto_extensions import sagemaker_tags
from mlaudit.demo.moto_extensions.paging import page

RESPONSE_CLASS = SageMakerResponse

Operation = Callable[[SageMakerResponse], ActionResult]

_ONLINE_ONLY = "_mlaudit_online_only"
_ONLINE_STORE = "_mlaudit_online_store_config"
_PLACEHOLDER_S3_URI = "s3://mlaudit-moto-placeholder"
"""An offline store for moto's create to accept an online-only feature group; hidden again on describe."""


def list_feature_groups(self: SageMakerResponse) -> ActionResult:
    summaries = []
    for group in self.sagemaker_backend.feature_groups.values():
        summary = {
            "FeatureGroupName": group.feature_group_name,
            "FeatureGroupArn": group.arn,
            "CreationTime": group.creation_time,
            "FeatureGroupStatus": "Created",
        }
        if not getattr(group, _ONLINE_ONLY, False):
            summary["OfflineStoreStatus"] = {"Status": "Active"}
        summaries.append(summary)
    return ActionResult(page(self, "FeatureGroupSummaries", summaries))


def _create_feature_group(create: Operation) -> Operation:
    def create_keeping_online_store(self: SageMakerResponse) -> ActionResult:
        online_only = self._get_param("OfflineStoreConfig") is None
        if online_only:
            self.params["OfflineStoreConfig"] = {"S3StorageConfig": {"S3Uri": _PLACEHOLDER_S3_URI}}
        result = create(self)
        group = self.sagemaker_backend.feature_groups[result.result["FeatureGroupArn"]]  # type: ignore[index]
        setattr(group, _ONLINE_ONLY, online_only)
        setattr(group, _ONLINE_STORE, self._get_param("OnlineStoreConfig"))
        return result

    return create_keeping_online_store


def as_described(group: Any, description: dict[str, Any]) -> dict[str, Any]:
    """moto's description of a feature group with the stores AWS keeps (DescribeFeatureGroup and Search answer
    this)."""
    description = dict(description)
    if getattr(group, _ONLINE_ONLY, False):
        description.pop("OfflineStoreConfig", None)
    if getattr(group, _ONLINE_STORE, None):
        description["OnlineStoreConfig"] = getattr(group, _ONLINE_STORE)
    return description


def _describe_feature_group(describe: Operation) -> Operation:
    def describe_with_online_store(self: SageMakerResponse) -> ActionResult:
        description: dict[str, Any] = dict(describe(self).result)  # type: ignore[call-overload]
        group = self.sagemaker_backend.feature_groups[description["FeatureGroupArn"]]
        return ActionResult(as_described(group, description))

    return describe_with_online_store


def _list_tags(list_tags: Operation) -> Operation:
    def list_tags_of_feature_groups_too(self: SageMakerResponse) -> ActionResult:
        registered = sagemaker_tags.list_registered(self)
        if registered is not None:
            return registered  # a resource another extension added (an image, an inference component...)
        arn = self._get_param("ResourceArn") or ""
        if ":domain/" in arn and self.sagemaker_backend._get_resource_from_arn(arn).tags is None:
            return ActionResult({"Tags": []})
        if ":feature-group/" not in arn:
            return list_tags(self)
        group = self.sagemaker_backend.feature_groups.get(arn)
        if group is None:
            raise ValidationError(message=f"Could not find feature group {arn}")
        return ActionResult({"Tags": list(group.tags or [])})

    return list_tags_of_feature_groups_too


OPERATIONS = {"list_feature_groups": list_feature_groups}
OVERRIDES = {
    "create_feature_group": _create_feature_group,
    "describe_feature_group": _describe_feature_group,
    "list_tags": _list_tags,
}
