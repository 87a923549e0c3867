"""Studio domains: listed, then described one by one (the summaries hold neither network mode nor key)."""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.patterns import ListThenDescribe
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory.sagemaker_studio import StudioDomain


def _domain(ctx: CollectContext, d: dict[str, Any]) -> StudioDomain:
    domain_id = str(d.get("DomainId") or "")
    return StudioDomain(
        arn=d.get("DomainArn") or f"arn:{ctx.partition}:sagemaker:{ctx.region}:{ctx.account_id}:domain/{domain_id}",
        name=d.get("DomainName") or domain_id,
        account_id=ctx.account_id,
        region=ctx.region,
        domain_id=domain_id,
        status=d.get("Status") or "Unknown",
        app_network_access_type=d.get("AppNetworkAccessType"),
        kms_key_id=d.get("KmsKeyId") or d.get("HomeEfsFileSystemKmsKeyId"),
        vpc_id=d.get("VpcId"),
        subnet_ids=tuple(d.get("SubnetIds") or ()),
        auth_mode=d.get("AuthMode"),
        default_execution_role_arn=(d.get("DefaultUserSettings") or {}).get("ExecutionRole"),
        creation_time=d.get("CreationTime"),
    )


COLLECTORS = (
    PartCollector(
        StudioDomain,
        ("sagemaker:ListDomains", "sagemaker:DescribeDomain"),
        ListThenDescribe("list_domains", "Domains", "DomainId", "DomainArn", "describe_domain", _domain),
    ),
)
