"""Training jobs (and the training job definitions of hyperparameter tuning jobs): where models meet the training
data, for hours on end, on instances that cost the most in an ML budget.

Only jobs created within the scan's lookback window are judged; past jobs cannot be changed, so each remediation is
about the next run and the guardrail (an IAM condition key) that makes it the default.
"""

from __future__ import annotations

from mlaudit.inventory import TrainingJob, s3_bucket_of
from mlaudit.inventory.file_systems import EFS, EfsFileSystem, FileSystemInput, FsxFileSystem
from mlaudit.inventory.sagemaker import TrainingConfiguration
from mlaudit.inventory.sagemaker_jobs import HyperParameterTuningJob
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Setting,
    Severity,
    check,
    checkov,
    config_rule,
    documentation,
    failed,
    kics,
    ml_lens,
    passed,
    prowler,
    security_hub,
    steampipe,
)
from mlaudit.sdk.instances import has_gpu, has_local_nvme_storage
from mlaudit.sdk.kms import expect_kms_keys
from mlaudit.sdk.verdicts import in_vpc, without_secrets
from mlaudit.sdk.wording import names, short_arn

S3_EXPRESS_SUFFIX = "--x-s3"
"""Directory buckets (S3 Express One Zone) end with this; they encrypt with SSE-S3 and take no KMS key."""


@check(
    id="SM-TRAINING-001",
    name="training-job-outside-vpc",
    title="Training jobs should run in a VPC",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=TrainingJob,
    rationale="""A training job without a VpcConfig runs in a network that SageMaker manages: its containers reach
    the internet and the training data in S3 without your security groups, VPC endpoint policies or flow logs, so
    training code or a compromised dependency can send the data anywhere. Network isolation alone does not replace
    it: SageMaker still moves the data over a network you do not control.""",
    judges="""Training jobs created in the lookback window, whatever their status, including those a tuning, AutoML
    or labeling job started.""",
    remediation=Remediation(
        text="Training jobs cannot be changed once started: give the next run a VpcConfig (private subnets with an S3 "
        "gateway endpoint, a security group), for example with subnets= and security_group_ids= on a SageMaker Python "
        "SDK estimator, and require it with the sagemaker:VpcSubnets condition key on sagemaker:CreateTrainingJob.",
        cli="aws sagemaker create-training-job --training-job-name <name> --cli-input-json file://job.json "
        "--vpc-config SecurityGroupIds=<sg-id>,Subnets=<subnet-a>,<subnet-b>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/train-vpc.html",
    ),
    references=(
        ml_lens("MLSEC-04"),
        ml_lens("MLSEC-08"),
        prowler("sagemaker_training_jobs_vpc_settings_configured"),
        steampipe("sagemaker_training_job_in_vpc"),
    ),
)
def training_job_outside_vpc(job: TrainingJob, ctx: CheckContext) -> Outcome | None:
    return in_vpc(job.vpc_subnets, "no VpcConfig: the job ran in a SageMaker-managed network")


@check(
    id="SM-TRAINING-002",
    name="training-job-no-network-isolation",
    title="Training jobs should run with network isolation",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=TrainingJob,
    rationale="""With network isolation, the training container makes no outbound call at all, not even inside the
    VPC: SageMaker alone copies the data in and the model artefacts out. Without it, training code (often pulled from
    public repositories with many dependencies) can exfiltrate training data or download a poisoned payload.""",
    judges="""Training jobs created in the lookback window, whatever their status, including those a tuning, AutoML
    or labeling job started.""",
    remediation=Remediation(
        text="Enable network isolation on the next run (enable_network_isolation=True on a SageMaker Python SDK "
        "estimator) after moving package installation into the training image, and require it with the "
        "sagemaker:NetworkIsolation condition key on sagemaker:CreateTrainingJob.",
        cli="aws sagemaker create-training-job --training-job-name <name> --cli-input-json file://job.json "
        "--enable-network-isolation",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html",
    ),
    references=(
        ml_lens("MLSEC-04"),
        ml_lens("MLSEC-10"),
        prowler("sagemaker_training_jobs_network_isolation_enabled"),
        steampipe("sagemaker_training_job_network_isolation_enabled"),
    ),
)
def training_job_no_network_isolation(job: TrainingJob, ctx: CheckContext) -> Outcome | None:
    if job.network_isolation:
        return passed("network isolation is enabled")
    return failed("EnableNetworkIsolation is false: the training container can reach the network")


