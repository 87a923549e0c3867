"""The typed inventory of an account: one pydantic record type per part, and the store that holds them."""

import importlib
import pkgutil

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


def _discover() -> tuple[type[Record], ...]:
    """Every record class that names a part, module by module (by name), in the order each module defines them."""
    found: list[type[Record]] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, Record)
            and value.__module__ == module.__name__
            and "part" in value.__dict__
        )
    return tuple(found)


RECORD_TYPES: tuple[type[Record], ...] = _discover()
"""Every part an inventory can hold: each record class that sets `part`, in any module of this package. Snapshots
are read back through it."""

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
