"""CloudWatch Logs collector: the log groups ML workloads write to, found by name, never the account's whole list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory.bedrock import InvocationLogDestination
from mlaudit.inventory.logs import LogGroup

SAGEMAKER_PREFIX = "/aws/sagemaker/"
SAGEMAKER = "SageMaker"
BEDROCK_INVOCATIONS = "Bedrock model invocation logging"
DESCRIBE_LOG_GROUPS = Operation("logs:DescribeLogGroups")


def _log_groups(ctx: CollectContext) -> Iterator[LogGroup]:
    """Every `/aws/sagemaker/` group, and the group Bedrock invocation logging names (found by prefix, kept if the
    name is exact)."""
    found: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for group in ctx.paginate(DESCRIBE_LOG_GROUPS, "logGroups", logGroupNamePrefix=SAGEMAKER_PREFIX):
        found[group.get("logGroupName") or ""] = (group, [SAGEMAKER])
    for name in sorted({d.log_group_name for d in ctx.dependency(InvocationLogDestination) if d.log_group_name}):
        if name in found:  # already listed under /aws/sagemaker/
            found[name][1].append(BEDROCK_INVOCATIONS)
            continue
        for group in ctx.paginate(DESCRIBE_LOG_GROUPS, "logGroups", logGroupNamePrefix=name):
            if group.get("logGroupName") == name:
                found.setdefault(name, (group, []))[1].append(BEDROCK_INVOCATIONS)
    for name, (group, written_by) in sorted(found.items()):
        arn = group.get("logGroupArn") or str(group.get("arn") or "").removesuffix(":*")
        yield LogGroup(
            **ctx.identity(name, arn=arn or None),
            kms_key_id=group.get("kmsKeyId"),
            retention_days=group.get("retentionInDays"),
            written_by=tuple(written_by),
        )


def _minimum(census: Census, account_id: str, region: str) -> Counter[str]:
    """The `/aws/sagemaker/` groups (at the page size asked for), and a lookup of each invocation log group not
    among them."""
    groups = census.records(LogGroup, account_id, region)
    sagemaker = sum(1 for group in groups if group.name.startswith(SAGEMAKER_PREFIX))
    named = {d.log_group_name for d in census.records(InvocationLogDestination, account_id, region) if d.log_group_name}
    lookups = sum(1 for name in named if not name.startswith(SAGEMAKER_PREFIX))
    return Counter({str(DESCRIBE_LOG_GROUPS): census.pages(DESCRIBE_LOG_GROUPS, sagemaker) + lookups})


COLLECTORS = (
    PartCollector(
        LogGroup,
        _log_groups,
        calls=(DESCRIBE_LOG_GROUPS,),
        depends_on=(InvocationLogDestination,),
        minimum=_minimum,
    ),
)