@check(
    id="SM-TRAINING-003",
    name="training-job-no-inter-container-encryption",
    title="Distributed training jobs should encrypt traffic between instances",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=TrainingJob,
    rationale="""In distributed training, instances exchange gradients, parameters and batches of training data over
    the network, in plain text unless inter-container traffic encryption is on. Only jobs with more than one instance
    are judged (the instance groups of a heterogeneous cluster are added up): a single instance has no such
    traffic.""",
    judges="""Training jobs created in the lookback window, whatever their status, with more than one instance (the
    instance groups of a heterogeneous cluster added up); single-instance jobs get no finding.""",
    remediation=Remediation(
        text="Enable inter-container traffic encryption on the next run (encrypt_inter_container_traffic=True on a "
        "SageMaker Python SDK estimator; it adds some training time) and require it with the "
        "sagemaker:InterContainerTrafficEncryption condition key on sagemaker:CreateTrainingJob.",
        cli="aws sagemaker create-training-job --training-job-name <name> --cli-input-json file://job.json "
        "--enable-inter-container-traffic-encryption",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/train-encrypt.html",
    ),
    references=(
        ml_lens("MLSEC-09"),
        ml_lens("MLSEC-02"),
        prowler("sagemaker_training_jobs_intercontainer_encryption_enabled"),
        steampipe("sagemaker_training_job_inter_container_traffic_encryption_enabled"),
    ),
)
def training_job_no_inter_container_encryption(job: TrainingJob, ctx: CheckContext) -> Outcome | None:
    if (job.instance_count or 0) <= 1:
        return None
    if job.inter_container_encryption:
        return passed(f"traffic between its {job.instance_count} instances is encrypted")
    return failed(f"{job.instance_count} instances exchange traffic without inter-container encryption")


@check(
    id="SM-TRAINING-004",
    name="training-job-output-not-kms",
    title="Training jobs should encrypt model artefacts and storage volumes with KMS keys",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=TrainingJob,
    rationale="""Model artefacts and checkpoints encode the training data, and the storage volume holds a copy of it
    while the job runs. Without OutputDataConfig.KmsKeyId the artefacts use the account's AWS managed S3 key, and
    without ResourceConfig.VolumeKmsKeyId the volume a key you cannot control or revoke. Following the API reference,
    the volume key is not required on instance types with NVMe instance storage (hardware-encrypted; SageMaker
    rejects the key there), nor the output key for S3 Express One Zone buckets, which take no KMS key.""",
    judges="""Training jobs created in the lookback window, whatever their status. The output key is not required
    for S3 Express One Zone outputs, nor the volume key on NVMe instance types; any key passes without being looked
    up.""",
    remediation=Remediation(
        text="Set a customer managed KMS key for the output and for the storage volume on the next run "
        "(output_kms_key= and volume_kms_key= on a SageMaker Python SDK estimator), and require them with the "
        "sagemaker:OutputKmsKey and sagemaker:VolumeKmsKey condition keys on sagemaker:CreateTrainingJob.",
        cli="aws sagemaker create-training-job --training-job-name <name> --cli-input-json file://job.json "
        "--output-data-config S3OutputPath=<s3-uri>,KmsKeyId=<key-arn> "
        "--resource-config InstanceType=<type>,InstanceCount=1,VolumeSizeInGB=50,VolumeKmsKeyId=<key-arn>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html",
    ),
    references=(
        ml_lens("MLSEC-02"),
        prowler("sagemaker_training_jobs_volume_and_output_encryption_enabled"),
        steampipe("sagemaker_training_job_volume_and_data_encryption_enabled"),
    ),
)
def training_job_output_not_kms(job: TrainingJob, ctx: CheckContext) -> Outcome | None:
    keys: dict[str, str | None] = {}
    if not _in_s3_express(job.output_s3_uri):
        keys["OutputDataConfig.KmsKeyId (model artefacts)"] = job.output_kms_key_id
    if not job.instance_types or not all(has_local_nvme_storage(t) for t in job.instance_types):
        keys["ResourceConfig.VolumeKmsKeyId (storage volume)"] = job.volume_kms_key_id
    return expect_kms_keys(keys)


