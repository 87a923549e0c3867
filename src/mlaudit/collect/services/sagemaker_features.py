"""Feature Store collector: feature groups, listed then described (the list does not say how stores are encrypted)."""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.patterns import ListThenDescribe
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.collect.services.sagemaker import _identity
from mlaudit.inventory.sagemaker_features import FeatureGroup


def _feature_group(ctx: CollectContext, d: dict[str, Any]) -> FeatureGroup:
    offline = d.get("OfflineStoreConfig") or {}
    online = d.get("OnlineStoreConfig") or {}
    s3 = offline.get("S3StorageConfig") or {}
    return FeatureGroup(
        **_identity(ctx, d, "FeatureGroupArn", "FeatureGroupName", "feature-group"),
        status=d.get("FeatureGroupStatus") or "Unknown",
        offline_store=bool(offline),
        offline_s3_uri=s3.get("ResolvedOutputS3Uri") or s3.get("S3Uri"),
        offline_kms_key_id=s3.get("KmsKeyId"),
        online_store=bool(online.get("EnableOnlineStore")),
        online_storage_type=online.get("StorageType"),
        online_kms_key_id=(online.get("SecurityConfig") or {}).get("KmsKeyId"),
        role_arn=d.get("RoleArn"),
    )


COLLECTORS = (
    PartCollector(
        FeatureGroup,
        ("sagemaker:ListFeatureGroups", "sagemaker:DescribeFeatureGroup"),
        ListThenDescribe(
            "list_feature_groups",
            "FeatureGroupSummaries",
            "FeatureGroupName",
            "FeatureGroupArn",
            "describe_feature_group",
            _feature_group,
        ),
    ),
)
