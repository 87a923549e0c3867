"""Processing and batch transform jobs: feature engineering, evaluation and offline scoring, which read and write the
same sensitive data as training, in bulk.

Only jobs created within the scan's lookback window are judged. A processing job started by another SageMaker
resource (a Model Monitor schedule, an AutoML job, a training job's Debugger or profiler rules) takes its
configuration from that resource and is left to it: one schedule would otherwise give a finding per run, every hour.
"""

from __future__ import annotations

from mlaudit.inventory.sagemaker_jobs import ProcessingJob, TransformJob
from mlaudit.sdk import CheckContext, Outcome, Pillar, Remediation, Severity, check, failed, ml_lens, passed
from mlaudit.sdk.instances import has_local_nvme_storage
from mlaudit.sdk.kms import expect_kms_keys
from mlaudit.sdk.verdicts import in_vpc, without_secrets

_NVME_NOTE = """The volume key is not required on instance types with NVMe instance storage, which is encrypted by
    hardware and for which the API reference says SageMaker rejects a VolumeKmsKeyId."""


@check(
    id="SM-PROCESSING-001",
    name="processing-job-output-not-kms",
    title="Processing jobs should encrypt their outputs and storage volumes with KMS keys",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=ProcessingJob,
    rationale="""Processing jobs turn raw data into features, evaluation reports and baselines, and stage it on the
    instance's storage volume while they run. Without ProcessingOutputConfig.KmsKeyId the S3 outputs use the AWS
    managed S3 key, and without ClusterConfig.VolumeKmsKeyId the volume a key you cannot control or revoke. The
    output key is judged only for jobs with S3 outputs (a feature group output is encrypted by the feature group).
    """
    + _NVME_NOTE,
    judges="""Processing jobs created in the lookback window, whatever their status, except those a monitoring
    schedule, AutoML job or training job (Debugger and profiler rules) started. The output key is required only for
    S3 outputs, the volume key not on NVMe instance types; any key passes without being looked up.""",
    remediation=Remediation(
        text="Set a customer managed KMS key for the outputs and the storage volume on the next run (output_kms_key= "
        "and volume_kms_key= on a SageMaker Python SDK processor), and require them with the sagemaker:OutputKmsKey "
        "and sagemaker:VolumeKmsKey condition keys on sagemaker:CreateProcessingJob.",
        cli="aws sagemaker create-processing-job --processing-job-name <name> --cli-input-json file://job.json "
        "--processing-output-config file://outputs-with-kms-key.json "
        "--processing-resources 'ClusterConfig={InstanceCount=1,InstanceType=<type>,VolumeSizeInGB=30,VolumeKmsKeyId=<key-arn>}'",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProcessingOutputConfig.html",
    ),
    references=(ml_lens("MLSEC-02"),),
)
def processing_job_output_not_kms(job: ProcessingJob, ctx: CheckContext) -> Outcome | None:
    if job.launched_by:
        return None
    keys: dict[str, str | None] = {}
    if job.output_s3_uris:
        keys["ProcessingOutputConfig.KmsKeyId (outputs)"] = job.output_kms_key_id
    if not has_local_nvme_storage(job.instance_type):
        keys["ClusterConfig.VolumeKmsKeyId (storage volume)"] = job.volume_kms_key_id
    return expect_kms_keys(keys)


@check(
    id="SM-PROCESSING-002",
    name="processing-job-no-network-isolation",
    title="Processing jobs should run with network isolation",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=ProcessingJob,
    rationale="""A processing container runs arbitrary scripts over the raw data, often with libraries installed at
    start-up. With network isolation it makes no outbound call at all and SageMaker alone moves data in and out;
    without it, the script or a compromised dependency can send the data anywhere the network allows.""",
    judges="""Processing jobs created in the lookback window, whatever their status, except those a monitoring
    schedule, AutoML job or training job (Debugger and profiler rules) started.""",
    remediation=Remediation(
        text="Enable network isolation on the next run (NetworkConfig with EnableNetworkIsolation, e.g. network_config="
        "NetworkConfig(enable_network_isolation=True) on a SageMaker Python SDK processor) after baking dependencies "
        "into the image, and require it with the sagemaker:NetworkIsolation condition key.",
        cli="aws sagemaker create-processing-job --processing-job-name <name> --cli-input-json file://job.json "
        "--network-config EnableNetworkIsolation=true",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_NetworkConfig.html",
    ),
    references=(ml_lens("MLSEC-04"), ml_lens("MLSEC-10")),
)
def processing_job_no_network_isolation(job: ProcessingJob, ctx: CheckContext) -> Outcome | None:
    if job.launched_by:
        return None
    if job.network_isolation:
        return passed("network isolation is enabled")
    return failed("NetworkConfig.EnableNetworkIsolation is not true: the processing container can reach the network")


_LAUNCHED = """Jobs started by a Model Monitor schedule, an AutoML job or a training job's Debugger rules take their
    configuration from that resource and are not judged."""


