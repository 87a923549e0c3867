"""SageMaker Studio: domains (the shared environment: network, storage, default roles and settings), the user
profiles and spaces people work in, the apps that run there, and Studio lifecycle configurations.

A user profile or space runs with its own settings where it has them and the domain's defaults otherwise; the
collector resolves the execution role and security groups each one really runs with, so that the IAM and network
checks judge them. Other settings are kept where they are set (the domain's defaults, or a profile's own override),
which is where they must be fixed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

from mlaudit.inventory.base import Record, Reference, RefKind, Value, kms_refs, role_refs, s3_refs
from mlaudit.inventory.network import security_group_refs, subnet_refs
from mlaudit.inventory.sagemaker_notebooks import ScriptSecret


class IdleShutdown(Value):
    """Studio's idle shutdown of one app type (`AppLifecycleManagement.IdleSettings`), where it is set."""

    app_type: str
    """JupyterLab or CodeEditor."""
    lifecycle_management: str | None = None
    """ENABLED or DISABLED; unset means disabled."""
    idle_timeout_minutes: int | None = None
    max_idle_timeout_minutes: int | None = None
    """The longest idle timeout users may choose for themselves (their spaces), when they may choose one."""


class NotebookSharing(Value):
    """`SharingSettings`: whether shared notebooks carry their cell output, and where it goes."""

    notebook_output_option: str | None = None
    """Allowed or Disabled (AWS's default)."""
    s3_output_path: str | None = None
    s3_kms_key_id: str | None = None


class CanvasSettings(Value):
    """`CanvasAppSettings`: where Canvas keeps its artefacts, whether it deploys models, and the roles it passes."""

    workspace_s3_artifact_path: str | None = None
    workspace_kms_key_id: str | None = None
    workspace_set: bool = False
    """Whether `WorkspaceSettings` is set here at all."""
    direct_deploy: str | None = None
    """ENABLED or DISABLED, where set."""
    role_arns: tuple[str, ...] = ()
    """The roles Canvas features run as: Bedrock, Forecast, EMR Serverless, cross-account model registration."""


class StudioUserSettings(Value):
    """A domain's `DefaultUserSettings` or a profile's own `UserSettings`: only what is set there."""

    execution_role_arn: str | None = None
    security_group_ids: tuple[str, ...] = ()
    notebook_sharing: NotebookSharing | None = None
    canvas: CanvasSettings | None = None
    idle_shutdown: tuple[IdleShutdown, ...] = ()
    """JupyterLab and CodeEditor idle settings, for the app types whose IdleSettings are set."""

    def references_for(self, record: Record) -> Iterator[Reference]:
        """The references these settings give `record` (the domain or profile that sets them)."""
        yield from role_refs(self.execution_role_arn, *(self.canvas.role_arns if self.canvas else ()))
        yield from security_group_refs(record, *self.security_group_ids)
        sharing, canvas = self.notebook_sharing, self.canvas
        if sharing and sharing.notebook_output_option == "Allowed":
            yield from s3_refs(sharing.s3_output_path)
            yield from kms_refs(record, sharing.s3_kms_key_id)
        if canvas:
            yield from s3_refs(canvas.workspace_s3_artifact_path)
            yield from kms_refs(record, canvas.workspace_kms_key_id)


GONE_STATES = frozenset({"Deleting", "Failed", "Delete_Failed"})
"""Domain, user profile and space states in which nothing runs any more (or never ran)."""

_SETTINGS_REFERENCES = frozenset({RefKind.IAM_ROLE, RefKind.SECURITY_GROUP, RefKind.S3, RefKind.KMS_KEY})


class StudioDomain(Record):
    part: ClassVar[str] = "sagemaker.domain"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::Domain"
    label: ClassVar[str] = "Studio domains"
    arn_resource: ClassVar[str] = "domain/{id}"
    taggable: ClassVar[bool] = True
    reference_kinds: ClassVar[frozenset[RefKind]] = _SETTINGS_REFERENCES | {RefKind.SUBNET}

    domain_id: str
    status: str
    app_network_access_type: str | None = None
    """PublicInternetOnly (AWS's default: traffic leaves through a SageMaker-managed VPC) or VpcOnly."""
    kms_key_id: str | None = None
    """The key that encrypts the domain's EFS home directories (and the volumes of its apps)."""
    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    auth_mode: str | None = None
    """SSO (IAM Identity Center) or IAM."""
    sso_application: str | None = None
    """The IAM Identity Center application the domain is associated with (its ARN, or its managed instance id)."""
    default_user_settings: StudioUserSettings = StudioUserSettings()
    """What users (and their private spaces) run with unless their profile sets otherwise."""
    default_space_execution_role_arn: str | None = None
    """The role shared spaces run as (`DefaultSpaceSettings.ExecutionRole`)."""
    default_space_security_group_ids: tuple[str, ...] = ()
    shared_space_idle_shutdown: IdleShutdown | None = None
    """JupyterLab idle shutdown in shared spaces (`DefaultSpaceSettings`)."""
    security_group_ids: tuple[str, ...] = ()
    """`DomainSettings.SecurityGroupIds`: the domain's own communication, with its EFS volume."""
    docker_access: str | None = None
    """`DomainSettings.DockerSettings.EnableDockerAccess`: ENABLED or DISABLED (AWS's default)."""
    rootless_docker: str | None = None
    creation_time: datetime | None = None

    @property
    def live(self) -> bool:
        return self.status not in GONE_STATES

    def references(self) -> Iterator[Reference]:
        yield from self.default_user_settings.references_for(self)
        yield from role_refs(self.default_space_execution_role_arn)
        yield from security_group_refs(self, *self.default_space_security_group_ids, *self.security_group_ids)
        yield from kms_refs(self, self.kms_key_id)
        yield from subnet_refs(self, *self.subnet_ids)

    def matches(self, key: str) -> bool:
        return key in (self.name, self.arn, self.domain_id)


