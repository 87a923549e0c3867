"""SageMaker Studio per user and per space: what users share, where Canvas keeps its work, what shuts idle apps
down, what runs idle on expensive instances, and what lifecycle scripts hold.

Settings are judged where they are set: a domain's defaults on the domain, a user profile's own override on the
profile (a profile that inherits a setting gets no finding for it: the domain's covers it).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mlaudit.inventory import IamRole, KmsKey
from mlaudit.inventory.policies import wildcard_match
from mlaudit.inventory.sagemaker_studio import (
    IdleShutdown,
    StudioApp,
    StudioDomain,
    StudioLifecycleConfig,
    StudioSpace,
    StudioUserProfile,
    StudioUserSettings,
)
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Setting,
    Severity,
    check,
    failed,
    ml_lens,
    passed,
)
from mlaudit.sdk.iam import is_aws_managed_policy
from mlaudit.sdk.instances import instance_size, is_accelerated
from mlaudit.sdk.kms import customer_managed_key
from mlaudit.sdk.wording import counted, names

CANVAS_DEPLOY_POLICY = "AmazonSageMakerCanvasDirectDeployAccess"
"""The AWS managed policy that lets Canvas users deploy models to endpoints."""
IDLE_APP_TYPES = ("JupyterLab", "CodeEditor")


def _set_here(resource: StudioDomain | StudioUserProfile) -> StudioUserSettings | None:
    """The settings a domain (its defaults) or a profile (its own override) sets; None when it is gone."""
    if not resource.live:
        return None
    return resource.default_user_settings if isinstance(resource, StudioDomain) else resource.own_settings


@check(
    id="SM-STUDIO-001",
    name="studio-notebook-output-sharing-unencrypted",
    title="Shared Studio notebooks should not carry cell output unless it is encrypted with a customer managed key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=(StudioDomain, StudioUserProfile),
    uses=(KmsKey,),
    rationale="""When a user shares a notebook, SageMaker copies a snapshot to S3; with NotebookOutputOption Allowed
    the snapshot carries the cells' output, which in ML notebooks is often rows of training data, sample predictions
    or printed credentials. Without S3KmsKeyId those snapshots are encrypted only as the bucket's default says,
    with no key policy of the team's own in front of them. The bucket itself goes through the ML bucket checks.""",
    judges="""Domains (their default user settings) and user profiles that set their own SharingSettings (others
    inherit the domain's, judged there); domains and profiles being deleted or failed are not judged. Sharing
    without output (Disabled, AWS's default) passes; output shared with a key passes only if the key is customer
    managed and exists.""",
    remediation=Remediation(
        text="Set S3KmsKeyId to a customer managed key in the sharing settings, or stop sharing cell output.",
        cli="aws sagemaker update-domain --domain-id <domain-id> --default-user-settings "
        "'SharingSettings={NotebookOutputOption=Allowed,S3OutputPath=s3://<bucket>/shared/,S3KmsKeyId=<key-arn>}'",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_SharingSettings.html",
    ),
    references=(ml_lens("MLSEC-02"), ml_lens("MLSEC-07")),
)
def studio_notebook_output_sharing_unencrypted(
    resource: StudioDomain | StudioUserProfile, ctx: CheckContext
) -> Outcome | None:
    settings = _set_here(resource)
    if settings is None:
        return None
    sharing = settings.notebook_sharing
    if sharing is None:
        return (
            passed("no sharing settings: shared notebooks carry no cell output")
            if isinstance(resource, StudioDomain)
            else None
        )
    if sharing.notebook_output_option != "Allowed":
        return passed(f"shared notebooks carry no cell output (NotebookOutputOption {sharing.notebook_output_option})")
    where = sharing.s3_output_path or "S3"
    if not sharing.s3_kms_key_id:
        return failed(f"shared notebooks carry their cell output to {where} without S3KmsKeyId")
    return customer_managed_key(resource, sharing.s3_kms_key_id, ctx, f"shared notebook output in {where}")


