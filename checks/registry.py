"""The model registry: versioned, approved and documented model packages are how a team knows what it deployed and
why."""

from __future__ import annotations

import re
from collections import Counter

from mlaudit.inventory import (
    Endpoint,
    EndpointConfig,
    KmsKey,
    Model,
    ModelPackage,
    ModelPackageGroup,
    RegionScope,
    TrainingJob,
)
from mlaudit.inventory.organizations import OrganizationAccounts
from mlaudit.inventory.sagemaker_inference import InferenceComponent
from mlaudit.inventory.sagemaker_registry import (
    ModelCard,
    ModelCardEncryption,
    ModelPackageDetail,
    ModelPackageGroupPolicy,
)
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Setting,
    Severity,
    check,
    documentation,
    failed,
    ml_lens,
    passed,
    prowler,
)
from mlaudit.sdk.endpoints import served_models
from mlaudit.sdk.kms import customer_managed_key
from mlaudit.sdk.sharing import grants_beyond
from mlaudit.sdk.wording import counted, names, short_arn

APPROVED = "Approved"
VERSIONED_PACKAGE = re.compile(r"^model-package/[^/]+/\d+$")
"""The resource of a registry version's ARN (`model-package/<group>/<version>`); Marketplace packages have none."""


def _arn_fields(reference: str) -> tuple[str, str, str] | None:
    """(region, account, resource) of an ARN, None for a name."""
    parts = reference.split(":", 5)
    return (parts[3], parts[4], parts[5]) if len(parts) == 6 and parts[0] == "arn" else None


def _version_arn(reference: str | None) -> bool:
    """Whether a model's ModelPackageName is the ARN of a registry version (of any account or region)."""
    fields = _arn_fields(reference or "")
    return fields is not None and bool(VERSIONED_PACKAGE.match(fields[2]))


@check(
    id="SM-REGISTRY-001",
    name="model-registry-unused",
    title="Regions that train or serve models should use the model registry",
    severity=Severity.MEDIUM,
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    resource=RegionScope,
    uses=(ModelPackageGroup, Endpoint, TrainingJob, Model),
    service="sagemaker",
    rationale="""Without a model registry, trained models live as loose artefacts in S3: nothing records which
    version is in production, who approved it, or which one to roll back to. Judged in regions with endpoints in
    service or training jobs completed in the lookback window. Following AWS's multi-account guidance, a region whose
    models are built from versions of a registry shared from another account or region uses a registry too.""",
    judges="""One finding per region with an endpoint InService or a training job Completed in the lookback window;
    other regions get none. Any model package group passes the region, as do models built from registry versions of
    another account or region.""",
    remediation=Remediation(
        text="Create a model package group per model, register every trained model as a version (a RegisterModel "
        "step of the training pipeline does it), and deploy from approved versions. Multi-account estates can share "
        "one central registry and deploy its versions by ARN.",
        cli="aws sagemaker create-model-package-group --model-package-group-name <model> "
        "--model-package-group-description <description>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry.html",
    ),
    references=(ml_lens("MLOE-11"), ml_lens("MLREL-13"), prowler("sagemaker_models_registry_in_use")),
)
def model_registry_unused(region: RegionScope, ctx: CheckContext) -> Outcome | None:
    if not (region.endpoints or region.training_jobs):
        return None
    serving = sorted(e.name for e in ctx.all(Endpoint) if e.in_service)
    trained = sorted(j.name for j in ctx.all(TrainingJob) if j.status == "Completed")
    if not serving and not trained:
        return None
    groups = sorted(g.name for g in ctx.all(ModelPackageGroup))
    if groups:
        return passed(counted(len(groups), "model package group") + ": " + names(groups))
    shared = sorted({package for m in ctx.all(Model) for package in m.model_packages if _version_arn(package)})
    if shared:
        return passed("no model package group here, but models are built from registry versions " + names(shared))
    return failed("no model package group, yet the region has " + _workloads(serving, trained))


def _workloads(serving: list[str], trained: list[str]) -> str:
    """`2 endpoints in service (a, b) and 1 completed training job (c)`."""
    workloads = [f"{counted(len(serving), 'endpoint')} in service ({names(serving)})"] if serving else []
    if trained:
        workloads.append(f"{counted(len(trained), 'completed training job')} ({names(trained)})")
    return " and ".join(workloads)