@check(
    id="SM-PROCESSING-003",
    name="processing-job-outside-vpc",
    title="Processing jobs should run in a VPC",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=ProcessingJob,
    rationale="""A processing job without NetworkConfig.VpcConfig runs in a network that SageMaker manages: its
    containers reach the raw data in S3 and the internet without your security groups, VPC endpoint policies or
    flow logs, so a feature-engineering script or one of its dependencies can send the data anywhere. In a VPC, the
    job reaches only what its subnets' routes and endpoints allow.""",
    judges="""Processing jobs created in the lookback window, whatever their status. """ + _LAUNCHED,
    remediation=Remediation(
        text="Processing jobs cannot be changed once started: give the next run a VpcConfig in its NetworkConfig "
        "(network_config=NetworkConfig(subnets=..., security_group_ids=...) on a SageMaker Python SDK processor: "
        "private subnets with an S3 gateway endpoint) and require it with the sagemaker:VpcSubnets condition key on "
        "sagemaker:CreateProcessingJob.",
        cli="aws sagemaker create-processing-job --processing-job-name <name> --cli-input-json file://job.json "
        "--network-config 'VpcConfig={SecurityGroupIds=[<sg-id>],Subnets=[<subnet-a>,<subnet-b>]}'",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/process-vpc.html",
    ),
    references=(ml_lens("MLSEC-04"), ml_lens("MLSEC-08")),
)
def processing_job_outside_vpc(job: ProcessingJob, ctx: CheckContext) -> Outcome | None:
    if job.launched_by:
        return None
    return in_vpc(job.vpc_subnets, "no NetworkConfig.VpcConfig: the job ran in a SageMaker-managed network")


@check(
    id="SM-PROCESSING-004",
    name="processing-job-no-inter-container-encryption",
    title="Distributed processing jobs should encrypt traffic between instances",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=ProcessingJob,
    rationale="""A processing job on several instances (Spark, Dask, distributed feature engineering) shuffles the raw
    data between them over the network, in plain text unless inter-container traffic encryption is on. Only jobs
    with more than one instance are judged: a single instance has no such traffic.""",
    judges="""Processing jobs created in the lookback window on two or more instances, whatever their status; jobs on
    one instance are not judged. """
    + _LAUNCHED,
    remediation=Remediation(
        text="Enable inter-container traffic encryption on the next run (network_config=NetworkConfig("
        "encrypt_inter_container_traffic=True) on a SageMaker Python SDK processor) and require it with the "
        "sagemaker:InterContainerTrafficEncryption condition key on sagemaker:CreateProcessingJob.",
        cli="aws sagemaker create-processing-job --processing-job-name <name> --cli-input-json file://job.json "
        "--network-config EnableInterContainerTrafficEncryption=true",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_NetworkConfig.html",
    ),
    references=(ml_lens("MLSEC-09"), ml_lens("MLSEC-02")),
)
def processing_job_no_inter_container_encryption(job: ProcessingJob, ctx: CheckContext) -> Outcome | None:
    if job.launched_by or (job.instance_count or 0) <= 1:
        return None
    if job.inter_container_encryption:
        return passed(f"traffic between its {job.instance_count} instances is encrypted")
    return failed(f"{job.instance_count} instances exchange data without inter-container traffic encryption")


@check(
    id="SM-PROCESSING-005",
    name="processing-job-environment-secrets",
    title="Processing job environments should not hold secrets",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=ProcessingJob,
    rationale="""A processing job's environment variables are returned in clear text to anyone allowed to call
    DescribeProcessingJob, for as long as the job's record is kept. A variable whose name says it holds a secret (a
    database password, an API token set to a literal value) or whose value looks like a credential (an AWS access
    key, a Hugging Face or GitHub token, a URL with a password) should come from Secrets Manager instead. Findings
    name the variable and the kind of secret; values are never collected.""",
    judges="""Processing jobs created in the lookback window, whatever their status. """ + _LAUNCHED,
    remediation=Remediation(
        text="Store the secret in AWS Secrets Manager, grant the job's role secretsmanager:GetSecretValue on it and "
        "have the script read it at start-up; start the next run without the variable, and rotate the exposed "
        "secret: it has been readable by everyone with DescribeProcessingJob.",
        cli="aws secretsmanager create-secret --name <job>/<variable> --secret-string file://secret.txt",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateProcessingJob.html#sagemaker-CreateProcessingJob-request-Environment",
    ),
    references=(ml_lens("MLSEC-04"), ml_lens("MLSEC-03")),
)
def processing_job_environment_secrets(job: ProcessingJob, ctx: CheckContext) -> Outcome | None:
    if job.launched_by:
        return None
    return without_secrets([(None, job.environment_keys, job.environment_secrets)])


@check(
    id="SM-TRANSFORM-001",
    name="transform-job-output-not-kms",
    title="Batch transform jobs should encrypt their outputs and storage volumes with KMS keys",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=TransformJob,
    rationale="""A batch transform scores whole datasets, often customer records, and writes a prediction for each
    one to S3. Without TransformOutput.KmsKeyId the predictions use the AWS managed S3 key, and without
    TransformResources.VolumeKmsKeyId the model and data staged on the storage volume use a key you cannot control or
    revoke. """
    + _NVME_NOTE,
    judges="""Batch transform jobs created in the lookback window, whatever their status. The volume key is not
    required on NVMe instance types; any key passes without being looked up.""",
    remediation=Remediation(
        text="Set a customer managed KMS key for the output and the storage volume on the next run (output_kms_key= "
        "and volume_kms_key= on a SageMaker Python SDK transformer), and require them with the sagemaker:OutputKmsKey "
        "and sagemaker:VolumeKmsKey condition keys on sagemaker:CreateTransformJob.",
        cli="aws sagemaker create-transform-job --transform-job-name <name> --model-name <model> "
        "--transform-input file://input.json --transform-output S3OutputPath=<s3-uri>,KmsKeyId=<key-arn> "
        "--transform-resources InstanceType=<type>,InstanceCount=1,VolumeKmsKeyId=<key-arn>",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TransformOutput.html",
    ),
    references=(ml_lens("MLSEC-02"),),
)
def transform_job_output_not_kms(job: TransformJob, ctx: CheckContext) -> Outcome | None:
    keys: dict[str, str | None] = {"TransformOutput.KmsKeyId (predictions)": job.output_kms_key_id}
    if not has_local_nvme_storage(job.instance_type):
        keys["TransformResources.VolumeKmsKeyId (storage volume)"] = job.volume_kms_key_id
    return expect_kms_keys(keys)
