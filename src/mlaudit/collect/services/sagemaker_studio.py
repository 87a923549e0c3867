"""Studio: domains (listed, then described: the summaries hold neither network mode nor key), their user profiles,
spaces and apps (listed per domain, then described: DescribeUserProfile, DescribeSpace and DescribeApp take the
domain's id and the child's names), and Studio lifecycle configurations (listed, then described).

A profile's or space's execution role and security groups are resolved here from the domain the child is listed
under: the profile's own or the domain's defaults for users; the domain's shared-space settings for shared spaces.
Lifecycle scripts are decoded, read for secret-looking lines and dropped: the record never holds their text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from mlaudit.collect.engine.answers import dig, first
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.patterns import Listed, ListPerRecord, ListThenDescribe
from mlaudit.collect.engine.spec import PartCollector
from mlaudit.core.secrets import scan_text, script_text
from mlaudit.inventory import Identity, Record
from mlaudit.inventory.sagemaker_notebooks import ScriptSecret
from mlaudit.inventory.sagemaker_studio import (
    CanvasSettings,
    IdleShutdown,
    NotebookSharing,
    StudioApp,
    StudioDomain,
    StudioLifecycleConfig,
    StudioSpace,
    StudioUserProfile,
    StudioUserSettings,
)

CANVAS_ROLES = (
    ("GenerativeAiSettings", "AmazonBedrockRoleArn"),
    ("TimeSeriesForecastingSettings", "AmazonForecastRoleArn"),
    ("ModelRegisterSettings", "CrossAccountModelRegisterRoleArn"),
    ("EmrServerlessSettings", "ExecutionRoleArn"),
)
"""Where CanvasAppSettings names the roles Canvas features pass."""


def _idle_shutdown(app_type: str, settings: Any) -> IdleShutdown | None:
    idle = dig(settings, "AppLifecycleManagement", "IdleSettings")
    if not isinstance(idle, dict):
        return None
    return IdleShutdown(
        app_type=app_type,
        lifecycle_management=dig(idle, "LifecycleManagement"),
        idle_timeout_minutes=dig(idle, "IdleTimeoutInMinutes"),
        max_idle_timeout_minutes=dig(idle, "MaxIdleTimeoutInMinutes"),
    )


def _canvas(canvas: Any) -> CanvasSettings | None:
    if not isinstance(canvas, dict):
        return None
    return CanvasSettings(
        workspace_s3_artifact_path=dig(canvas, "WorkspaceSettings", "S3ArtifactPath"),
        workspace_kms_key_id=dig(canvas, "WorkspaceSettings", "S3KmsKeyId"),
        workspace_set=isinstance(dig(canvas, "WorkspaceSettings"), dict),
        direct_deploy=dig(canvas, "DirectDeploySettings", "Status"),
        role_arns=tuple(role for path in CANVAS_ROLES if (role := dig(canvas, *path))),
    )


def _sharing(sharing: Any) -> NotebookSharing | None:
    if not isinstance(sharing, dict):
        return None
    return NotebookSharing(
        notebook_output_option=dig(sharing, "NotebookOutputOption"),
        s3_output_path=dig(sharing, "S3OutputPath"),
        s3_kms_key_id=dig(sharing, "S3KmsKeyId"),
    )


def user_settings(settings: Any) -> StudioUserSettings:
    """What a `UserSettings` structure (a domain's defaults or a profile's own) sets."""
    idle = (
        _idle_shutdown("JupyterLab", dig(settings, "JupyterLabAppSettings")),
        _idle_shutdown("CodeEditor", dig(settings, "CodeEditorAppSettings")),
    )
    return StudioUserSettings(
        execution_role_arn=dig(settings, "ExecutionRole"),
        security_group_ids=tuple(dig(settings, "SecurityGroups") or ()),
        notebook_sharing=_sharing(dig(settings, "SharingSettings")),
        canvas=_canvas(dig(settings, "CanvasAppSettings")),
        idle_shutdown=tuple(setting for setting in idle if setting),
    )


def _domain(identity: Identity, d: dict[str, Any]) -> StudioDomain:
    return StudioDomain(
        **identity,
        domain_id=str(d.get("DomainId") or identity["arn"].rsplit("/", 1)[-1]),
        status=d.get("Status") or "Unknown",
        app_network_access_type=d.get("AppNetworkAccessType"),
        kms_key_id=first(d.get("KmsKeyId"), d.get("HomeEfsFileSystemKmsKeyId")),
        vpc_id=d.get("VpcId"),
        subnet_ids=tuple(d.get("SubnetIds") or ()),
        auth_mode=d.get("AuthMode"),
        sso_application=first(d.get("SingleSignOnApplicationArn"), d.get("SingleSignOnManagedApplicationInstanceId")),
        default_user_settings=user_settings(d.get("DefaultUserSettings")),
        default_space_execution_role_arn=dig(d, "DefaultSpaceSettings", "ExecutionRole"),
        default_space_security_group_ids=tuple(dig(d, "DefaultSpaceSettings", "SecurityGroups") or ()),
        shared_space_idle_shutdown=_idle_shutdown(
            "JupyterLab", dig(d, "DefaultSpaceSettings", "JupyterLabAppSettings")
        ),
        security_group_ids=tuple(dig(d, "DomainSettings", "SecurityGroupIds") or ()),
        docker_access=dig(d, "DomainSettings", "DockerSettings", "EnableDockerAccess"),
        rootless_docker=dig(d, "DomainSettings", "DockerSettings", "RootlessDocker"),
        creation_time=d.get("CreationTime"),
    )


ChildIdentity = Callable[[CollectContext, StudioDomain, dict[str, Any]], Identity]


def _child(ctx: CollectContext, domain: StudioDomain, name: str) -> Identity:
    """A domain's child: `<domain name>/<child name>`, its ARN from the domain's id."""
    return ctx.identity(f"{domain.domain_id}/{name}", name=f"{domain.name}/{name}")


def _profile_identity(ctx: CollectContext, domain: StudioDomain, summary: dict[str, Any]) -> Identity:
    return _child(ctx, domain, str(summary.get("UserProfileName") or ""))


def _profile_keys(domain: StudioDomain, summary: dict[str, Any]) -> dict[str, Any]:
    return {"DomainId": domain.domain_id, "UserProfileName": summary["UserProfileName"]}


def _space_identity(ctx: CollectContext, domain: StudioDomain, summary: dict[str, Any]) -> Identity:
    return _child(ctx, domain, str(summary.get("SpaceName") or ""))


def _space_keys(domain: StudioDomain, summary: dict[str, Any]) -> dict[str, Any]:
    return {"DomainId": domain.domain_id, "SpaceName": summary["SpaceName"]}


def _domain_children(ctx: CollectContext, domain: StudioDomain) -> Identity:
    """What an ERROR is about when a domain's children could not be listed: all of them (`user-profile/d-x/*`)."""
    label = ctx.collector.record.label
    return ctx.identity(f"{domain.domain_id}/*", name=f"all {label} of {domain.name}")


