"""Macie collectors: in each region holding ML buckets of the account, the Macie session, its automated sensitive
data discovery, and the buckets its classification scope excludes. A region where Macie is not enabled answers
GetMacieSession with AccessDeniedException "Macie is not enabled": that is Macie's state, not a denied call."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from mlaudit.collect.accounts.failures import CallFailed
from mlaudit.collect.engine.answers import dig
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory import S3Bucket
from mlaudit.inventory.macie import MacieDiscovery

GET_MACIE_SESSION = Operation("macie2:GetMacieSession")
GET_AUTOMATED_DISCOVERY_CONFIGURATION = Operation("macie2:GetAutomatedDiscoveryConfiguration")
GET_CLASSIFICATION_SCOPE = Operation("macie2:GetClassificationScope")
NOT_ENABLED = "Macie is not enabled"


def _session_status(ctx: CollectContext) -> str | None:
    """ENABLED or PAUSED; None when Macie is not enabled in the region."""
    try:
        return (ctx.call(GET_MACIE_SESSION) or {}).get("status") or "ENABLED"
    except CallFailed as failed:
        if failed.error.error_code == "AccessDeniedException" and NOT_ENABLED in failed.error.message:
            return None
        raise


def _discovery(ctx: CollectContext) -> Iterator[MacieDiscovery]:
    if not any(bucket.in_account and bucket.region == ctx.region for bucket in ctx.dependency(S3Bucket)):
        return
    status = _session_status(ctx)
    automated = scope_id = None
    excluded: tuple[str, ...] = ()
    if status == "ENABLED":
        config = ctx.call(GET_AUTOMATED_DISCOVERY_CONFIGURATION) or {}
        automated, scope_id = config.get("status") or "DISABLED", config.get("classificationScopeId")
        if automated == "ENABLED" and scope_id:
            scope = ctx.call(GET_CLASSIFICATION_SCOPE, id=scope_id) or {}
            excluded = tuple(sorted(dig(scope, "s3", "excludes", "bucketNames") or ()))
    yield MacieDiscovery(
        **ctx.identity(ctx.region),
        status=status,
        automated_discovery=automated,
        excluded_buckets=excluded,
        classification_scope_id=scope_id,
    )


def _discovery_minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """The session; its automated discovery when Macie is enabled; the scope when discovery is enabled."""
    calls: Counter[str] = Counter()
    for discovery in census.records(MacieDiscovery, account_id, region):
        calls[str(GET_MACIE_SESSION)] += 1
        if discovery.status == "ENABLED":
            calls[str(GET_AUTOMATED_DISCOVERY_CONFIGURATION)] += 1
        if discovery.automated_discovery == "ENABLED" and discovery.classification_scope_id:
            calls[str(GET_CLASSIFICATION_SCOPE)] += 1
    return calls


COLLECTORS = (
    PartCollector(
        MacieDiscovery,
        _discovery,
        calls=(GET_MACIE_SESSION, GET_AUTOMATED_DISCOVERY_CONFIGURATION, GET_CLASSIFICATION_SCOPE),
        depends_on=(S3Bucket,),
        minimum=_discovery_minimum,
    ),
)