def _in_s3_express(uri: str | None) -> bool:
    return (s3_bucket_of(uri) or "").endswith(S3_EXPRESS_SUFFIX)


TrainingWork = TrainingJob | HyperParameterTuningJob


def _configurations(work: TrainingWork) -> list[tuple[str | None, TrainingConfiguration]]:
    """A training job's own configuration (unlabelled), or each training job definition of a tuning job."""
    if isinstance(work, HyperParameterTuningJob):
        return [(d.name or "its training job definition", d) for d in work.definitions]
    return [(None, work)]


def _for(labels: list[str | None]) -> str:
    named = [label for label in labels if label]
    return f" for {names(named)}" if named else ""


def _started_by_another_job(work: TrainingWork) -> bool:
    return isinstance(work, TrainingJob) and work.launched_by is not None


def _spot_impossible(config: TrainingConfiguration) -> bool:
    """Warm pools cannot use spot capacity, and a training plan's capacity is already paid for."""
    return bool(config.keep_alive_seconds or config.training_plan_arn)


@check(
    id="SM-TRAINING-005",
    name="training-without-spot",
    title="Training jobs and tuning jobs should use managed spot training",
    severity=Severity.LOW,
    pillar=Pillar.COST,
    resource=(TrainingJob, HyperParameterTuningJob),
    rationale="""Managed spot training runs the same job on spare capacity for up to 90% less, and SageMaker handles
    the interruptions; training and tuning are the largest compute bills of most ML teams. Tuning jobs are judged on
    their training job definitions, and the training jobs a tuning, AutoML or labeling job starts are left to that
    job. Jobs that keep a warm pool (which cannot use spot capacity, per the warm pools documentation) or run on a
    training plan's prepaid capacity are not judged.""",
    judges="""Training jobs of the lookback window that no tuning, AutoML or labeling job started, and tuning jobs
    (each training job definition), whatever their status; jobs with a warm pool or on a training plan get no
    finding.""",
    remediation=Remediation(
        text="Enable managed spot training on the next run (use_spot_instances=True and max_wait on a SageMaker "
        "Python SDK estimator, or EnableManagedSpotTraining in a tuning job's training job definition), with "
        "checkpoints so that an interruption resumes instead of restarting.",
        cli="aws sagemaker create-training-job --training-job-name <name> --cli-input-json file://job.json "
        "--enable-managed-spot-training --checkpoint-config S3Uri=<s3-uri> "
        "--stopping-condition MaxRuntimeInSeconds=86400,MaxWaitTimeInSeconds=172800",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/model-managed-spot-training.html",
    ),
    references=(ml_lens("MLCOST-14"),),
)
def training_without_spot(work: TrainingWork, ctx: CheckContext) -> Outcome | None:
    if _started_by_another_job(work):
        return None
    judged = [(label, config) for label, config in _configurations(work) if not _spot_impossible(config)]
    if not judged:
        return None
    on_demand = [label for label, config in judged if not config.spot]
    if on_demand:
        return failed("managed spot training is off" + _for(on_demand) + ": on-demand capacity at full price")
    return passed("managed spot training is on" + _for([label for label, _ in judged]))