@check(
    id="SM-STUDIO-002",
    name="studio-canvas-workspace-not-cmk",
    title="Canvas workspaces should encrypt their artefacts with a customer managed key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=(StudioDomain, StudioUserProfile),
    uses=(KmsKey,),
    rationale="""Canvas keeps everything its users build in its workspace bucket: imported datasets, their
    transformations, trained models and batch predictions. Without WorkspaceSettings.S3KmsKeyId those artefacts are
    encrypted only as the bucket's default says (the default workspace is the shared sagemaker-<region>-<account>
    bucket), so access to business data cannot be restricted or revoked through a key policy of the team's own.""",
    judges="""Domains whose default user settings configure Canvas (CanvasAppSettings), and user profiles that set
    their own Canvas WorkspaceSettings; domains and profiles that configure no Canvas settings, or are being deleted
    or failed, are not judged. A key passes only if it is customer managed and exists.""",
    remediation=Remediation(
        text="Set the Canvas workspace's S3KmsKeyId (and an S3ArtifactPath in a bucket of the team's) in the domain's "
        "default user settings; users must log out of Canvas and back in.",
        cli="aws sagemaker update-domain --domain-id <domain-id> --default-user-settings "
        "'CanvasAppSettings={WorkspaceSettings={S3ArtifactPath=s3://<bucket>/canvas/,S3KmsKeyId=<key-arn>}}'",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/canvas-storage-configuration.html",
    ),
    references=(ml_lens("MLSEC-02"),),
)
def studio_canvas_workspace_not_cmk(resource: StudioDomain | StudioUserProfile, ctx: CheckContext) -> Outcome | None:
    settings = _set_here(resource)
    canvas = settings.canvas if settings else None
    if canvas is None or (isinstance(resource, StudioUserProfile) and not canvas.workspace_set):
        return None
    if not canvas.workspace_kms_key_id:
        where = canvas.workspace_s3_artifact_path or "the default sagemaker-<region>-<account> bucket"
        return failed(f"Canvas artefacts go to {where} without a KMS key of the workspace")
    return customer_managed_key(resource, canvas.workspace_kms_key_id, ctx, "the Canvas workspace")


@check(
    id="SM-STUDIO-003",
    name="studio-canvas-direct-deploy",
    title="Canvas users should not deploy models to endpoints directly",
    severity=Severity.LOW,
    pillar=Pillar.SECURITY,
    resource=(StudioDomain, StudioUserProfile),
    uses=(IamRole,),
    rationale="""Direct deployment lets a Canvas user put a model they trained behind a real-time endpoint in a few
    clicks: it serves, and bills, without the model registry's approval, the review of its data and metrics, or the
    deployment pipeline's tests and monitoring. Models built in Canvas should reach production through the registry
    (Canvas can register them) like any other.""",
    judges="""Domains (their default user settings and default execution role) and user profiles that set their own
    Canvas deployment setting or execution role; others inherit the domain's. Deployment is on when
    DirectDeploySettings.Status is ENABLED, or when the execution role has the AWS managed policy
    AmazonSageMakerCanvasDirectDeployAccess attached (which the console's setting attaches). Domains and profiles
    being deleted or failed are not judged.""",
    remediation=Remediation(
        text="Disable direct deployment in the Canvas settings and detach AmazonSageMakerCanvasDirectDeployAccess from "
        "the execution roles; register Canvas models in the model registry instead.",
        cli="aws sagemaker update-domain --domain-id <domain-id> --default-user-settings "
        "'CanvasAppSettings={DirectDeploySettings={Status=DISABLED}}' && aws iam detach-role-policy --role-name <role> "
        "--policy-arn arn:aws:iam::aws:policy/service-role/AmazonSageMakerCanvasDirectDeployAccess",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/canvas-deploy-model.html",
    ),
    references=(ml_lens("MLOE-12"), ml_lens("MLSEC-08")),
)
def studio_canvas_direct_deploy(resource: StudioDomain | StudioUserProfile, ctx: CheckContext) -> Outcome | None:
    settings = _set_here(resource)
    if settings is None:
        return None
    status = settings.canvas.direct_deploy if settings.canvas else None
    role_arn = settings.execution_role_arn
    if isinstance(resource, StudioUserProfile) and status is None and role_arn is None:
        return None
    if status == "ENABLED":
        return failed("Canvas direct deployment is ENABLED")
    role = ctx.get(IamRole, role_arn) if role_arn else None
    if role is not None and any(is_aws_managed_policy(arn, CANVAS_DEPLOY_POLICY) for arn in role.attached_policy_arns):
        return failed(f"the execution role {role.name} has {CANVAS_DEPLOY_POLICY} attached")
    shown = f"Canvas direct deployment is {status}" if status else "Canvas direct deployment is not enabled"
    return passed(f"{shown}, and the execution role does not have {CANVAS_DEPLOY_POLICY}")