class StudioUserProfile(Record):
    """A Studio user profile, named `<domain name>/<profile name>`. Its own settings are kept as set; the role and
    security groups are those it really runs with (its own, or the domain's defaults)."""

    part: ClassVar[str] = "sagemaker.user_profile"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::UserProfile"
    label: ClassVar[str] = "Studio user profiles"
    arn_resource: ClassVar[str] = "user-profile/{lower_id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = _SETTINGS_REFERENCES

    domain_id: str
    profile_name: str
    status: str
    own_settings: StudioUserSettings = StudioUserSettings()
    """What the profile sets itself (the rest comes from the domain)."""
    execution_role_arn: str | None = None
    """The role the user's apps and private spaces run as: the profile's own, else the domain's default."""
    security_group_ids: tuple[str, ...] = ()
    """The security groups of the user's private spaces: the profile's own, else the domain's default."""
    creation_time: datetime | None = None

    @property
    def live(self) -> bool:
        return self.status not in GONE_STATES

    @property
    def in_service(self) -> bool:
        return self.status == "InService"

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.execution_role_arn)
        yield from security_group_refs(self, *self.security_group_ids)
        yield from self.own_settings.references_for(self)


class StudioSpace(Record):
    """A Studio space, named `<domain name>/<space name>`. A shared space runs as the domain's shared-space role
    and security groups; a private one as its owner's profile (whose record references them)."""

    part: ClassVar[str] = "sagemaker.space"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::Space"
    label: ClassVar[str] = "Studio spaces"
    arn_resource: ClassVar[str] = "space/{lower_id}"
    reference_kinds: ClassVar[frozenset[RefKind]] = frozenset({RefKind.IAM_ROLE, RefKind.SECURITY_GROUP})

    domain_id: str
    space_name: str
    status: str
    sharing_type: str | None = None
    """Private or Shared (`SpaceSharingSettings.SharingType`)."""
    owner: str | None = None
    """The user profile that owns the space (`OwnershipSettings.OwnerUserProfileName`)."""
    app_type: str | None = None
    remote_access: str | None = None
    """ENABLED when users may connect to the space from a local IDE."""
    execution_role_arn: str | None = None
    """The role a shared space runs as (the domain's shared-space role); None for a private space."""
    security_group_ids: tuple[str, ...] = ()
    creation_time: datetime | None = None

    @property
    def live(self) -> bool:
        return self.status not in GONE_STATES

    def references(self) -> Iterator[Reference]:
        yield from role_refs(self.execution_role_arn)
        yield from security_group_refs(self, *self.security_group_ids)


class StudioApp(Record):
    """A Studio app (JupyterLab, Code Editor, Canvas...), named `<domain name>/<space or profile>/<app name>`."""

    part: ClassVar[str] = "sagemaker.app"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::App"
    label: ClassVar[str] = "Studio apps"
    arn_resource: ClassVar[str] = "app/{lower_id}"

    domain_id: str
    app_type: str
    app_name: str
    owner: str
    """The space or user profile the app runs in."""
    status: str
    instance_type: str | None = None
    creation_time: datetime | None = None
    last_user_activity: datetime | None = None
    """DescribeApp's LastUserActivityTimestamp (AWS also moves it at its health checks)."""
    last_health_check: datetime | None = None
    described_at: datetime
    """When the app was described: how long ago its last activity was is measured from here."""

    @property
    def in_service(self) -> bool:
        return self.status == "InService"


class StudioLifecycleConfig(Record):
    """A Studio lifecycle configuration: the shell script an app runs at start. The script never enters the
    inventory: only its secret-looking lines (line number and kind)."""

    part: ClassVar[str] = "sagemaker.studio_lifecycle_config"
    service: ClassVar[str] = "sagemaker"
    resource_type: ClassVar[str] = "AWS::SageMaker::StudioLifecycleConfig"
    label: ClassVar[str] = "Studio lifecycle configurations"
    arn_resource: ClassVar[str] = "studio-lifecycle-config/{lower_id}"

    app_type: str | None = None
    """JupyterLab, CodeEditor, JupyterServer or KernelGateway."""
    secrets: tuple[ScriptSecret, ...] = ()
    creation_time: datetime | None = None
