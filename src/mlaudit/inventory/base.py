"""The base of every inventory record, and the references that link records across services.

A record holds only what checks need, already normalised from the API's shape, plus its identity (ARN, name,
account, region). Each record class is one inventory *part*: the unit that checks ask for and collectors fill.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import ClassVar, NamedTuple, TypedDict

from pydantic import ConfigDict

from mlaudit.core.frozen import FrozenModel

GLOBAL_REGION = "global"
"""The region recorded for account-wide parts (IAM roles, the S3 bucket list)."""


class PartScope(str, Enum):
    REGIONAL = "regional"
    """Collected once per region."""
    GLOBAL = "global"
    """Collected once per account (IAM, S3 bucket list, account settings)."""


class RefKind(str, Enum):
    """What a record can point at in another service; dependent collectors follow these."""

    S3 = "s3"
    IAM_ROLE = "iam-role"
    KMS_KEY = "kms-key"
    SUBNET = "ec2-subnet"
    """An EC2 subnet, as its ARN (subnets are regional: the ARN says where)."""
    SECURITY_GROUP = "ec2-security-group"
    """An EC2 security group, as its ARN."""
    ECR_REPOSITORY = "ecr-repository"
    """An ECR repository holding the image a model or job runs, as its ARN (from the image URI)."""
    EFS_FILE_SYSTEM = "efs-file-system"
    """An EFS file system a training job reads, as its ARN."""
    FSX_FILE_SYSTEM = "fsx-file-system"
    """An FSx file system a training job reads, as its ARN."""


class Reference(NamedTuple):
    kind: RefKind
    target: str
    """An s3:// URI, a role ARN..."""


class Identity(TypedDict):
    """Who a record is: the fields every record carries, and every finding about it (ERROR included)."""

    arn: str
    name: str
    account_id: str
    region: str


class Value(FrozenModel):
    """A nested, immutable value inside a record (a policy statement, an event selector...)."""

    model_config = ConfigDict(defer_build=True)


class Record(FrozenModel):
    """One collected resource (or one aspect of a resource) in one account and region."""

    model_config = ConfigDict(defer_build=True)

    part: ClassVar[str]
    """Stable identifier of the part, e.g. `sagemaker.endpoint`; also the `kind` tag in the inventory JSON."""
    service: ClassVar[str]
    """The AWS service, as in ARNs and the `service` field of findings."""
    resource_type: ClassVar[str]
    """CloudFormation-style type, e.g. `AWS::SageMaker::Endpoint`."""
    label: ClassVar[str]
    """Plural, for people: "endpoints"."""
    scope: ClassVar[PartScope] = PartScope.REGIONAL
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset()
    """The kinds of reference `references()` can yield; dependent collectors are wired from this."""
    taggable: ClassVar[bool] = False
    """Tags are collected for this part when a check needs them (sagemaker:ListTags for SageMaker records)."""
    search_resource: ClassVar[str | None] = None
    """What `sagemaker:Search` calls this kind of resource (its `Resource` and `SearchRecord` member), where Search
    indexes it: its tags, and its records where Search's holds every field read (`ListThenSearch`), are then read
    100 a page (`collect/engine/search.py`)."""
    arn_resource: ClassVar[str] = ""
    """The resource part of AWS's ARN for this part's resources, from the resource's id: `knowledge-base/{id}`
    (`{lower_id}` where AWS lowercases the name, as SageMaker does). Empty: the records carry ARNs AWS gives,
    or share another record's."""
    arn_in_account: ClassVar[bool] = True
    """Whether the ARN names the account (S3 bucket ARNs name neither account nor region)."""

    arn: str
    name: str
    account_id: str
    region: str

    @classmethod
    def arn_for(cls, partition: str, region: str, account_id: str, resource_id: str) -> str:
        """The one ARN builder: AWS's ARN of this part's resource `resource_id` (`*`: all of them)."""
        if not cls.arn_resource:
            raise TypeError(f"{cls.part} declares no arn_resource")
        resource = cls.arn_resource.format(id=resource_id, lower_id=resource_id.lower())
        arn_region = "" if cls.scope is PartScope.GLOBAL or region == GLOBAL_REGION else region
        account = account_id if cls.arn_in_account else ""
        return f"arn:{partition}:{cls.service}:{arn_region}:{account}:{resource}"

    @classmethod
    def identity_of(
        cls,
        partition: str,
        region: str,
        account_id: str,
        resource_id: str,
        name: str | None = None,
        arn: str | None = None,
    ) -> Identity:
        """A resource's identity from what AWS says of it: its ARN when AWS gives one (otherwise built), and its
        display name (otherwise its id). Whatever is made of the resource, a record or an ERROR, carries it."""
        return Identity(
            arn=arn or cls.arn_for(partition, region, account_id, resource_id),
            name=name or resource_id,
            account_id=account_id,
            region=region,
        )

    def references(self) -> Iterator[Reference]:
        """Links to resources of other services (buckets, roles...) that this record uses."""
        return iter(())

    def subject_arn(self, service: str) -> str:
        """The ARN findings about this record carry (a region or account record names the checked service)."""
        return self.arn

    def matches(self, key: str) -> bool:
        """Whether `key` (a name, an ARN...) designates this record; lookups by checks go through it."""
        return key in (self.name, self.arn)

    @property
    def partition(self) -> str:
        parts = self.arn.split(":", 2)
        return parts[1] if len(parts) > 2 and parts[0] == "arn" else "aws"

    def kms_key_ref(self, key: str | None) -> Reference | None:
        """A reference to a KMS key given as an id, key ARN, alias name or alias ARN, made canonical: an ARN in
        this record's region and account unless the key was already named by ARN."""
        canonical = canonical_kms_key(key, self.partition, self.region, self.account_id)
        return Reference(RefKind.KMS_KEY, canonical) if canonical else None


def canonical_kms_key(key: str | None, partition: str, region: str, account_id: str) -> str | None:
    """`alias/x` -> `arn:<p>:kms:<region>:<account>:alias/x`; a bare key id -> `...:key/<id>`; ARNs unchanged."""
    if not key:
        return None
    if key.startswith("arn:"):
        return key
    resource = key if key.startswith("alias/") else f"key/{key}"
    return f"arn:{partition}:kms:{region}:{account_id}:{resource}"


def s3_bucket_of(uri: str | None) -> str | None:
    """The bucket name in an s3:// URI, or None for anything else."""
    if not uri or not uri.startswith("s3://"):
        return None
    bucket = uri[len("s3://") :].split("/", 1)[0]
    return bucket or None


def role_refs(*roles: str | None) -> Iterator[Reference]:
    """References to the IAM roles a record names (None and empty values skipped)."""
    for role in roles:
        if role:
            yield Reference(RefKind.IAM_ROLE, role)


def s3_refs(*uris: str | None) -> Iterator[Reference]:
    """References to the S3 locations a record names (only `s3://` URIs)."""
    for uri in uris:
        if uri and uri.startswith("s3://"):
            yield Reference(RefKind.S3, uri)


def kms_refs(record: Record, *keys: str | None) -> Iterator[Reference]:
    """References to the KMS keys a record names, canonical in its account and region."""
    for key in keys:
        ref = record.kms_key_ref(key)
        if ref:
            yield ref
