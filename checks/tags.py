"""Ownership tags on ML resources: who to ask, who pays, and which environment a resource belongs to."""

from __future__ import annotations

from mlaudit.inventory import Endpoint, Model, ModelPackageGroup, NotebookInstance, Record, TrainingJob
from mlaudit.inventory.sagemaker_features import FeatureGroup
from mlaudit.inventory.sagemaker_images import AppImageConfig, SageMakerImage
from mlaudit.inventory.sagemaker_pipelines import Pipeline
from mlaudit.inventory.sagemaker_studio import StudioDomain
from mlaudit.inventory.tags import ResourceTags
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Setting,
    Severity,
    check,
    config_rule,
    failed,
    ml_lens,
    passed,
    security_hub,
)

AWS_RESERVED_PREFIX = "aws:"


@check(
    id="SM-TAG-001",
    name="ml-resource-missing-owner-tags",
    title="ML resources should carry the required ownership tags",
    severity=Severity.LOW,
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    resource=(
        Endpoint,
        Model,
        NotebookInstance,
        TrainingJob,
        ModelPackageGroup,
        Pipeline,
        FeatureGroup,
        StudioDomain,
        SageMakerImage,
        AppImageConfig,
    ),
    uses=(ResourceTags,),
    settings={
        "required_tags": Setting(
            default=("owner", "cost-center", "environment"), description="tag keys every ML resource must carry"
        )
    },
    rationale="""An endpoint or a training job nobody owns is one nobody watches, fixes or turns off, and its cost
    cannot be charged back to a team. Every required tag key must be present with a non-empty value; keys are
    compared without regard to case (Owner counts as owner), and tags AWS sets itself (aws:...) do not count.""",
    judges="""Every endpoint, model, notebook instance, training job (in the lookback window), model package group,
    pipeline, feature group, Studio domain, custom image and app image config, whatever its state. Security Hub
    SageMaker.6 and SageMaker.7 ask app image configs and images for any tag (or the keys they are given); this
    check asks every ML resource for the required keys.""",
    remediation=Remediation(
        text="Add the missing tags to the resource, then enforce them for new resources with a tag policy or an "
        "aws:RequestTag condition in the IAM policies that create SageMaker resources.",
        cli="aws sagemaker add-tags --resource-arn <resource-arn> "
        "--tags Key=owner,Value=<team> Key=cost-center,Value=<cost-center> Key=environment,Value=<environment>",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AddTags.html",
        placeholders={"resource-arn": "resource_arn"},
    ),
    references=(
        ml_lens("MLOE-04"),
        ml_lens("MLCOST-20"),
        ml_lens("MLCOST-27"),
        config_rule("sagemaker-feature-group-tagged"),
        config_rule("sagemaker-domain-tagged"),
        security_hub("SageMaker.6"),
        config_rule("sagemaker-app-image-config-tagged"),
        security_hub("SageMaker.7"),
        config_rule("sagemaker-image-tagged"),
    ),
)
def ml_resource_missing_owner_tags(record: Record, ctx: CheckContext) -> Outcome | None:
    tags = ctx.require(ResourceTags, record.arn).tags
    present = {
        key.lower() for key, value in tags.items() if not key.lower().startswith(AWS_RESERVED_PREFIX) and value.strip()
    }
    required = ctx.setting("required_tags")
    missing = [key for key in required if key.lower() not in present]
    if missing:
        return failed("missing tag(s): " + ", ".join(missing))
    return passed("has " + ", ".join(required))