@check(
    id="SM-TRAINING-006",
    name="spot-training-without-checkpoints",
    title="Spot training should save checkpoints to S3",
    severity=Severity.MEDIUM,
    pillar=Pillar.RELIABILITY,
    resource=(TrainingJob, HyperParameterTuningJob),
    rationale="""Spot capacity can be reclaimed at any time. Without a CheckpointConfig, an interrupted job starts
    over from the first epoch, which can repeat for as long as the wait time allows and then fail, wasting the
    savings spot was meant to bring; SageMaker limits built-in algorithms without checkpoints to one hour of
    waiting. Tuning jobs are judged on their training job definitions, as for SM-TRAINING-005.""",
    judges="""The jobs SM-TRAINING-005 judges, when they run on managed spot training; on-demand jobs get no
    finding.""",
    remediation=Remediation(
        text="Give the next run a CheckpointConfig (checkpoint_s3_uri= on a SageMaker Python SDK estimator) and make "
        "the training script save to and resume from /opt/ml/checkpoints.",
        cli="aws sagemaker create-training-job --training-job-name <name> --cli-input-json file://job.json "
        "--enable-managed-spot-training --checkpoint-config S3Uri=<s3-uri>,LocalPath=/opt/ml/checkpoints",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/model-checkpoints.html",
    ),
    references=(ml_lens("MLCOST-18"), ml_lens("MLCOST-14")),
)
def spot_training_without_checkpoints(work: TrainingWork, ctx: CheckContext) -> Outcome | None:
    if _started_by_another_job(work):
        return None
    on_spot = [(label, config) for label, config in _configurations(work) if config.spot]
    if not on_spot:
        return None
    unprotected = [label for label, config in on_spot if not config.checkpoint_s3_uri]
    if unprotected:
        return failed(
            "spot training without CheckpointConfig.S3Uri" + _for(unprotected) + ": an interruption restarts it"
        )
    return passed("checkpoints to " + names(sorted({str(config.checkpoint_s3_uri) for _, config in on_spot})))


@check(
    id="SM-TRAINING-007",
    name="training-not-tracked",
    title="Training jobs should be tracked in an experiment",
    severity=Severity.INFO,
    pillar=Pillar.OPERATIONAL_EXCELLENCE,
    resource=TrainingJob,
    rationale="""A training job outside any experiment leaves no record of which data, code, hyperparameters and
    metrics produced a model, so results cannot be compared, reproduced or traced back from a deployed model. A job
    is tracked when its ExperimentConfig names an experiment or trial (pipelines set one by default) or its
    MlflowConfig logs to a SageMaker managed MLflow server; jobs started by a tuning, AutoML or labeling job are
    tracked by that job.""",
    judges="""Training jobs of the lookback window that no tuning, AutoML or labeling job started, whatever their
    status; tuning jobs are not judged.""",
    remediation=Remediation(
        text="Run training inside an experiment: log to SageMaker managed MLflow, run the job from a SageMaker "
        "pipeline, or pass an ExperimentConfig when creating it.",
        cli="aws sagemaker create-training-job --training-job-name <name> --cli-input-json file://job.json "
        "--experiment-config ExperimentName=<experiment>,TrialName=<trial>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/mlflow.html",
    ),
    references=(
        ml_lens("MLOE-11"),
        ml_lens("MLOE-07"),
        documentation(
            "ExperimentConfig", "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ExperimentConfig.html"
        ),
    ),
)
def training_not_tracked(job: TrainingJob, ctx: CheckContext) -> Outcome | None:
    if job.launched_by:
        return None
    if job.experiment_name or job.trial_name:
        return passed(
            "tracked in " + (f"experiment {job.experiment_name}" if job.experiment_name else f"trial {job.trial_name}")
        )
    if job.mlflow_resource_arn:
        return passed(f"logs to the MLflow tracking server {short_arn(job.mlflow_resource_arn)}")
    return failed("neither ExperimentConfig nor MlflowConfig: nothing records how this job's model was produced")


