"""ECR collectors: the repositories whose images ML resources run (one DescribeRepositories each, by name: a list
that named a deleted repository would fail whole), and the registry's scanning configuration of each region that
holds one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from mlaudit.collect.engine.census import one_call_each
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import DescribeReferenced
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory import Identity, RefKind
from mlaudit.inventory.ecr import EcrRegistryScanning, EcrRepository, ScanningRule

MAX_LISTED_USERS = 20
DESCRIBE_REPOSITORIES = Operation("ecr:DescribeRepositories")
GET_REGISTRY_SCANNING_CONFIGURATION = Operation("ecr:GetRegistryScanningConfiguration")


def _repository(identity: Identity, r: dict[str, Any], users: list[str]) -> EcrRepository:
    encryption = r.get("encryptionConfiguration") or {}
    return EcrRepository(
        **identity,
        registry_id=r.get("registryId") or identity["account_id"],
        tag_mutability=r.get("imageTagMutability"),
        tag_mutability_exclusions=tuple(
            f.get("filter") or "" for f in r.get("imageTagMutabilityExclusionFilters") or ()
        ),
        scan_on_push=bool((r.get("imageScanningConfiguration") or {}).get("scanOnPush")),
        encryption_type=encryption.get("encryptionType"),
        kms_key_id=encryption.get("kmsKey"),
        used_by=tuple(users[:MAX_LISTED_USERS]),
        use_count=len(users),
    )


def _registry_scanning(ctx: CollectContext) -> Iterator[EcrRegistryScanning]:
    if not ctx.dependency(EcrRepository):
        return
    answer = ctx.call(GET_REGISTRY_SCANNING_CONFIGURATION) or {}
    config = answer.get("scanningConfiguration") or {}
    yield EcrRegistryScanning(
        **ctx.identity(str(answer.get("registryId") or ctx.account_id)),
        scan_type=config.get("scanType") or "BASIC",
        rules=tuple(
            ScanningRule(
                frequency=rule.get("scanFrequency") or "MANUAL",
                filters=tuple(f.get("filter") or "" for f in rule.get("repositoryFilters") or ()),
            )
            for rule in config.get("rules") or ()
        ),
    )


def _registry_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """One call in each region holding an ML repository."""
    held = census.records(EcrRepository, account_id, region)
    return one_call_each(GET_REGISTRY_SCANNING_CONFIGURATION) if held else Counter()


COLLECTORS = (
    PartCollector(
        EcrRepository,
        DescribeReferenced(
            RefKind.ECR_REPOSITORY,
            DESCRIBE_REPOSITORIES,
            lambda name: {"repositoryNames": [name]},
            "repositories",
            _repository,
            absent=frozenset({"RepositoryNotFoundException"}),
        ),
    ),
    PartCollector(
        EcrRegistryScanning,
        _registry_scanning,
        calls=(GET_REGISTRY_SCANNING_CONFIGURATION,),
        depends_on=(EcrRepository,),
        minimum=_registry_minimum,
    ),
)
