"""Studio user profiles, spaces, apps and Studio lifecycle configurations (create, list, describe; apps also
delete), which moto 5.x does not implement; and the single sign-on fields moto invents for IAM domains.

Answers have the shapes of botocore's sagemaker model: the Describe answers in full, the List answers as their
summaries (`UserProfileDetails`, `SpaceDetails`, `AppDetails`, `StudioLifecycleConfigDetails`), one page at a time.
A profile, space or app of a domain that does not exist, or that is missing, is `ResourceNotFound`, as AWS answers.
Resources are ready at once (AWS passes through Pending): profiles and spaces InService, apps InService. An app
created without a ResourceSpec answers the instance AWS gives its type by default (ml.t3.medium; `system` for the
JupyterServer and KernelGateway apps of Studio Classic).

moto answers DescribeDomain with a SingleSignOnManagedApplicationInstanceId and SingleSignOnApplicationArn of its
own invention for every domain; AWS gives them only to domains that authenticate through IAM Identity Center
(AuthMode SSO): the override leaves them out of IAM domains.

What users do in an app has no API: `record_app_activity` sets the time of its last user activity and health check,
as SageMaker would report them, in this process's moto (tests run moto in-process, and so does the demo's server).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ResourceInUseException, ResourceNotFound
from moto.sagemaker.models import SageMakerModelBackend, sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

from mlaudit.demo.moto_extensions.paging import page
from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = SageMakerResponse

Operation = Callable[[SageMakerResponse], ActionResult]

CLASSIC_APPS = frozenset({"JupyterServer", "KernelGateway"})
DEFAULT_INSTANCE_TYPE = "ml.t3.medium"
SSO_FIELDS = ("SingleSignOnManagedApplicationInstanceId", "SingleSignOnApplicationArn")


def _state(self: SageMakerResponse, kind: str) -> dict[str, dict[str, Any]]:
    return backend_state(self.sagemaker_backend, f"studio_{kind}")


def _arn(self: SageMakerResponse, resource: str) -> str:
    return f"arn:aws:sagemaker:{self.region}:{self.current_account}:{resource.lower()}"


def _domain_id(self: SageMakerResponse) -> str:
    """The request's DomainId, of a domain that exists (ResourceNotFound otherwise)."""
    domain_id = str(self._get_param("DomainId"))
    if domain_id not in self.sagemaker_backend.domains:
        raise ResourceNotFound(message=f"Domain {domain_id} does not exist")
    return domain_id


def _get(self: SageMakerResponse, kind: str, key: str, label: str) -> dict[str, Any]:
    found = _state(self, kind).get(key)
    if found is None:
        raise ResourceNotFound(message=f"{label} {key} does not exist")
    return found


def _add(self: SageMakerResponse, kind: str, key: str, resource: dict[str, Any]) -> None:
    resources = _state(self, kind)
    if key in resources:
        raise ResourceInUseException(message=f"{key} already exists")
    resources[key] = resource


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def _listed(self: SageMakerResponse, kind: str, fields: tuple[str, ...], **equals: str) -> list[dict[str, Any]]:
    """The summaries of `kind`, filtered by the request's `...Equals` parameters (field -> parameter)."""
    wanted = {field: self._get_param(param) for field, param in equals.items()}
    return [
        _present({field: resource.get(field) for field in fields})
        for resource in _state(self, kind).values()
        if all(value is None or resource.get(field) == value for field, value in wanted.items())
    ]


# -- user profiles --------------------------------------------------------------------------------------------
PROFILE_SUMMARY = ("DomainId", "UserProfileName", "Status", "CreationTime", "LastModifiedTime")


def create_user_profile(self: SageMakerResponse) -> ActionResult:
    domain_id, name = _domain_id(self), str(self._get_param("UserProfileName"))
    arn = _arn(self, f"user-profile/{domain_id}/{name}")
    now = datetime.now(UTC)
    profile = {
        "DomainId": domain_id,
        "UserProfileArn": arn,
        "UserProfileName": name,
        "HomeEfsFileSystemUid": "200001",
        "Status": "InService",
        "CreationTime": now,
        "LastModifiedTime": now,
        "SingleSignOnUserIdentifier": self._get_param("SingleSignOnUserIdentifier"),
        "SingleSignOnUserValue": self._get_param("SingleSignOnUserValue"),
        "UserSettings": self._get_param("UserSettings"),
    }
    _add(self, "user_profiles", f"{domain_id}/{name}", _present(profile))
    return ActionResult({"UserProfileArn": arn})


