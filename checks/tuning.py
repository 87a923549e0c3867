"""Hyperparameter tuning jobs: tens or hundreds of training jobs started to find one good configuration, most of
which are not worth finishing."""

from __future__ import annotations

from mlaudit.inventory.sagemaker_jobs import HyperParameterTuningJob
from mlaudit.sdk import CheckContext, Outcome, Pillar, Remediation, Severity, check, failed, ml_lens, passed

STRATEGIES_WITH_EARLY_STOPPING = frozenset({"Bayesian", "Random"})
"""Strategies that stop unpromising training jobs only when TrainingJobEarlyStoppingType is Auto."""


@check(
    id="SM-TUNING-001",
    name="tuning-job-no-early-stopping",
    title="Tuning jobs should stop unpromising training jobs early",
    severity=Severity.LOW,
    pillar=Pillar.COST,
    resource=HyperParameterTuningJob,
    rationale="""A tuning job runs many training jobs, and most hyperparameter combinations are visibly worse than the
    best one after a few epochs. With early stopping (TrainingJobEarlyStoppingType Auto) SageMaker stops a training
    job whose objective metric falls behind the median of the completed ones, which cuts the tuning bill and time
    without changing the result; the default is Off. The Hyperband strategy stops under-performing jobs by its own
    mechanism (and requires Off).""",
    judges="""Tuning jobs created in the lookback window, whatever their status, with the Bayesian or Random strategy
    (FAIL when early stopping is Off) or Hyperband (PASS); Grid search, which runs every combination by design, is
    not judged.""",
    remediation=Remediation(
        text="Set early_stopping_type='Auto' on the SageMaker Python SDK HyperparameterTuner (TrainingJobEarlyStoppingType "
        "Auto in HyperParameterTuningJobConfig) for the next tuning job; the training script must emit the objective "
        "metric after each epoch, as the built-in algorithms do. Or use the Hyperband strategy.",
        cli="aws sagemaker create-hyper-parameter-tuning-job --hyper-parameter-tuning-job-name <name> "
        "--cli-input-json file://tuning-job.json "
        "--hyper-parameter-tuning-job-config file://config-with-TrainingJobEarlyStoppingType-Auto.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/automatic-model-tuning-early-stopping.html",
    ),
    references=(ml_lens("MLCOST-18"), ml_lens("MLCOST-09")),
)
def tuning_job_no_early_stopping(job: HyperParameterTuningJob, ctx: CheckContext) -> Outcome | None:
    if job.strategy == "Hyperband":
        return passed("the Hyperband strategy stops under-performing training jobs itself")
    if job.strategy not in STRATEGIES_WITH_EARLY_STOPPING:
        return None
    if job.early_stopping == "Auto":
        return passed(f"{job.strategy} search with early stopping (Auto)")
    return failed(
        f"{job.strategy} search with early stopping {job.early_stopping or 'Off'}: every training job runs to the end"
    )