def _profile(identity: Identity, d: dict[str, Any], domain: StudioDomain) -> StudioUserProfile:
    own = user_settings(d.get("UserSettings"))
    defaults = domain.default_user_settings
    return StudioUserProfile(
        **identity,
        domain_id=domain.domain_id,
        profile_name=d.get("UserProfileName") or identity["name"].rsplit("/", 1)[-1],
        status=d.get("Status") or "Unknown",
        own_settings=own,
        execution_role_arn=own.execution_role_arn or defaults.execution_role_arn,
        security_group_ids=own.security_group_ids or defaults.security_group_ids,
        creation_time=d.get("CreationTime"),
    )


def _space(identity: Identity, d: dict[str, Any], domain: StudioDomain) -> StudioSpace:
    sharing = dig(d, "SpaceSharingSettings", "SharingType")
    shared = sharing == "Shared"
    return StudioSpace(
        **identity,
        domain_id=domain.domain_id,
        space_name=d.get("SpaceName") or identity["name"].rsplit("/", 1)[-1],
        status=d.get("Status") or "Unknown",
        sharing_type=sharing,
        owner=dig(d, "OwnershipSettings", "OwnerUserProfileName"),
        app_type=dig(d, "SpaceSettings", "AppType"),
        remote_access=dig(d, "SpaceSettings", "RemoteAccess"),
        execution_role_arn=domain.default_space_execution_role_arn if shared else None,
        security_group_ids=domain.default_space_security_group_ids if shared else (),
        creation_time=d.get("CreationTime"),
    )