def describe_user_profile(self: SageMakerResponse) -> ActionResult:
    key = f"{self._get_param('DomainId')}/{self._get_param('UserProfileName')}"
    return ActionResult(_get(self, "user_profiles", key, "User profile"))


def list_user_profiles(self: SageMakerResponse) -> ActionResult:
    profiles = _listed(self, "user_profiles", PROFILE_SUMMARY, DomainId="DomainIdEquals")
    return ActionResult(page(self, "UserProfiles", profiles))


# -- spaces ---------------------------------------------------------------------------------------------------
def _space_summary(space: dict[str, Any]) -> dict[str, Any]:
    settings = space.get("SpaceSettings") or {}
    return _present(
        {
            **{key: space.get(key) for key in ("DomainId", "SpaceName", "Status", "CreationTime", "LastModifiedTime")},
            "SpaceSettingsSummary": _present(
                {key: settings.get(key) for key in ("AppType", "RemoteAccess", "SpaceStorageSettings")}
            )
            or None,
            "SpaceSharingSettingsSummary": space.get("SpaceSharingSettings"),
            "OwnershipSettingsSummary": space.get("OwnershipSettings"),
            "SpaceDisplayName": space.get("SpaceDisplayName"),
        }
    )


def create_space(self: SageMakerResponse) -> ActionResult:
    domain_id, name = _domain_id(self), str(self._get_param("SpaceName"))
    arn = _arn(self, f"space/{domain_id}/{name}")
    now = datetime.now(UTC)
    space = {
        "DomainId": domain_id,
        "SpaceArn": arn,
        "SpaceName": name,
        "HomeEfsFileSystemUid": "200002",
        "Status": "InService",
        "CreationTime": now,
        "LastModifiedTime": now,
        "SpaceSettings": self._get_param("SpaceSettings"),
        "OwnershipSettings": self._get_param("OwnershipSettings"),
        "SpaceSharingSettings": self._get_param("SpaceSharingSettings"),
        "SpaceDisplayName": self._get_param("SpaceDisplayName"),
        "Url": f"https://{domain_id}.studio.{self.region}.sagemaker.aws/jupyterlab/default",
    }
    _add(self, "spaces", f"{domain_id}/{name}", _present(space))
    return ActionResult({"SpaceArn": arn})


def describe_space(self: SageMakerResponse) -> ActionResult:
    key = f"{self._get_param('DomainId')}/{self._get_param('SpaceName')}"
    return ActionResult(_get(self, "spaces", key, "Space"))


def list_spaces(self: SageMakerResponse) -> ActionResult:
    domain = self._get_param("DomainIdEquals")
    spaces = [
        _space_summary(space)
        for space in _state(self, "spaces").values()
        if domain is None or space["DomainId"] == domain
    ]
    return ActionResult(page(self, "Spaces", spaces))


# -- apps -----------------------------------------------------------------------------------------------------
APP_SUMMARY = (
    "DomainId",
    "UserProfileName",
    "SpaceName",
    "AppType",
    "AppName",
    "Status",
    "CreationTime",
    "ResourceSpec",
)


def _app_key(domain_id: str, owner: str, app_type: str, app_name: str) -> str:
    return f"{domain_id}/{owner}/{app_type.lower()}/{app_name}"


def _requested_app_key(self: SageMakerResponse) -> str:
    owner = self._get_param("SpaceName") or self._get_param("UserProfileName") or ""
    return _app_key(str(self._get_param("DomainId")), owner, self._get_param("AppType"), self._get_param("AppName"))


def create_app(self: SageMakerResponse) -> ActionResult:
    domain_id, app_type = _domain_id(self), str(self._get_param("AppType"))
    key = _requested_app_key(self)
    arn = _arn(self, f"app/{key}")
    now = datetime.now(UTC)
    default_type = "system" if app_type in CLASSIC_APPS else DEFAULT_INSTANCE_TYPE
    app = {
        "AppArn": arn,
        "AppType": app_type,
        "AppName": self._get_param("AppName"),
        "DomainId": domain_id,
        "UserProfileName": self._get_param("UserProfileName"),
        "SpaceName": self._get_param("SpaceName"),
        "Status": "InService",
        "LastHealthCheckTimestamp": now,
        "LastUserActivityTimestamp": now,
        "CreationTime": now,
        "ResourceSpec": {"InstanceType": default_type, **(self._get_param("ResourceSpec") or {})},
    }
    _add(self, "apps", key, _present(app))
    return ActionResult({"AppArn": arn})


