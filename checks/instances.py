"""Instance types across SageMaker: endpoints, notebooks and training jobs on the hardware they run on."""

from __future__ import annotations

from mlaudit.inventory import Endpoint, EndpointConfig, NotebookInstance, TrainingJob
from mlaudit.sdk import CheckContext, Outcome, Pillar, Remediation, Setting, Severity, check, failed, ml_lens, passed
from mlaudit.sdk.endpoints import endpoint_config_of
from mlaudit.sdk.instances import instance_family
from mlaudit.sdk.wording import names

DEFAULT_SUCCESSORS = ("t2=t3", "m4=m7i", "c4=c7i", "p2=g6", "p3=p4d", "p3dn=p4d")
"""Previous-generation families offered by SageMaker, each with a current family offered for notebooks, training
and hosting alike, except ml.t3, which hosting does not offer."""

DEFAULT_HOSTING_SUCCESSORS = ("t2=m7i",)
"""Where endpoints need another suggestion: hosting offers no ml.t3, and ml.m7i.large is the nearest current size
to an ml.t2.medium or ml.t2.large (serverless inference being the other way for small endpoints)."""


def successors(pairs: tuple[str, ...]) -> dict[str, str]:
    """The `previous=current` setting as a mapping: `("ml.p3=p4d",)` -> `{"p3": "p4d"}`."""
    mapping = {}
    for pair in pairs:
        previous, separator, current = (part.strip().removeprefix("ml.") for part in pair.partition("="))
        if not (previous and separator and current):
            raise ValueError(f"successors entry {pair!r} is not previous=current (e.g. p3=p4d)")
        mapping[previous] = current
    return mapping


def _placements(resource: Endpoint | NotebookInstance | TrainingJob, ctx: CheckContext) -> list[tuple[str, str]]:
    """(what runs, instance type) for each instance-based part of the resource; none when not applicable."""
    if isinstance(resource, Endpoint):
        if not resource.in_service:
            return []
        variants = endpoint_config_of(resource, ctx).variants
        return [
            (f"variant {v.variant_name}", v.instance_type) for v in variants if v.instance_type and not v.serverless
        ]
    if isinstance(resource, TrainingJob) and resource.instance_groups:  # a heterogeneous cluster: every group
        return [(f"instance group {g.name}", g.instance_type) for g in resource.instance_groups]
    what = "the notebook" if isinstance(resource, NotebookInstance) else "the training job"
    return [(what, resource.instance_type)] if resource.instance_type else []


@check(
    id="SM-INSTANCE-001",
    name="previous-generation-instance",
    title="ML workloads should run on current-generation instance families",
    severity=Severity.LOW,
    pillar=Pillar.SUSTAINABILITY,
    resource=(Endpoint, NotebookInstance, TrainingJob),
    uses=(EndpointConfig,),
    settings={
        "successors": Setting(
            default=DEFAULT_SUCCESSORS,
            description="previous-generation families and the current family to suggest for each, as previous=current",
        ),
        "hosting_successors": Setting(
            default=DEFAULT_HOSTING_SUCCESSORS,
            description="suggestions for endpoint variants that replace those of `successors` (hosting offers no ml.t3)",
        ),
    },
    rationale="""Previous-generation instances (ml.t2, ml.m4, ml.c4, ml.p2, ml.p3) do less work per watt and per
    dollar than their current counterparts, and their GPUs lack the tensor cores and memory that current frameworks
    expect, so the same model trains or serves slower at a higher cost and footprint. Judged: endpoints in service (each
    instance-based variant of their config), notebook instances whatever their status (the type they run on when
    started) and training jobs in the lookback window (each instance group of a heterogeneous cluster); the finding names the suggested current family, from a
    setting, with its own suggestions for endpoints where hosting does not offer a family (ml.t3).""",
    judges="""Endpoints InService (each instance-based variant of their config; serverless variants are not judged),
    every notebook instance whatever its status, and training jobs of the lookback window. A family not in the
    successors setting passes.""",
    remediation=Remediation(
        text="Move to the suggested current family after a quick benchmark: update a stopped notebook's instance type; "
        "deploy a new endpoint config on the current family and update the endpoint (a blue/green deployment; "
        "Inference Recommender can choose the size; hosting has no ml.t3, so consider serverless inference for "
        "small endpoints); use the current family in the next training job.",
        cli="aws sagemaker stop-notebook-instance --notebook-instance-name <notebook> && "
        "aws sagemaker update-notebook-instance --notebook-instance-name <notebook> --instance-type ml.<current-family>.<size>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/inference-recommender.html",
    ),
    references=(ml_lens("MLSUS-12"), ml_lens("MLPER-05"), ml_lens("MLCOST-09")),
)
def previous_generation_instance(
    resource: Endpoint | NotebookInstance | TrainingJob, ctx: CheckContext
) -> Outcome | None:
    placements = _placements(resource, ctx)
    if not placements:
        return None
    current = successors(ctx.setting("successors"))
    if isinstance(resource, Endpoint):
        current |= successors(ctx.setting("hosting_successors"))
    previous = [
        f"{what} runs on {instance_type} (suggested current family: ml.{current[instance_family(instance_type)]})"
        for what, instance_type in placements
        if instance_family(instance_type) in current
    ]
    if previous:
        return failed("previous-generation family: " + names(previous))
    return passed("no previous-generation family: " + names([f"{what} runs on {t}" for what, t in placements]))
