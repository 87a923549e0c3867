"""SageMaker Clarify: bias and explainability analysis of the data and the models trained on it."""

from __future__ import annotations

from mlaudit.inventory import RegionScope
from mlaudit.inventory.sagemaker_jobs import ProcessingJob
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Severity,
    check,
    failed,
    ml_lens,
    passed,
    prowler,
)
from mlaudit.sdk.wording import names


@check(
    id="SM-CLARIFY-001",
    name="no-clarify-bias-analysis",
    title="Regions that train models should analyse them for bias with SageMaker Clarify",
    severity=Severity.LOW,
    pillar=Pillar.RESPONSIBLE_AI,
    resource=RegionScope,
    uses=(ProcessingJob,),
    service="sagemaker",
    rationale="""A model learns the biases of its training data: without a pre-training and post-training bias
    analysis (class imbalance, disparate impact across a facet such as age or gender) and a feature attribution
    report, nobody can say whether it treats groups fairly or why it decides as it does, which AI regulation
    increasingly requires. SageMaker Clarify runs these analyses as processing jobs on its own container image,
    which is how they are recognised, as Prowler recognises them.""",
    judges="""Regions with training jobs in the lookback window: PASS when a processing job of the window (started by
    hand, a pipeline or a bias monitor) runs the sagemaker-clarify-processing image, FAIL otherwise. Regions that
    do not train are not judged.""",
    remediation=Remediation(
        text="Add a Clarify step to the training pipeline (ClarifyCheckStep, or SageMakerClarifyProcessor.run_bias "
        "and run_explainability in the SageMaker Python SDK) that analyses the training data and the trained model "
        "for the facets that matter, and register its reports with the model version.",
        cli="aws sagemaker create-processing-job --processing-job-name <model>-bias "
        "--app-specification ImageUri=<clarify-image-uri> --role-arn <role-arn> "
        "--processing-resources 'ClusterConfig={InstanceCount=1,InstanceType=ml.m5.xlarge,VolumeSizeInGB=20}' "
        "--cli-input-json file://clarify-job.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-configure-processing-jobs.html",
    ),
    references=(ml_lens("MLOE-09"), ml_lens("MLOE-02"), prowler("sagemaker_clarify_exists")),
)
def no_clarify_bias_analysis(region: RegionScope, ctx: CheckContext) -> Outcome | None:
    if not region.training_jobs:
        return None
    clarify = sorted(job.name for job in ctx.all(ProcessingJob) if job.runs_clarify)
    if clarify:
        return passed(f"{len(clarify)} Clarify processing job(s) in the lookback window: " + names(clarify))
    return failed(f"{region.training_jobs} training job(s) in the lookback window, but no SageMaker Clarify job")
