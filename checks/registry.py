"""The model registry: versioned, approved model packages are how a team knows what it deployed and why."""

from __future__ import annotations

from collections import Counter

from mlaudit.inventory import ModelPackage, ModelPackageGroup
from mlaudit.sdk import CheckContext, Outcome, Pillar, Remediation, Severity, check, failed, ml_lens, passed


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
    remediation=Remediation(
        text="Review the group's latest version (its metrics and lineage) and approve it, or delete the group if it is "
        "no longer used. Make approval a step of the deployment pipeline.",
        cli="aws sagemaker update-model-package --model-package-arn <package-arn> --model-approval-status Approved",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-approve.html",
    ),
    references=(ml_lens("MLOE-11"), ml_lens("MLREL-13")),
)
def registry_group_without_approved_version(group: ModelPackageGroup, ctx: CheckContext) -> Outcome | None:
    versions = [p for p in ctx.all(ModelPackage) if p.group_name == group.name]
    if not versions:
        return failed("the group has no model package versions")
    approved = sorted(p.version or 0 for p in versions if p.approval_status == "Approved")
    if approved:
        return passed(f"version {approved[-1]} is approved ({len(approved)} of {len(versions)} versions approved)")
    statuses = Counter(p.approval_status or "unknown" for p in versions)
    return failed(f"none of {len(versions)} versions is approved: " + ", ".join(f"{n} {s}" for s, n in sorted(statuses.items())))