def _idle_problems(idle: IdleShutdown, label: str, limit: int) -> list[str]:
    if idle.lifecycle_management != "ENABLED":
        return [f"{label}: idle shutdown is {idle.lifecycle_management or 'not enabled'}"]
    problems = []
    if idle.idle_timeout_minutes is not None and idle.idle_timeout_minutes > limit:
        problems.append(f"{label}: shuts down after {idle.idle_timeout_minutes} idle minutes")
    if idle.max_idle_timeout_minutes is not None and idle.max_idle_timeout_minutes > limit:
        problems.append(f"{label}: users may raise the timeout to {idle.max_idle_timeout_minutes} minutes")
    return problems


def _idle_settings(resource: StudioDomain | StudioUserProfile) -> dict[str, IdleShutdown] | None:
    """The idle settings judged on a resource, by label; None when none applies."""
    settings = _set_here(resource)
    if settings is None:
        return None
    own = {idle.app_type: idle for idle in settings.idle_shutdown}
    if isinstance(resource, StudioUserProfile):
        return own or None
    judged = {app: own.get(app) or IdleShutdown(app_type=app) for app in IDLE_APP_TYPES}
    if resource.default_space_execution_role_arn:  # the domain has shared spaces
        judged["JupyterLab in shared spaces"] = resource.shared_space_idle_shutdown or IdleShutdown(
            app_type="JupyterLab"
        )
    return judged


@check(
    id="SM-STUDIO-004",
    name="studio-idle-shutdown-off",
    title="Studio should shut JupyterLab and Code Editor apps down when they are idle",
    severity=Severity.LOW,
    pillar=Pillar.COST,
    resource=(StudioDomain, StudioUserProfile),
    settings={
        "max_idle_minutes": Setting(
            default=180,
            description="the longest idle time (minutes) an app may run before Studio shuts it down, and the longest "
            "users may choose",
            minimum=60,
            maximum=525600,
        )
    },
    rationale="""A JupyterLab or Code Editor app bills for its instance every hour it runs, used or not, and
    GPU spaces left open over a weekend are among the largest avoidable ML costs. Studio can shut an idle app down
    by itself (AppLifecycleManagement.IdleSettings), the Studio counterpart of a notebook's auto-stop script; the
    timeout, and the longest timeout users may choose for their spaces (MaxIdleTimeoutInMinutes), should stay within
    a few hours.""",
    judges="""Domains (JupyterLab and Code Editor in their default user settings, and JupyterLab in shared spaces
    when the domain has a shared-space role) and user profiles that set their own idle settings (others inherit the
    domain's). Spaces choose a timeout within the bounds judged here. Idle shutdown is off unless
    LifecycleManagement is ENABLED. Domains and profiles being deleted or failed are not judged.""",
    remediation=Remediation(
        text="Enable idle shutdown for JupyterLab and Code Editor in the domain's default user settings (and the "
        "default space settings), with a timeout of a few hours and a maximum users cannot exceed.",
        cli="aws sagemaker update-domain --domain-id <domain-id> --default-user-settings "
        "'JupyterLabAppSettings={AppLifecycleManagement={IdleSettings={LifecycleManagement=ENABLED,"
        "IdleTimeoutInMinutes=120,MinIdleTimeoutInMinutes=60,MaxIdleTimeoutInMinutes=180}}}'",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/studio-updated-idle-shutdown.html",
    ),
    references=(ml_lens("MLCOST-16"), ml_lens("MLSUS-04")),
)
def studio_idle_shutdown_off(resource: StudioDomain | StudioUserProfile, ctx: CheckContext) -> Outcome | None:
    judged = _idle_settings(resource)
    if judged is None:
        return None
    limit = ctx.setting("max_idle_minutes")
    problems = [problem for label, idle in judged.items() for problem in _idle_problems(idle, label, limit)]
    if problems:
        return failed("; ".join(problems))
    timeouts = [f"{label} after {idle.idle_timeout_minutes or 'the default'} minutes" for label, idle in judged.items()]
    return passed("idle apps shut down: " + names(timeouts))


