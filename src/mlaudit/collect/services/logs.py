"""CloudWatch Logs collector: the log groups ML workloads write to, found by name, never the account's whole list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory.bedrock import InvocationLogDestination
from mlaudit.inventory.logs import LogGroup

SAGEMAKER_PREFIX = "/aws/sagemaker/"
SAGEMAKER = "SageMaker"
BEDROCK_INVOCATIONS = "Bedrock model invocation logging"


def _log_groups(ctx: CollectContext) -> Iterator[LogGroup]:
    """Every `/aws/sagemaker/` group, and the group Bedrock invocation logging names (found by prefix, kept if the
    name is exact)."""
    found: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for group in ctx.paginate("describe_log_groups", "logGroups", logGroupNamePrefix=SAGEMAKER_PREFIX):
        found[group.get("logGroupName") or ""] = (group, [SAGEMAKER])
    for name in sorted({d.log_group_name for d in ctx.dependency(InvocationLogDestination) if d.log_group_name}):
        if name in found:  # already listed under /aws/sagemaker/
            found[name][1].append(BEDROCK_INVOCATIONS)
            continue
        for group in ctx.paginate("describe_log_groups", "logGroups", logGroupNamePrefix=name):
            if group.get("logGroupName") == name:
                found.setdefault(name, (group, []))[1].append(BEDROCK_INVOCATIONS)
    for name, (group, written_by) in sorted(found.items()):
        arn = group.get("logGroupArn") or str(group.get("arn") or "").removesuffix(":*")
        yield LogGroup(
            arn=arn or f"arn:{ctx.partition}:logs:{ctx.region}:{ctx.account_id}:log-group:{name}",
            name=name,
            account_id=ctx.account_id,
            region=ctx.region,
            kms_key_id=group.get("kmsKeyId"),
            retention_days=group.get("retentionInDays"),
            written_by=tuple(written_by),
        )


COLLECTORS = (
    PartCollector(LogGroup, ("logs:DescribeLogGroups",), _log_groups, depends_on=(InvocationLogDestination,)),
)