@check(
    id="SM-REGISTRY-002",
    name="registry-group-without-approved-version",
    title="Model package groups should hold an approved version",
    severity=Severity.LOW,
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    resource=ModelPackageGroup,
    uses=(ModelPackage,),
    rationale="""A registry group with no approved version means the approval step of the ML lifecycle is not being
    used: models reach production without a recorded decision, or the group is abandoned. Either way nobody can
    answer "which version is approved to serve?" from the registry.""",
    judges="""Every model package group, whatever its status. A group without versions fails; one Approved version
    passes it.""",
    remediation=Remediation(
        text="Review the group's latest version (its metrics and lineage) and approve it, or delete the group if it is "
        "no longer used. Make approval a step of the deployment pipeline.",
        cli="aws sagemaker update-model-package --model-package-arn <package-arn> --model-approval-status Approved",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-approve.html",
    ),
    references=(ml_lens("MLOE-11"), ml_lens("MLREL-13"), prowler("sagemaker_models_registry_in_use")),
)
def registry_group_without_approved_version(group: ModelPackageGroup, ctx: CheckContext) -> Outcome | None:
    versions = [p for p in ctx.all(ModelPackage) if p.group_name == group.name]
    if not versions:
        return failed("the group has no model package versions")
    approved = sorted(p.version or 0 for p in versions if p.approval_status == APPROVED)
    if approved:
        return passed(f"version {approved[-1]} is approved ({len(approved)} of {len(versions)} versions approved)")
    statuses = Counter(p.approval_status or "unknown" for p in versions)
    return failed(
        f"none of {len(versions)} versions is approved: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    )


@check(
    id="SM-REGISTRY-003",
    name="endpoint-serves-unapproved-package",
    title="Endpoints should serve only approved model versions",
    severity=Severity.HIGH,
    pillar=Pillar.RESPONSIBLE_AI,
    resource=Endpoint,
    uses=(EndpointConfig, Model, InferenceComponent, ModelPackage),
    rationale="""Approval is the registry's record that a person or a pipeline judged a version fit for production
    (accuracy, bias, explainability). A model built from a version that is pending approval, rejected or deleted
    serves predictions nobody signed off. Containers built from another account's or region's registry, or from a
    Marketplace package, cannot be judged from here and are left out; endpoints with no such container are not
    judged.""",
    judges="""Endpoints in service (others are left alone), through every model they serve: the models of the
    production and shadow variants and of the inference components on a variant that hosts them. Only models built
    from a version of this account's and region's registry are judged; an endpoint serving none is not.""",
    remediation=Remediation(
        text="Approve the version if it is fit for production, otherwise update the endpoint to a model built from an "
        "approved version. Deploy automatically on approval (an EventBridge rule on the version's status change) so "
        "that nothing else reaches an endpoint.",
        cli="aws sagemaker update-model-package --model-package-arn <package-arn> --model-approval-status Approved "
        "--approval-description <why>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-approve.html",
    ),
    references=(ml_lens("MLOE-11"), ml_lens("MLSEC-08"), ml_lens("MLREL-10")),
)
def endpoint_serves_unapproved_package(endpoint: Endpoint, ctx: CheckContext) -> Outcome | None:
    if not endpoint.in_service:
        return None
    approved: list[str] = []
    unapproved: list[str] = []
    for served in served_models(endpoint, ctx):
        for reference in served.packages:
            package = ctx.get(ModelPackage, reference)
            if package is not None:
                verdict = f"{served.name} from {package.name} ({package.approval_status or 'no approval status'})"
                (approved if package.approval_status == APPROVED else unapproved).append(verdict)
            elif _local_version(reference, ctx):
                unapproved.append(f"{served.name} from {short_arn(reference)}, which is no longer in the registry")
    if unapproved:
        return failed("serves unapproved versions: " + names(unapproved))
    if approved:
        return passed("serves approved versions: " + names(approved))
    return None


def _local_version(reference: str, ctx: CheckContext) -> bool:
    """Whether a package reference names a registry version of this account and region (`group/3` or its ARN)."""
    fields = _arn_fields(reference)
    if fields is None:
        return "/" in reference
    return fields[:2] == (ctx.region, ctx.account_id) and _version_arn(reference)


@check(
    id="SM-REGISTRY-004",
    name="approved-package-without-metrics",
    title="Approved model versions should carry their evaluation metrics",
    severity=Severity.LOW,
    pillar=Pillar.RESPONSIBLE_AI,
    resource=ModelPackage,
    uses=(ModelPackageDetail,),
    settings={
        "required_reports": Setting(
            default=(),
            description="ModelMetrics reports every approved version must have (e.g. ModelQuality.Statistics, "
            "Bias.PostTrainingReport); empty: any report will do",
        )
    },
    rationale="""An approval without the evaluation it was based on cannot be reviewed or audited later, and the next
    version cannot be compared with it. A version's ModelMetrics hold its quality, data-quality, bias and
    explainability reports. Evaluations recorded in the model card attached to the version also count (models
    registered from MLflow log their metrics there), unless specific reports are required by setting.""",
    judges="""Approved model package versions only; versions pending approval or rejected get no finding.""",
    remediation=Remediation(
        text="Register versions with the evaluation step's reports as ModelMetrics before approving them. ModelMetrics "
        "cannot be added to an existing version: register a new version with them and approve that one.",
        cli="aws sagemaker create-model-package --model-package-group-name <group> "
        "--inference-specification file://inference.json --model-metrics file://model-metrics.json "
        "--model-approval-status PendingManualApproval",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ModelMetrics.html",
    ),
    references=(ml_lens("MLPER-07"), ml_lens("MLOE-11"), ml_lens("MLOE-09")),
)
def approved_package_without_metrics(package: ModelPackage, ctx: CheckContext) -> Outcome | None:
    if package.approval_status != APPROVED:
        return None
    detail = ctx.require(ModelPackageDetail, package.arn)
    reports = sorted({r.kind for r in detail.metrics_reports})
    required = tuple(ctx.setting("required_reports"))
    missing = [kind for kind in required if kind not in reports]
    if missing:
        return failed("approved without the required reports " + names(missing) + _having(reports))
    if reports:
        return passed("evaluation reports: " + names(reports))
    if detail.model_card_evaluations and not required:
        return passed(f"no ModelMetrics, but its model card records {detail.model_card_evaluations} evaluation(s)")
    return failed("approved with empty ModelMetrics: no evaluation report records why it was fit to deploy")


def _having(reports: list[str]) -> str:
    return f" (it has {names(reports)})" if reports else " (its ModelMetrics are empty)"


@check(
    id="SM-REGISTRY-005",
    name="no-model-cards",
    title="Regions with approved models should document them in model cards",
    severity=Severity.LOW,
    pillar=Pillar.RESPONSIBLE_AI,
    resource=RegionScope,
    uses=(ModelPackage, ModelPackageDetail, ModelCard),
    service="sagemaker",
    rationale="""A model card records a model's intended uses, risks, training data and evaluation, which reviewers,
    auditors and the people affected by its predictions need. Judged in regions holding approved model versions. A
    model card attached to a version in the registry counts as well as a standalone one; archived cards do not.""",
    judges="""One finding per region that holds approved model versions; other regions get none. Any model card that
    is not archived passes, standalone or attached to a version.""",
    remediation=Remediation(
        text="Create a model card for each approved model (intended uses, risk rating, training details, evaluation "
        "results), standalone or attached to the version (ModelCard on create-model-package or "
        "update-model-package), and review it with the approval.",
        cli="aws sagemaker create-model-card --model-card-name <model> --content file://model-card.json "
        "--model-card-status Draft",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/model-cards.html",
    ),
    references=(
        ml_lens("MLOE-11"),
        ml_lens("MLSEC-08"),
        documentation(
            "Model package model cards", "https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-details.html"
        ),
    ),
)
def no_model_cards(region: RegionScope, ctx: CheckContext) -> Outcome | None:
    approved = sorted(p.name for p in ctx.all(ModelPackage) if p.approval_status == APPROVED)
    if not approved:
        return None
    cards = sorted(c.name for c in ctx.all(ModelCard) if c.status != "Archived")
    attached = sorted(d.name for d in ctx.all(ModelPackageDetail) if d.model_card_status not in (None, "Archived"))
    if cards or attached:
        documented = [f"{counted(len(cards), 'model card')} ({names(cards)})"] if cards else []
        documented += [f"cards attached to {names(attached)}"] if attached else []
        return passed(" and ".join(documented) + " for " + counted(len(approved), "approved version"))
    return failed(counted(len(approved), "approved model version") + f" ({names(approved)}) and no model card")


@check(
    id="SM-REGISTRY-006",
    name="model-package-group-shared-outside-organization",
    title="Model package groups should not be shared with everyone or outside the organization",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=ModelPackageGroup,
    uses=(ModelPackageGroupPolicy, OrganizationAccounts),
    settings={
        "trusted_accounts": Setting(
            default=(),
            description="accounts outside the organization that may be granted access to model package groups "
            "(a partner's, or a central registry's in another organization)",
        )
    },
    rationale="""A model package group's resource policy lets other accounts list, describe, register or deploy its
    versions: their model artefacts (the trained weights, and whatever training data they memorised), their
    metrics and lineage. Sharing within the organization is how a central registry serves its workload accounts;
    a policy granting everyone (Principal *), another organization or an account outside the organization hands
    the models to whoever controls it.""",
    judges="""Every model package group; a group without a resource policy passes. The Allow statements are read:
    Principal * fails unless a condition limits it to principals of the organization (aws:PrincipalOrgID or
    aws:PrincipalOrgPaths) or to named accounts (aws:PrincipalAccount), which are then judged; an account is inside
    when it is this account, one of the organization's accounts, or in trusted_accounts; service principals are
    not judged. The organization's accounts can be listed only from its management account or a delegated
    administrator: scanned from another member account, a grant to another account that is not in
    trusted_accounts fails, saying that its membership could not be read.""",
    remediation=Remediation(
        text="Limit the policy to the accounts that deploy the models, or to the organization with an "
        "aws:PrincipalOrgID condition, and grant only the read actions they need (DescribeModelPackage, "
        "ListModelPackages, DescribeModelPackageGroup); delete the policy if nothing should be shared.",
        cli="aws sagemaker put-model-package-group-policy --model-package-group-name <group> "
        "--resource-policy file://policy-limited-to-organization.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-ram.html",
        placeholders={"group": "resource_name"},
    ),
    references=(ml_lens("MLSEC-03"), ml_lens("MLSEC-12"), ml_lens("MLSEC-08")),
)
def model_package_group_shared_outside_organization(group: ModelPackageGroup, ctx: CheckContext) -> Outcome | None:
    policy = ctx.require(ModelPackageGroupPolicy, group.arn)
    if not policy.statements:
        return passed("no resource policy: only this account's principals can use the group")
    organization = ctx.all(OrganizationAccounts)[0]  # one per account: its collector always says something
    grants = grants_beyond(policy.statements, organization, ctx.setting("trusted_accounts"))
    outside = [g.grantee for g in grants if g.inside is False]
    unknown = [g.grantee for g in grants if g.inside is None]
    if outside or unknown:
        found = ["grants " + names(outside) + " outside the organization"] if outside else []
        if unknown:
            found.append(
                f"grants {names(unknown)}, not known to be in organization {organization.organization_id}: its "
                f"accounts could not be listed ({organization.unknown_because}); add them to trusted_accounts"
            )
        return failed("; ".join(found))
    inside = names([g.grantee for g in grants])
    return passed(f"shared only within the organization ({inside})" if grants else "grants no other account")


@check(
    id="SM-REGISTRY-007",
    name="model-card-not-cmk",
    title="Model cards should be encrypted with a customer managed KMS key",
    severity=Severity.LOW,
    pillar=Pillar.SECURITY,
    resource=ModelCard,
    uses=(ModelCardEncryption, KmsKey),
    rationale="""A model card records what a model is for, its risk rating, the data it was trained on and how it
    performed, often including findings about bias or the people its predictions affect. Without a customer managed
    key (SecurityConfig.KmsKeyId) the card, and its export jobs, are encrypted with a key AWS owns, so nobody can
    restrict, audit or revoke who decrypts them.""",
    judges="""Every model card, archived ones too (their content is kept). The key is looked up: an AWS managed key
    or one that no longer exists fails; a key of another account passes.""",
    remediation=Remediation(
        text="The key of a model card cannot be changed: create a new card with SecurityConfig naming a customer "
        "managed key, copy the content, and archive or delete the old one.",
        cli="aws sagemaker create-model-card --model-card-name <card> --content file://model-card.json "
        "--model-card-status Draft --security-config KmsKeyId=<key-arn>",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ModelCardSecurityConfig.html",
    ),
    references=(ml_lens("MLSEC-02"), ml_lens("MLOE-11")),
)
def model_card_not_cmk(card: ModelCard, ctx: CheckContext) -> Outcome | None:
    encryption = ctx.require(ModelCardEncryption, card.arn)
    return customer_managed_key(card, encryption.kms_key_id, ctx, "the model card's content")
