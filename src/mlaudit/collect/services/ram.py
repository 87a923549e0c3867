"""AWS RAM shares of SageMaker resources that this account owns: the resources it shares (one ListResources, every
share at once), and only when SageMaker resources are among them, the shares and their principals (RAM answers
whether each principal is outside the organization)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from mlaudit.collect.engine.census import one_call_each
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory.ram import RamResourceShare, SharedResource, SharePrincipal

LIST_RESOURCES = Operation("ram:ListResources")
GET_RESOURCE_SHARES = Operation("ram:GetResourceShares")
LIST_PRINCIPALS = Operation("ram:ListPrincipals")
OWNED = "SELF"


def _is_sagemaker(arn: str) -> bool:
    return arn.split(":", 3)[2:3] == ["sagemaker"]


def _shares(ctx: CollectContext) -> Iterator[RamResourceShare]:
    shared: dict[str, list[SharedResource]] = {}
    for resource in ctx.paginate(LIST_RESOURCES, "resources", resourceOwner=OWNED):
        arn, share = resource.get("arn") or "", resource.get("resourceShareArn")
        if share and _is_sagemaker(arn):
            shared.setdefault(share, []).append(SharedResource(arn=arn, type=resource.get("type")))
    if not shared:
        return
    arns = sorted(shared)
    principals: dict[str, list[SharePrincipal]] = {}
    for principal in ctx.paginate(LIST_PRINCIPALS, "principals", resourceOwner=OWNED, resourceShareArns=arns):
        principals.setdefault(principal.get("resourceShareArn") or "", []).append(
            SharePrincipal(id=principal.get("id") or "", external=bool(principal.get("external")))
        )
    for share in ctx.paginate(GET_RESOURCE_SHARES, "resourceShares", resourceOwner=OWNED, resourceShareArns=arns):
        arn = share.get("resourceShareArn") or ""
        if arn in shared:
            yield RamResourceShare(
                arn=arn,
                name=share.get("name") or arn.rsplit("/", 1)[-1],
                account_id=ctx.account_id,
                region=ctx.region,
                status=share.get("status") or "UNKNOWN",
                allow_external_principals=bool(share.get("allowExternalPrincipals")),
                resources=tuple(shared[arn]),
                principals=tuple(principals.get(arn, ())),
            )


def _minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """The list of shared resources; the shares and their principals only where SageMaker resources are shared."""
    shares = census.records(RamResourceShare, account_id, region)
    if not shares:
        return one_call_each(LIST_RESOURCES)
    return one_call_each(LIST_RESOURCES, GET_RESOURCE_SHARES, LIST_PRINCIPALS)


COLLECTORS = (
    PartCollector(
        RamResourceShare,
        _shares,
        calls=(LIST_RESOURCES, GET_RESOURCE_SHARES, LIST_PRINCIPALS),
        minimum=_minimum,
    ),
)
