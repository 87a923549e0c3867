"""The typed inventory of an account: one pydantic record type per part, and the store that holds them."""

from mlaudit.inventory.autoscaling import VARIANT_DIMENSION, ScalableTarget, ScalingPolicy, variant_resource_id
from mlaudit.inventory.base import GLOBAL_REGION, PartScope, Record, RefKind, Reference, canonical_kms_key, s3_bucket_of
from mlaudit.inventory.iam import IamRole
from mlaudit.inventory.kms import KmsKey
from mlaudit.inventory.s3 import S3Bucket, S3BucketEncryption
from mlaudit.inventory.scopes import AccountScope, RegionScope
from mlaudit.inventory.sagemaker import (
    ConfigVariant,
    DataCapture,
    Endpoint,
    EndpointConfig,
    EndpointVariant,
    Model,
    ModelContainer,
    ModelPackage,
    ModelPackageGroup,
    MonitoringSchedule,
    NotebookInstance,
    TrainingJob,
)
from mlaudit.inventory.notes import AnomalyKind, ApiAnomaly, CollectionError, SkippedScope, SkipReason, merge_anomalies
from mlaudit.inventory.store import (
    ACCOUNT_ACCESS_PART,
    AccountInfo,
    CollectedScope,
    Inventory,
    InventorySnapshot,
    SNAPSHOT_FORMAT,
    scope_region,
)

from mlaudit.inventory import autoscaling, cloudtrail, iam, kms, network, s3, sagemaker, scopes  # noqa: E402 - the modules, for their RECORDS
from mlaudit.inventory import (  # noqa: E402
    bedrock,
    cloudwatch,
    logs,
    sagemaker_features,
    sagemaker_jobs,
    sagemaker_monitoring,
    sagemaker_notebooks,
    sagemaker_pipelines,
    sagemaker_registry,
    sagemaker_studio,
    tags,
)

_MODULES = (
    scopes,
    sagemaker,
    s3,
    iam,
    kms,
    autoscaling,
    sagemaker_notebooks,
    sagemaker_studio,
    sagemaker_monitoring,
    sagemaker_features,
    sagemaker_pipelines,
    tags,
    bedrock,
    logs,
    sagemaker_jobs,
    sagemaker_registry,
    cloudwatch,
    network,
    cloudtrail,
)
RECORD_TYPES: tuple[type[Record], ...] = tuple(record for module in _MODULES for record in module.RECORDS)
"""Every part an inventory can hold (each module lists its own in `RECORDS`); snapshots are read back through it."""

__all__ = [
    "RECORD_TYPES",
    "ACCOUNT_ACCESS_PART",
    "AccountInfo",
    "AccountScope",
    "AnomalyKind",
    "ApiAnomaly",
    "CollectedScope",
    "CollectionError",
    "ConfigVariant",
    "DataCapture",
    "Endpoint",
    "EndpointConfig",
    "EndpointVariant",
    "GLOBAL_REGION",
    "IamRole",
    "Inventory",
    "KmsKey",
    "InventorySnapshot",
    "SNAPSHOT_FORMAT",
    "SkippedScope",
    "SkipReason",
    "Model",
    "ModelContainer",
    "ModelPackage",
    "ModelPackageGroup",
    "MonitoringSchedule",
    "NotebookInstance",
    "PartScope",
    "Record",
    "RefKind",
    "Reference",
    "RegionScope",
    "S3Bucket",
    "S3BucketEncryption",
    "ScalableTarget",
    "ScalingPolicy",
    "TrainingJob",
    "VARIANT_DIMENSION",
    "canonical_kms_key",
    "s3_bucket_of",
    "merge_anomalies",
    "scope_region",
    "variant_resource_id",
]