def _app_owner(summary: dict[str, Any]) -> tuple[str, str]:
    """The describe parameter naming the app's space or user profile, and its value."""
    if summary.get("SpaceName"):
        return "SpaceName", str(summary["SpaceName"])
    return "UserProfileName", str(summary.get("UserProfileName") or "")


def _app_identity(ctx: CollectContext, domain: StudioDomain, summary: dict[str, Any]) -> Identity:
    _, owner = _app_owner(summary)
    app_type, app_name = str(summary.get("AppType") or ""), str(summary.get("AppName") or "")
    return ctx.identity(
        f"{domain.domain_id}/{owner}/{app_type.lower()}/{app_name}", name=f"{domain.name}/{owner}/{app_name}"
    )


def _app_keys(domain: StudioDomain, summary: dict[str, Any]) -> dict[str, Any]:
    param, owner = _app_owner(summary)
    return {"DomainId": domain.domain_id, "AppType": summary["AppType"], "AppName": summary["AppName"], param: owner}


def _app(identity: Identity, d: dict[str, Any], domain: StudioDomain) -> StudioApp:
    return StudioApp(
        **identity,
        domain_id=domain.domain_id,
        app_type=d.get("AppType") or "Unknown",
        app_name=d.get("AppName") or identity["name"].rsplit("/", 1)[-1],
        owner=first(d.get("SpaceName"), d.get("UserProfileName")) or "",
        status=d.get("Status") or "Unknown",
        instance_type=dig(d, "ResourceSpec", "InstanceType"),
        creation_time=d.get("CreationTime"),
        last_user_activity=d.get("LastUserActivityTimestamp"),
        last_health_check=d.get("LastHealthCheckTimestamp"),
        described_at=datetime.now(UTC),
    )


def _lifecycle_config(identity: Identity, d: dict[str, Any]) -> StudioLifecycleConfig:
    app_type = d.get("StudioLifecycleConfigAppType")
    text = script_text(d.get("StudioLifecycleConfigContent") or "")
    return StudioLifecycleConfig(
        **identity,
        app_type=app_type,
        secrets=tuple(
            ScriptSecret(script=app_type or "script", line=hit.line, kind=hit.kind) for hit in scan_text(text)
        ),
        creation_time=d.get("CreationTime"),
    )


def _domain_id(record: Any) -> str:
    return str(record.domain_id)


def _in_domain(
    list_operation: Operation,
    items: str,
    describe: Operation,
    identify: ChildIdentity,
    keys: Callable[[StudioDomain, dict[str, Any]], dict[str, Any]],
    build: Callable[[Identity, dict[str, Any], StudioDomain], Record],
) -> ListPerRecord:
    """Children of each domain: listed with DomainIdEquals, each described by the domain's id and its name."""
    return ListPerRecord(
        StudioDomain,
        list_operation,
        items,
        lambda domain: {"DomainIdEquals": domain.domain_id},
        identify,
        build,
        describe=describe,
        keys=keys,
        parent_key=_domain_id,
        child_key=_domain_id,
        listing=_domain_children,
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
    PartCollector(
        StudioUserProfile,
        _in_domain(
            Operation("sagemaker:ListUserProfiles"),
            "UserProfiles",
            Operation("sagemaker:DescribeUserProfile"),
            _profile_identity,
            _profile_keys,
            _profile,
        ),
    ),
    PartCollector(
        StudioSpace,
        _in_domain(
            Operation("sagemaker:ListSpaces"),
            "Spaces",
            Operation("sagemaker:DescribeSpace"),
            _space_identity,
            _space_keys,
            _space,
        ),
    ),
    PartCollector(
        StudioApp,
        ListPerRecord(
            StudioDomain,
            Operation("sagemaker:ListApps"),
            "Apps",
            lambda domain: {"DomainIdEquals": domain.domain_id},
            _app_identity,
            _app,
            describe=Operation("sagemaker:DescribeApp"),
            keys=_app_keys,
            parent_key=_domain_id,
            child_key=_domain_id,
            listing=_domain_children,
        ),
    ),
    PartCollector(
        StudioLifecycleConfig,
        ListThenDescribe(
            Operation("sagemaker:ListStudioLifecycleConfigs"),
            "StudioLifecycleConfigs",
            Operation("sagemaker:DescribeStudioLifecycleConfig"),
            Listed(id="StudioLifecycleConfigName", arn="StudioLifecycleConfigArn"),
            _lifecycle_config,
        ),
    ),
)
