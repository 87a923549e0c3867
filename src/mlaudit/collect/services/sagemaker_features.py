"""Feature Store collector: feature groups, listed, then read from Search's records (the list does not say how stores
are encrypted)."""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListThenSearch
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import Identity
from mlaudit.inventory.sagemaker_features import FeatureGroup


def _feature_group(identity: Identity, d: dict[str, Any]) -> FeatureGroup:
    offline = d.get("OfflineStoreConfig") or {}
    online = d.get("OnlineStoreConfig") or {}
    s3 = offline.get("S3StorageConfig") or {}
    return FeatureGroup(
        **identity,
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
        # Its stores, keys and role cannot change once created; its status can, and Search's record is taken only
        # when it agrees with the list's.
        ListThenSearch(
            Operation("sagemaker:ListFeatureGroups"),
            "FeatureGroupSummaries",
            Operation("sagemaker:DescribeFeatureGroup"),
            Listed(id="FeatureGroupName", arn="FeatureGroupArn"),
            _feature_group,
            fresh=("FeatureGroupStatus",),
        ),
    ),
)
