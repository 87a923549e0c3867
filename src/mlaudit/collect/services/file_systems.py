"""EFS and FSx collectors: the file systems training jobs read, one describe each (by id, in the jobs' region)."""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import DescribeReferenced
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import Identity, RefKind
from mlaudit.inventory.file_systems import EfsFileSystem, FsxFileSystem

MAX_LISTED_USERS = 20
NOT_FOUND = frozenset({"FileSystemNotFound"})


def _efs(identity: Identity, f: dict[str, Any], users: list[str]) -> EfsFileSystem:
    return EfsFileSystem(
        **identity,
        encrypted=bool(f.get("Encrypted")),
        kms_key_id=f.get("KmsKeyId"),
        lifecycle=f.get("LifeCycleState"),
        used_by=tuple(users[:MAX_LISTED_USERS]),
        use_count=len(users),
    )


def _fsx(identity: Identity, f: dict[str, Any], users: list[str]) -> FsxFileSystem:
    return FsxFileSystem(
        **identity,
        file_system_type=f.get("FileSystemType"),
        deployment_type=(f.get("LustreConfiguration") or {}).get("DeploymentType"),
        kms_key_id=f.get("KmsKeyId"),
        lifecycle=f.get("Lifecycle"),
        used_by=tuple(users[:MAX_LISTED_USERS]),
        use_count=len(users),
    )


COLLECTORS = (
    PartCollector(
        EfsFileSystem,
        DescribeReferenced(
            RefKind.EFS_FILE_SYSTEM,
            Operation("efs:DescribeFileSystems"),
            lambda file_system_id: {"FileSystemId": file_system_id},
            "FileSystems",
            _efs,
            absent=NOT_FOUND,
        ),
    ),
    PartCollector(
        FsxFileSystem,
        DescribeReferenced(
            RefKind.FSX_FILE_SYSTEM,
            Operation("fsx:DescribeFileSystems"),
            lambda file_system_id: {"FileSystemIds": [file_system_id]},
            "FileSystems",
            _fsx,
            absent=NOT_FOUND,
        ),
    ),
)
