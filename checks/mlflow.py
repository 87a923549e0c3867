"""Managed MLflow: where tracking servers and MLflow apps keep experiment artefacts, how they trust that store, and
what running them costs against their use."""

from __future__ import annotations

from mlaudit.inventory import KmsKey, NotebookInstance, TrainingJob
from mlaudit.inventory.sagemaker_hyperpod import HyperPodCluster
from mlaudit.inventory.sagemaker_mlflow import MlflowApp, MlflowTrackingServer
from mlaudit.inventory.sagemaker_studio import StudioApp, StudioUserProfile
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
from mlaudit.sdk.kms import customer_managed_key
from mlaudit.sdk.wording import counted, names

SIZES = ("Small", "Medium", "Large")
"""Tracking server sizes, smallest first; AWS's default is Small."""


@check(
    id="SM-MLFLOW-001",
    name="mlflow-bucket-owner-not-verified",
    title="MLflow tracking servers should verify who owns their artifact bucket",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=MlflowTrackingServer,
    rationale="""A tracking server writes every run's models, datasets and plots to its artifact store, and reads
    models back from it to register and deploy them. Bucket names are global: if the bucket is deleted, or was
    mistyped, anyone can create it in their own account and receive those artefacts or serve poisoned ones. With
    S3BucketOwnerVerification the server sends the expected owner with each S3 call, and S3 refuses a bucket of any
    other account. The bucket itself goes through the ML bucket checks (it must exist and belong to the account).""",
    judges="""Every tracking server except those being deleted or whose creation failed.""",
    remediation=Remediation(
        text="Turn on bucket owner verification, with the account that owns the artifact bucket.",
        cli="aws sagemaker update-mlflow-tracking-server --tracking-server-name <name> "
        "--s3-bucket-owner-verification --s3-bucket-owner-account-id <account-id>",
        url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html",
        placeholders={"name": "resource_name"},
    ),
    references=(ml_lens("MLSEC-10"), ml_lens("MLSEC-06")),
)
def mlflow_bucket_owner_not_verified(server: MlflowTrackingServer, ctx: CheckContext) -> Outcome | None:
    if server.status in ("Deleting", "DeleteFailed", "CreateFailed"):
        return None
    store = server.artifact_store_uri or "its artifact store"
    if not server.bucket_owner_verification:
        return failed(f"no bucket owner verification: {store} is used whoever owns the bucket")
    owner = server.bucket_owner_account_id or server.account_id
    return passed(f"S3 refuses {store} unless account {owner} owns it")


@check(
    id="SM-MLFLOW-002",
    name="mlflow-app-not-cmk",
    title="MLflow apps should be encrypted with a customer managed key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=MlflowApp,
    uses=(KmsKey,),
    rationale="""An MLflow app holds a team's experiment history: parameters, metrics, the lineage of every model and
    the location of its artefacts. Without a KmsKeyId that metadata is encrypted with a key AWS owns, whose use
    cannot be restricted, audited or revoked through a key policy of the team's own.""",
    judges="""Every MLflow app except those deleted, being deleted or whose creation failed; the key passes only if it
    is customer managed and exists.""",
    remediation=Remediation(
        text="The key is chosen at creation: create an MLflow app with a customer managed key, move the experiments "
        "over, and delete the old app.",
        cli="aws sagemaker create-mlflow-app --name <name> --artifact-store-uri s3://<bucket>/mlflow/ "
        "--role-arn <role-arn> --kms-key-id <key-arn>",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateMlflowApp.html",
    ),
    references=(ml_lens("MLSEC-02"), ml_lens("MLOE-11")),
)
def mlflow_app_not_cmk(app: MlflowApp, ctx: CheckContext) -> Outcome | None:
    if app.status in ("Deleted", "Deleting", "DeleteFailed", "CreateFailed"):
        return None
    return customer_managed_key(app, app.kms_key_id, ctx, "the app's experiment metadata")


def _running_now(ctx: CheckContext) -> dict[str, int]:
    """What runs in the region at the time of the scan and could log to a tracking server, by kind."""
    return {
        "training job": sum(job.status == "InProgress" for job in ctx.all(TrainingJob)),
        "notebook instance": sum(notebook.status == "InService" for notebook in ctx.all(NotebookInstance)),
        "Studio app": sum(app.in_service for app in ctx.all(StudioApp)),
        "HyperPod cluster": sum(cluster.in_service for cluster in ctx.all(HyperPodCluster)),
    }


