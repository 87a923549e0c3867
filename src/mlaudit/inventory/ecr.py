"""ECR records for the repositories that hold the images ML resources run (a model's containers, a training,
tuning or processing job's image), found by following their image URIs; and each region's registry scanning.

Only repositories of the scanned account in the resource's own region are followed (SageMaker pulls images from
its own region); images of AWS's accounts (the deep learning containers, the built-in algorithms) are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, Value

_IMAGE_URI = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?/(?P<repository>[^:@]+)"
)


def image_repository_refs(record: Record, *images: str | None) -> Iterator[Reference]:
    """References to the ECR repositories of the images a record runs (`<account>.dkr.ecr.<region>...
    /<repository>:<tag>`); images of other registries (Docker Hub, a private registry) name none."""
    for image in images:
        match = _IMAGE_URI.match(image or "")
        if match:
            arn = f"arn:{record.partition}:ecr:{match['region']}:{match['account']}:repository/{match['repository']}"
            yield Reference(RefKind.ECR_REPOSITORY, arn)


class EcrRepository(Record):
    """A private repository of the account holding an image that ML resources run; named by its name."""

    part: ClassVar[str] = "ecr.repository"
    service: ClassVar[str] = "ecr"
    resource_type: ClassVar[str] = "AWS::ECR::Repository"
    label: ClassVar[str] = "ML image repositories"
    arn_resource: ClassVar[str] = "repository/{id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.KMS_KEY})

    registry_id: str
    tag_mutability: str | None = None
    """MUTABLE (AWS's default), IMMUTABLE, IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION."""
    tag_mutability_exclusions: tuple[str, ...] = ()
    """The tag filters excepted from the repository's mutability setting."""
    scan_on_push: bool = False
    """The repository's own (basic) scan-on-push setting, which enhanced registry scanning ignores."""
    encryption_type: str | None = None
    """AES256 (AWS's default), KMS or KMS_DSSE."""
    kms_key_id: str | None = None
    """The key of KMS encryption; none given means the AWS managed key aws/ecr."""
    used_by: tuple[str, ...] = ()
    """ARNs of (at most the first 20) ML resources that run an image of the repository."""
    use_count: int = 0

    def references(self) -> Iterator[Reference]:
        ref = self.kms_key_ref(self.kms_key_id)
        if ref:
            yield ref


class ScanningRule(Value):
    frequency: str
    """SCAN_ON_PUSH, CONTINUOUS_SCAN or MANUAL."""
    filters: tuple[str, ...] = ()
    """Wildcard repository filters (`*` matches any characters)."""

    def covers(self, repository: str) -> bool:
        return any(re.fullmatch(".*".join(map(re.escape, f.split("*"))), repository) for f in self.filters)


class EcrRegistryScanning(Record):
    """The scanning configuration of the account's registry in a region with ML repositories (named by region)."""

    part: ClassVar[str] = "ecr.registry_scanning"
    service: ClassVar[str] = "ecr"
    resource_type: ClassVar[str] = "AWS::ECR::RegistryScanningConfiguration"
    label: ClassVar[str] = "ECR registry scanning configurations"
    arn_resource: ClassVar[str] = "registry/{id}"

    scan_type: str = "BASIC"
    """BASIC (Amazon ECR's own scanning) or ENHANCED (Amazon Inspector)."""
    rules: tuple[ScanningRule, ...] = ()

    def scanning(self, repository: EcrRepository) -> str | None:
        """How the repository's images are scanned, in words; None when they are not. With enhanced scanning only
        the registry's rules count (Inspector ignores the repository's own setting)."""
        for rule in self.rules:
            if rule.frequency != "MANUAL" and rule.covers(repository.name):
                return (
                    f"{self.scan_type.lower()} scanning ({rule.frequency.replace('_', ' ').lower()}) by a registry rule"
                )
        if self.scan_type == "BASIC" and repository.scan_on_push:
            return "basic scanning on push (the repository's setting)"
        return None
