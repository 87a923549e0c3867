"""Region and account records: derived from the inventory, no API call of their own."""

from __future__ import annotations

from collections.abc import Iterator

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import AccountScope, Endpoint, NotebookInstance, RegionScope, TrainingJob


def _region(ctx: CollectContext) -> Iterator[RegionScope]:
    if ctx.input_errors:
        return  # counts from incomplete inputs could hide a region's workloads: its checks report ERROR instead
    yield RegionScope(
        arn=f"arn:{ctx.partition}:sagemaker:{ctx.region}:{ctx.account_id}:*",
        name=ctx.region,
        account_id=ctx.account_id,
        region=ctx.region,
        endpoints=len(ctx.dependency(Endpoint)),
        training_jobs=len(ctx.dependency(TrainingJob)),
        notebook_instances=len(ctx.dependency(NotebookInstance)),
    )


def _account(ctx: CollectContext) -> Iterator[AccountScope]:
    if ctx.input_errors:
        return  # a region whose workloads are unknown could be the one that makes the account an ML account
    ml_regions = [
        region
        for region in ctx.inventory.regions
        if any(scope.hosts_ml_workloads for scope in ctx.dependency(RegionScope, region))
    ]
    yield AccountScope(
        arn=f"arn:{ctx.partition}:iam::{ctx.account_id}:root",
        name=ctx.account_id,
        account_id=ctx.account_id,
        region=ctx.region,
        ml_regions=tuple(ml_regions),
    )


COLLECTORS = (
    PartCollector(RegionScope, _region, depends_on=(Endpoint, TrainingJob, NotebookInstance)),
    PartCollector(AccountScope, _account, depends_on=(RegionScope,)),
)