def _idle_since(app: StudioApp) -> datetime | None:
    return app.last_user_activity or app.creation_time


@check(
    id="SM-STUDIO-005",
    name="studio-app-idle",
    title="Studio apps on GPU or large instances should not run without users",
    severity=Severity.MEDIUM,
    pillar=Pillar.COST,
    resource=StudioApp,
    settings={
        "idle_hours": Setting(
            default=24,
            description="hours without user activity after which a running app is idle",
            minimum=1,
            maximum=2160,
        ),
        "large_size": Setting(
            default=4.0,
            description="the instance size (in xlarge units: 4 is a 4xlarge) from which an app without accelerators "
            "is judged",
            minimum=0.5,
        ),
    },
    rationale="""A Studio app bills for its instance from the moment it starts until someone stops it, whatever
    happens in it. An ml.g5.12xlarge or ml.p4d space that nobody has touched for a day is thousands of dollars a
    month doing nothing, and the apps that stay up are the ones nobody remembers starting. SageMaker reports when a
    user was last active in each app.""",
    judges="""Apps in service on GPU, Trainium or Inferentia instances, or of at least large_size; apps on smaller
    instances or the `system` instance of Studio Classic, and apps that are pending, failed or deleted, are not
    judged. Activity is DescribeApp's LastUserActivityTimestamp (the app's creation when it has none); AWS also moves
    it at its health checks, so an app is found idle only when neither happened within idle_hours.""",
    remediation=Remediation(
        text="Stop the app (its space and files stay; the user starts it again when needed), and enable idle shutdown "
        "for the domain so that it does not happen again.",
        cli="aws sagemaker delete-app --domain-id <domain-id> --space-name <space> --app-type <app-type> "
        "--app-name <app-name>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/studio-updated-running-stop.html",
    ),
    references=(ml_lens("MLCOST-16"), ml_lens("MLSUS-04"), ml_lens("MLCOST-09")),
)
def studio_app_idle(app: StudioApp, ctx: CheckContext) -> Outcome | None:
    size = instance_size(app.instance_type)
    large = size is not None and size >= ctx.setting("large_size")
    if not app.in_service or not (is_accelerated(app.instance_type) or large):
        return None
    since = _idle_since(app)
    hours = ctx.setting("idle_hours")
    on = f"{app.app_type} app on {app.instance_type}"
    if since is None:
        return failed(f"{on} with no recorded activity")
    idle = app.described_at - since
    idle_hours = int(idle.total_seconds() // 3600)
    if idle > timedelta(hours=hours):
        return failed(
            f"{on}: no user activity for {counted(idle_hours, 'hour')} (since {since.astimezone(UTC):%Y-%m-%d %H:%M} UTC)"
        )
    return passed(f"{on}: last user activity {counted(idle_hours, 'hour')} ago")


@check(
    id="SM-STUDIO-006",
    name="studio-lifecycle-script-secrets",
    title="Studio lifecycle scripts should not contain secrets",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=StudioLifecycleConfig,
    rationale="""A Studio lifecycle configuration runs in every app that uses it, is readable by anyone allowed to
    describe it, and is copied between domains and accounts: an access key, token or password written into one is
    exposed to every user of the domain and never rotates. Scripts should fetch secrets at run time from Secrets
    Manager with the app's execution role. Findings name the line and kind of secret, never its value.""",
    judges="""Every Studio lifecycle configuration of the region, whether or not a domain, profile or space uses it
    now (an unused one can be attached at any time, and is readable all the same).""",
    remediation=Remediation(
        text="Rotate every credential the script exposed, move it to AWS Secrets Manager, and create a new "
        "configuration whose script reads it at run time (configurations cannot be updated: attach the new one and "
        "delete the old).",
        cli="aws sagemaker create-studio-lifecycle-config --studio-lifecycle-config-name <name> "
        "--studio-lifecycle-config-app-type JupyterLab --studio-lifecycle-config-content $(base64 -w0 setup.sh) && "
        "aws sagemaker delete-studio-lifecycle-config --studio-lifecycle-config-name <old-name>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/jl-lcc.html",
    ),
    references=(ml_lens("MLSEC-03"), ml_lens("MLSEC-08")),
)
def studio_lifecycle_script_secrets(config: StudioLifecycleConfig, ctx: CheckContext) -> Outcome | None:
    if config.secrets:
        where = [f"line {s.line}: {s.kind}" for s in config.secrets]
        return failed("secret-looking lines in the script: " + names(where, limit=10))
    return passed(f"no secret-looking strings in the {config.app_type or 'Studio'} script")


@check(
    id="SM-STUDIO-007",
    name="studio-space-shared",
    title="Studio spaces should be private unless they are meant to be shared",
    severity=Severity.LOW,
    pillar=Pillar.SECURITY,
    resource=StudioSpace,
    settings={
        "allowed_shared_spaces": Setting(
            default=(),
            description="space name patterns (* wildcards) that are shared on purpose",
        )
    },
    rationale="""A shared space gives every user profile of the domain the same files and runs everyone's code as
    the same role: data or credentials one user brings into it are readable by all, what happens in it cannot be
    told apart by person, and the shared-space role must hold the union of everyone's permissions. Spaces are
    private by default; a shared one should be a deliberate choice.""",
    judges="""Spaces that are not being deleted or failed. Private spaces pass (they run as their owner's profile,
    whose role and security groups the IAM and network checks judge); shared spaces fail unless their name matches
    allowed_shared_spaces.""",
    remediation=Remediation(
        text="Recreate the space as a private space of the user who needs it (the sharing type cannot be changed), "
        "or allow-list spaces shared on purpose, whose shared-space role is scoped to what they hold.",
        cli="aws sagemaker create-space --domain-id <domain-id> --space-name <name> "
        "--ownership-settings OwnerUserProfileName=<profile> --space-sharing-settings SharingType=Private",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/domain-space.html",
    ),
    references=(ml_lens("MLSEC-03"), ml_lens("MLSEC-12")),
)
def studio_space_shared(space: StudioSpace, ctx: CheckContext) -> Outcome | None:
    if not space.live:
        return None
    if space.sharing_type != "Shared":
        owner = f" of {space.owner}" if space.owner else ""
        return passed(f"private space{owner}")
    if any(wildcard_match(pattern, space.space_name) for pattern in ctx.setting("allowed_shared_spaces")):
        return passed("shared on purpose (allow-listed in allowed_shared_spaces)")
    role = (
        f"running as {space.execution_role_arn}" if space.execution_role_arn else "the domain sets no shared-space role"
    )
    return failed(f"shared with every user of the domain ({role})")