@check(
    id="SM-TRAINING-008",
    name="training-job-environment-secrets",
    title="Training and tuning job environments should not hold secrets",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=(TrainingJob, HyperParameterTuningJob),
    rationale="""A training job's environment variables are returned in clear text to anyone allowed to call
    DescribeTrainingJob (a tuning job's to anyone allowed DescribeHyperParameterTuningJob, and copied into every
    training job it starts), for as long as the job's record is kept. A variable whose name says it holds a secret
    or whose value looks like a credential (an AWS access key, a Hugging Face or Weights & Biases token, a URL with a
    password) should come from Secrets Manager instead. Findings name the variable and the kind of secret; values
    are never collected.""",
    judges="""Training jobs and tuning jobs (each training job definition) created in the lookback window, whatever
    their status. The training jobs a tuning job starts are left to the tuning job, which set their environment;
    those an AutoML or labeling job starts are judged as any other.""",
    remediation=Remediation(
        text="Store the secret in AWS Secrets Manager, grant the job's role secretsmanager:GetSecretValue on it and "
        "have the training script read it at start-up; start the next run without the variable (environment= on a "
        "SageMaker Python SDK estimator), and rotate the exposed secret.",
        cli="aws secretsmanager create-secret --name <job>/<variable> --secret-string file://secret.txt",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTrainingJob.html#sagemaker-CreateTrainingJob-request-Environment",
    ),
    references=(ml_lens("MLSEC-04"), ml_lens("MLSEC-03")),
)
def training_job_environment_secrets(work: TrainingWork, ctx: CheckContext) -> Outcome | None:
    if isinstance(work, TrainingJob) and work.launched_by and ":hyper-parameter-tuning-job/" in work.launched_by:
        return None
    return without_secrets(
        (label, config.environment_keys, config.environment_secrets) for label, config in _configurations(work)
    )


@check(
    id="SM-TRAINING-009",
    name="long-gpu-training-not-profiled",
    title="Long training jobs on GPU instances should be profiled",
    severity=Severity.INFO,
    pillar=Pillar.PERFORMANCE,
    resource=TrainingJob,
    settings={
        "min_hours": Setting(
            default=4,
            description="training hours from which a GPU training job should be profiled",
            minimum=1,
            maximum=720,
        )
    },
    rationale="""GPU instances are the most expensive in an ML budget, and a training job that starves its GPUs (a
    slow data loader, a CPU bottleneck, a batch too small) pays for them idle for hours. Profiling shows it: SageMaker
    Debugger and Profiler rules (LowGPUUtilization, ProfilerReport) for the accounts that still use them, or, as AWS
    now recommends since Debugger closed to new customers, a framework profiler whose traces go to the job's
    TensorBoard output. A job counts as profiled with either.""",
    judges="""Training jobs created in the lookback window that ran on NVIDIA GPU instances (P and G families) for at
    least `min_hours`, by TrainingTimeInSeconds; jobs still running, on other instances, or started by a tuning,
    AutoML or labeling job are not judged.""",
    remediation=Remediation(
        text="Give the next run a TensorBoardOutputConfig and enable the framework's profiler in the training script "
        "(torch.profiler with a TensorBoard trace handler writing to /opt/ml/output/tensorboard), and watch the "
        "job's GPUUtilization metric in CloudWatch; accounts that use SageMaker Debugger can add the "
        "LowGPUUtilization profiler rule instead.",
        cli="aws sagemaker create-training-job --training-job-name <name> --cli-input-json file://job.json "
        "--tensor-board-output-config S3OutputPath=<s3-uri>,LocalPath=/opt/ml/output/tensorboard",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/profiler-availability-change.html",
    ),
    references=(
        ml_lens("MLPER-05"),
        ml_lens("MLCOST-09"),
        documentation(
            "Debugger built-in rules", "https://docs.aws.amazon.com/sagemaker/latest/dg/debugger-built-in-rules.html"
        ),
    ),
)
def long_gpu_training_not_profiled(job: TrainingJob, ctx: CheckContext) -> Outcome | None:
    hours = (job.training_seconds or 0) / 3600
    if job.launched_by or not has_gpu(job.instance_type) or hours < ctx.setting("min_hours"):
        return None
    ran = f"trained {hours:.1f} h on {job.instance_count or 1} {job.instance_type}"
    if job.debugger_rules:
        return passed(f"{ran}, analysed by {names(list(job.debugger_rules))}")
    if job.tensorboard_s3_uri:
        return passed(f"{ran}, with TensorBoard output to {job.tensorboard_s3_uri} for its profiler traces")
    return failed(f"{ran} with neither Debugger or Profiler rules nor TensorBoard output: GPU use was not profiled")


