"""The typed inventory of an account: one pydantic record type per part, and the store that holds them."""

import importlib
import pkgutil

from mlaudit.inventory.autoscaling import VARIANT_DIMENSION, ScalableTarget, ScalingPolicy, variant_resource_id
from mlaudit.inventory.base import (
    GLOBAL_REGION,
    Identity,
    PartScope,
    Record,
    Reference,
    RefKind,
    canonical_kms_key,
    s3_bucket_of,
)
from mlaudit.inventory.iam import IamRole
from mlaudit.inventory.kms import KmsKey
from mlaudit.inventory.notes import AnomalyKind, ApiAnomaly, CollectionError, SkippedScope, SkipReason, merge_anomalies
from mlaudit.inventory.s3 import S3Bucket, S3BucketEncryption
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
from mlaudit.inventory.scopes import AccountScope, RegionScope
from mlaudit.inventory.store import (
    ACCOUNT_ACCESS_PART,
    SNAPSHOT_FORMAT,
    AccountInfo,
    CollectedScope,
    Inventory,
    InventorySnapshot,
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
    "ACCOUNT_ACCESS_PART",
    "GLOBAL_REGION",
    "RECORD_TYPES",
    "SNAPSHOT_FORMAT",
    "VARIANT_DIMENSION",
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
    "IamRole",
    "Identity",
    "Inventory",
    "InventorySnapshot",
    "KmsKey",
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
    "SkipReason",
    "SkippedScope",
    "TrainingJob",
    "canonical_kms_key",
    "merge_anomalies",
    "s3_bucket_of",
    "scope_region",
    "variant_resource_id",
]