def describe_app(self: SageMakerResponse) -> ActionResult:
    return ActionResult(_get(self, "apps", _requested_app_key(self), "App"))


def delete_app(self: SageMakerResponse) -> ActionResult:
    _get(self, "apps", _requested_app_key(self), "App")["Status"] = "Deleted"
    return ActionResult({})


def list_apps(self: SageMakerResponse) -> ActionResult:
    apps = _listed(
        self,
        "apps",
        APP_SUMMARY,
        DomainId="DomainIdEquals",
        UserProfileName="UserProfileNameEquals",
        SpaceName="SpaceNameEquals",
    )
    return ActionResult(page(self, "Apps", apps))


# -- Studio lifecycle configurations --------------------------------------------------------------------------
LIFECYCLE_SUMMARY = (
    "StudioLifecycleConfigArn",
    "StudioLifecycleConfigName",
    "CreationTime",
    "LastModifiedTime",
    "StudioLifecycleConfigAppType",
)


def create_studio_lifecycle_config(self: SageMakerResponse) -> ActionResult:
    name = str(self._get_param("StudioLifecycleConfigName"))
    arn = _arn(self, f"studio-lifecycle-config/{name}")
    now = datetime.now(UTC)
    config = {
        "StudioLifecycleConfigArn": arn,
        "StudioLifecycleConfigName": name,
        "CreationTime": now,
        "LastModifiedTime": now,
        "StudioLifecycleConfigContent": self._get_param("StudioLifecycleConfigContent"),
        "StudioLifecycleConfigAppType": self._get_param("StudioLifecycleConfigAppType"),
    }
    _add(self, "lifecycle_configs", name, config)
    return ActionResult({"StudioLifecycleConfigArn": arn})


def describe_studio_lifecycle_config(self: SageMakerResponse) -> ActionResult:
    name = str(self._get_param("StudioLifecycleConfigName"))
    return ActionResult(_get(self, "lifecycle_configs", name, "Studio lifecycle config"))


def list_studio_lifecycle_configs(self: SageMakerResponse) -> ActionResult:
    configs = _listed(self, "lifecycle_configs", LIFECYCLE_SUMMARY, StudioLifecycleConfigAppType="AppTypeEquals")
    return ActionResult(page(self, "StudioLifecycleConfigs", configs))


# -- domains --------------------------------------------------------------------------------------------------
def describe_domain(original: Operation) -> Operation:
    def describe(self: SageMakerResponse) -> ActionResult:
        described = original(self).result
        assert isinstance(described, dict)
        if described.get("AuthMode") == "IAM":
            described = {key: value for key, value in described.items() if key not in SSO_FIELDS}
        return ActionResult(described)

    return describe


def record_app_activity(
    region: str,
    domain_id: str,
    owner: str,
    app_type: str,
    app_name: str,
    *,
    last_user_activity: datetime,
    last_health_check: datetime | None = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> None:
    """Set when a user was last active in an existing app (`owner`: its space or user profile), and when SageMaker
    last checked its health (by default at the same time, as AWS reports an app without user activity since)."""
    backend: SageMakerModelBackend = sagemaker_backends[account_id][region]
    app = backend_state(backend, "studio_apps")[_app_key(domain_id, owner, app_type, app_name)]
    app["LastUserActivityTimestamp"] = last_user_activity
    app["LastHealthCheckTimestamp"] = last_health_check or last_user_activity


OPERATIONS = {
    "create_user_profile": create_user_profile,
    "describe_user_profile": describe_user_profile,
    "list_user_profiles": list_user_profiles,
    "create_space": create_space,
    "describe_space": describe_space,
    "list_spaces": list_spaces,
    "create_app": create_app,
    "describe_app": describe_app,
    "delete_app": delete_app,
    "list_apps": list_apps,
    "create_studio_lifecycle_config": create_studio_lifecycle_config,
    "describe_studio_lifecycle_config": describe_studio_lifecycle_config,
    "list_studio_lifecycle_configs": list_studio_lifecycle_configs,
}
OVERRIDES = {"describe_domain": describe_domain}
