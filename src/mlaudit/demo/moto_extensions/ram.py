"""AWS RAM: moto (5.2) refuses to share SageMaker resources ("You cannot share the selected resource type"), which
AWS shares (model package groups, pipelines, feature groups, hubs, lineage groups, resource catalogs), and lacks
ListResources and ListPrincipals.

The create override shares SageMaker resources as AWS does (moto still validates the principals and every other
resource); the list operations answer the owner's shared resources and principals, filtered and paged as AWS does.
A resource's type is RAM's `<service>:<Type>` (`sagemaker:ModelPackageGroup`); a principal is `external` when it
is neither the owner's organization, one of its OUs, nor one of its accounts (or a role or user in one).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from moto.organizations.models import organizations_backends
from moto.ram.models import ResourceShare
from moto.ram.responses import ResourceAccessManagerResponse
from moto.utilities.utils import get_partition

from mlaudit.demo.moto_extensions.paging import page

RESPONSE_CLASS = ResourceAccessManagerResponse

Operation = Callable[[ResourceAccessManagerResponse], str]

SAGEMAKER_TYPES = {
    "model-package-group": "sagemaker:ModelPackageGroup",
    "pipeline": "sagemaker:Pipeline",
    "feature-group": "sagemaker:FeatureGroup",
    "hub": "sagemaker:Hub",
    "lineage-group": "sagemaker:LineageGroup",
    "sagemaker-catalog": "sagemaker:SagemakerCatalog",
}
"""The SageMaker resources AWS RAM shares, by the resource part of their ARN."""


def _resource_type(arn: str) -> str | None:
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return None
    if parts[2] == "sagemaker":
        return SAGEMAKER_TYPES.get(parts[5].split("/", 1)[0])
    resource = parts[5].split("/", 1)[0].split(":", 1)[0]
    return f"{parts[2]}:{''.join(word.capitalize() for word in resource.split('-'))}"


def _create_resource_share(create_resource_share: Operation) -> Operation:
    def wrapped(self: ResourceAccessManagerResponse) -> str:
        params = self.request_params
        arns: list[str] = params.get("resourceArns", [])
        sagemaker = [arn for arn in arns if arn.split(":", 3)[2:3] == ["sagemaker"] and _resource_type(arn)]
        if not sagemaker:
            return create_resource_share(self)
        share = ResourceShare(self.current_account, self.region, **params)
        share.add_principals(params.get("principals", []))
        share.add_resources([arn for arn in arns if arn not in sagemaker])
        share.resource_arns.extend(sagemaker)
        self.ram_backend.resource_shares.append(share)
        answer = share.describe()
        answer.pop("featureSet")
        return json.dumps({"resourceShare": answer})

    return wrapped


def _owned(self: ResourceAccessManagerResponse) -> list[ResourceShare]:
    """The caller's active shares that the request names (all of them when it names none)."""
    wanted = set(self._get_param("resourceShareArns") or [])
    return [
        share
        for share in self.ram_backend.resource_shares
        if share.status == "ACTIVE" and (not wanted or share.arn in wanted)
    ]


def _paged(self: ResourceAccessManagerResponse, key: str, items: list[dict[str, Any]]) -> str:
    return json.dumps(page(self, key, items, token="nextToken", size="maxResults", default_size=500))


def list_resources(self: ResourceAccessManagerResponse) -> str:
    wanted_type, wanted_arns = self._get_param("resourceType"), set(self._get_param("resourceArns") or [])
    resources = [
        {
            "arn": arn,
            "type": _resource_type(arn),
            "resourceShareArn": share.arn,
            "status": "AVAILABLE",
            "creationTime": share.describe()["creationTime"],
            "lastUpdatedTime": share.describe()["lastUpdatedTime"],
            "resourceRegionScope": "REGIONAL",
        }
        for share in _owned(self)
        for arn in share.resource_arns
        if (wanted_type is None or _resource_type(arn) == wanted_type) and (not wanted_arns or arn in wanted_arns)
    ]
    return _paged(self, "resources", resources)


def _inside(self: ResourceAccessManagerResponse, principal: str) -> bool:
    """Whether a principal is the owner's account, organization, one of its OUs or accounts (or an identity in
    one)."""
    organizations = organizations_backends[self.current_account][get_partition(self.region)]
    organization = organizations.org
    accounts = {self.current_account} | ({a.id for a in organizations.accounts} if organization else set())
    account = principal if principal.isdigit() else principal.split(":")[4] if principal.count(":") >= 5 else ""
    if organization and principal.startswith(f"arn:{get_partition(self.region)}:organizations:"):
        return f"/{organization.id}" in principal
    return account in accounts


def list_principals(self: ResourceAccessManagerResponse) -> str:
    wanted = set(self._get_param("principals") or [])
    principals = [
        {
            "id": principal,
            "resourceShareArn": share.arn,
            "creationTime": share.describe()["creationTime"],
            "lastUpdatedTime": share.describe()["lastUpdatedTime"],
            "external": not _inside(self, principal),
        }
        for share in _owned(self)
        for principal in share.principals
        if not wanted or principal in wanted
    ]
    return _paged(self, "principals", principals)


OPERATIONS = {"list_resources": list_resources, "list_principals": list_principals}
URL_PATHS = ("{0}/listresources$", "{0}/listprincipals$")
"""RAM routes each operation by its path (botocore's requestUri), which moto's routes lack for these two."""
OVERRIDES = {"create_resource_share": _create_resource_share}
