"""EFS and FSx records for the file systems training jobs read their data from (a channel's FileSystemDataSource),
found by following the jobs' inputs: only file systems ML resources name are collected."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, Value

EFS = "EFS"
FSX_LUSTRE = "FSxLustre"
"""The FileSystemType values of a SageMaker FileSystemDataSource."""


class FileSystemInput(Value):
    """A training channel read from a file system (FileSystemDataSource)."""

    file_system_id: str
    file_system_type: str
    """EFS or FSxLustre."""


def file_system_refs(record: Record, inputs: tuple[FileSystemInput, ...]) -> Iterator[Reference]:
    """References to the file systems of a record's inputs, in its own account and region (where they are mounted)."""
    for source in inputs:
        if source.file_system_type == EFS:
            service, kind = "elasticfilesystem", RefKind.EFS_FILE_SYSTEM
        elif source.file_system_type == FSX_LUSTRE:
            service, kind = "fsx", RefKind.FSX_FILE_SYSTEM
        else:
            continue
        arn = (
            f"arn:{record.partition}:{service}:{record.region}:{record.account_id}:file-system/{source.file_system_id}"
        )
        yield Reference(kind, arn)


class _FileSystem(Record):
    """A file system training jobs read, named by its id."""

    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.KMS_KEY})
    arn_resource: ClassVar[str] = "file-system/{id}"

    kms_key_id: str | None = None
    lifecycle: str | None = None
    used_by: tuple[str, ...] = ()
    """ARNs of (at most the first 20) ML resources that read the file system."""
    use_count: int = 0

    def references(self) -> Iterator[Reference]:
        ref = self.kms_key_ref(self.kms_key_id)
        if ref:
            yield ref


class EfsFileSystem(_FileSystem):
    part: ClassVar[str] = "efs.file_system"
    service: ClassVar[str] = "elasticfilesystem"
    resource_type: ClassVar[str] = "AWS::EFS::FileSystem"
    label: ClassVar[str] = "ML EFS file systems"

    encrypted: bool = False


class FsxFileSystem(_FileSystem):
    part: ClassVar[str] = "fsx.file_system"
    service: ClassVar[str] = "fsx"
    resource_type: ClassVar[str] = "AWS::FSx::FileSystem"
    label: ClassVar[str] = "ML FSx file systems"

    file_system_type: str | None = None
    """LUSTRE, WINDOWS, ONTAP or OPENZFS."""
    deployment_type: str | None = None
    """For Lustre: SCRATCH_1, SCRATCH_2 (encrypted with a key FSx owns, no KmsKeyId), PERSISTENT_1 or PERSISTENT_2."""