def _file_system_encryption(source: FileSystemInput, ctx: CheckContext) -> tuple[str, bool] | None:
    """How a channel's file system is encrypted at rest, and whether with a KMS key; None when it no longer exists."""
    if source.file_system_type == EFS:
        efs = ctx.get(EfsFileSystem, source.file_system_id)
        if efs is None:
            return None
        if efs.encrypted:
            return f"EFS {efs.name} is encrypted with {efs.kms_key_id or 'a KMS key'}", True
        return f"EFS {efs.name} is not encrypted at rest", False
    fsx = ctx.get(FsxFileSystem, source.file_system_id)
    if fsx is None:
        return None
    if fsx.kms_key_id:
        return f"FSx {fsx.name} is encrypted with {fsx.kms_key_id}", True
    kind = f"a {fsx.deployment_type} file system" if fsx.deployment_type else "a file system"
    return f"FSx {fsx.name} ({kind}) is encrypted only with a key FSx owns", False


@check(
    id="SM-TRAINING-010",
    name="training-file-system-not-encrypted",
    title="Training jobs should read their data from file systems encrypted with KMS keys",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=TrainingJob,
    uses=(EfsFileSystem, FsxFileSystem),
    rationale="""Large training sets are often read from EFS or FSx for Lustre (a FileSystemDataSource channel)
    instead of S3, and those file systems then hold the training data at rest, outside the bucket policies and
    S3-ML checks. An EFS file system must be created encrypted (it cannot be encrypted later); FSx for Lustre always
    encrypts, but a scratch file system only with a key FSx owns, which you can neither control, audit nor revoke,
    while a persistent one takes a KMS key (KmsKeyId). Whether that key is customer managed is KMS-ML-001's
    verdict.""",
    judges="""Training jobs created in the lookback window with at least one file-system channel, whatever their
    status, on the file systems that still exist (one that was deleted since is not judged); jobs that read only S3
    are not judged.""",
    remediation=Remediation(
        text="Copy the training data to an EFS file system created with encryption at rest and a customer managed "
        "key, or to a persistent FSx for Lustre file system with a KmsKeyId, and point the next run's "
        "FileSystemDataSource at it.",
        cli="aws efs create-file-system --encrypted --kms-key-id <key-arn> --performance-mode generalPurpose "
        "--tags Key=Name,Value=<name>",
        url="https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
    ),
    references=(
        ml_lens("MLSEC-02"),
        security_hub("EFS.1"),
        config_rule("efs-encrypted-check"),
        steampipe("efs_file_system_encrypt_data_at_rest"),
        checkov("CKV_AWS_42"),
        kics("EFS Not Encrypted", "48207659-729f-4b5c-9402-f884257d794f"),
    ),
)
def training_file_system_not_encrypted(job: TrainingJob, ctx: CheckContext) -> Outcome | None:
    verdicts = [v for source in job.file_system_inputs if (v := _file_system_encryption(source, ctx)) is not None]
    if not verdicts:
        return None
    weak = [text for text, encrypted in verdicts if not encrypted]
    if weak:
        return failed("; ".join(weak))
    return passed("; ".join(text for text, _ in verdicts))