@check(
    id="SM-MLFLOW-003",
    name="mlflow-tracking-server-unused",
    title="MLflow tracking servers should be stopped while nothing logs to them",
    severity=Severity.LOW,
    pillar=Pillar.COST,
    resource=MlflowTrackingServer,
    uses=(TrainingJob, NotebookInstance, StudioApp, HyperPodCluster),
    rationale="""A tracking server bills by the hour from creation until it is stopped, whether anyone logs to it or
    not; stopped, it keeps its experiments and costs nothing but storage. A server that no training job of the
    lookback window logged to, in a region where nothing that could log to it runs now, has nobody to serve: it
    should be stopped, and started again when work resumes.""",
    judges="""Running tracking servers (not Stopping, Stopped, failed or being deleted). A server passes when a
    training job created within the scan's lookback window (--since) logged to it (MlflowConfig), or when something
    in its region runs at the time of the scan: a training job in progress, a notebook instance, Studio app or
    HyperPod cluster in service. A scan outside working hours therefore finds the servers left running overnight.
    MLflow's own API calls are not visible to the scan.""",
    remediation=Remediation(
        text="Stop the tracking server while nothing runs, and start it again when work resumes (it keeps its runs).",
        cli="aws sagemaker stop-mlflow-tracking-server --tracking-server-name <name>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/mlflow-create-tracking-server-stop.html",
        placeholders={"name": "resource_name"},
    ),
    references=(ml_lens("MLCOST-16"), ml_lens("MLSUS-04")),
)
def mlflow_tracking_server_unused(server: MlflowTrackingServer, ctx: CheckContext) -> Outcome | None:
    if not server.running:
        return None
    arn = server.arn.lower()
    logged = [job.name for job in ctx.all(TrainingJob) if (job.mlflow_resource_arn or "").lower() == arn]
    if logged:
        return passed(f"{counted(len(logged), 'recent training job')} logged to it: " + names(sorted(logged)))
    running = {kind: count for kind, count in _running_now(ctx).items() if count}
    if running:
        now = ", ".join(counted(count, kind) for kind, count in running.items())
        return passed(f"no recent training job logged to it, but the region runs {now} now")
    return failed(
        f"{server.status} (billed by the hour): no recent training job logged to it, and nothing in the region that "
        "could log to it runs now"
    )


@check(
    id="SM-MLFLOW-004",
    name="mlflow-tracking-server-oversized",
    title="MLflow tracking servers should be sized to the team that uses them",
    severity=Severity.LOW,
    pillar=Pillar.COST,
    resource=MlflowTrackingServer,
    uses=(StudioUserProfile,),
    settings={
        "small_users": Setting(default=25, description="users a Small tracking server serves", minimum=1),
        "medium_users": Setting(default=50, description="users a Medium tracking server serves", minimum=1),
    },
    rationale="""A Medium or Large tracking server bills several times a Small one. AWS sizes them by team: a Small
    server for up to 25 users, Medium up to 50, Large up to 100. A server larger than the region's Studio users
    need pays for capacity nobody uses.""",
    judges="""Running tracking servers (a stopped one costs no compute). Users are the region's Studio user profiles
    in service; people who reach MLflow without Studio are not counted, so raise the settings where they are
    many.""",
    remediation=Remediation(
        text="Resize the tracking server to the smallest size that serves its users.",
        cli="aws sagemaker update-mlflow-tracking-server --tracking-server-name <name> --tracking-server-size Small",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/mlflow-create-tracking-server.html",
        placeholders={"name": "resource_name"},
    ),
    references=(ml_lens("MLCOST-09"), ml_lens("MLCOST-27")),
)
def mlflow_tracking_server_oversized(server: MlflowTrackingServer, ctx: CheckContext) -> Outcome | None:
    if not server.running:
        return None
    size = server.size or "Small"
    users = sum(profile.in_service for profile in ctx.all(StudioUserProfile))
    needed = (
        "Small"
        if users <= ctx.setting("small_users")
        else "Medium"
        if users <= ctx.setting("medium_users")
        else "Large"
    )
    people = counted(users, "Studio user profile")
    if size in SIZES and SIZES.index(size) > SIZES.index(needed):
        return failed(f"a {size} server for {people} in the region: {needed} serves them")
    return passed(f"a {size} server for {people} in the region")
