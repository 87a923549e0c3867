"""Studio domains: listed, then described one by one (the summaries hold neither network mode nor key)."""

from __future__ import annotations

from typing import Any

from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListThenDescribe
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.inventory import Identity
from mlaudit.inventory.sagemaker_studio import StudioDomain


def _domain(identity: Identity, d: dict[str, Any]) -> StudioDomain:
    return StudioDomain(
        **identity,
        domain_id=str(d.get("DomainId") or identity["arn"].rsplit("/", 1)[-1]),
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
        ListThenDescribe(
            Operation("sagemaker:ListDomains"),
            "Domains",
            Operation("sagemaker:DescribeDomain"),
            Listed(id="DomainId", name="DomainName", arn="DomainArn"),
            _domain,
        ),
    ),
)
