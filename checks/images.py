"""Custom SageMaker images: the container images a team brings to Studio for its kernels and editors."""

from __future__ import annotations

from mlaudit.inventory.sagemaker_images import SageMakerImage
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Severity,
    check,
    config_rule,
    failed,
    ml_lens,
    passed,
)


@check(
    id="SM-IMAGE-001",
    name="image-without-description",
    title="Custom SageMaker images should say what they are for",
    severity=Severity.INFO,
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    resource=SageMakerImage,
    rationale="""A custom image is offered to every Studio user of the domains it is attached to, as the environment
    their notebooks run in. Without a description nobody can tell which team maintains it, what it contains or
    whether it is still meant to be used, so stale images with old libraries stay attached and in use.""",
    judges="""Every custom image that was created (images whose creation failed or that are being deleted are
    left alone); a description of blanks counts as none.""",
    remediation=Remediation(
        text="Describe the image: what it contains, who maintains it and what it is for.",
        cli="aws sagemaker update-image --image-name <image> --description '<what it is for, who maintains it>'",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateImage.html",
        placeholders={"image": "resource_name"},
    ),
    references=(ml_lens("MLOE-04"), ml_lens("MLOE-11"), config_rule("sagemaker-image-description")),
)
def image_without_description(image: SageMakerImage, ctx: CheckContext) -> Outcome | None:
    if image.status in ("CREATE_FAILED", "DELETING"):
        return None
    if image.description and image.description.strip():
        return passed(f"described: {image.description.strip()[:80]}")
    return failed("the image has no description")
