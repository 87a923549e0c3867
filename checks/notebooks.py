"""Notebook instances: the interactive environments where data scientists touch training data."""

from __future__ import annotations

from mlaudit.inventory import KmsKey, NotebookInstance
from mlaudit.inventory.sagemaker_notebooks import NotebookLifecycleConfig
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
    failed,
    kics,
    ml_lens,
    passed,
    prowler,
    security_hub,
    steampipe,
)
from mlaudit.sdk.kms import customer_managed_key
from mlaudit.sdk.verdicts import expect_value
from mlaudit.sdk.wording import names

AWS_DEFAULT_PLATFORM = "notebook-al2023-v1"
"""The platform of a notebook created without PlatformIdentifier (SageMaker API reference, CreateNotebookInstance)."""


@check(
    id="SM-NOTEBOOK-001",
    name="notebook-direct-internet-access",
    title="Notebook instances should not have direct internet access",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=NotebookInstance,
    rationale="""A notebook with direct internet access can send training data and credentials anywhere, and can
    pull untrusted packages, without passing through the VPC's controls (endpoints, proxies, flow logs). AWS
    enables it by default, so a notebook created without the setting has it.""",
    judges="""Every notebook instance, whatever its status (stopped ones too). Only DirectInternetAccess Disabled
    passes; unset is the AWS default, Enabled.""",
    remediation=Remediation(
        text="Direct internet access cannot be changed on an existing notebook: create a replacement in a VPC subnet "
        "with direct internet access disabled (reach the internet, if needed, through a NAT gateway), move the "
        "notebook's work over, and delete the old instance.",
        cli="aws sagemaker create-notebook-instance --notebook-instance-name <name> --instance-type <type> "
        "--role-arn <role-arn> --subnet-id <subnet-id> --security-group-ids <sg-id> --direct-internet-access Disabled",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html",
    ),
    references=(
        ml_lens("MLSEC-04"),
        security_hub("SageMaker.1"),
        config_rule("sagemaker-notebook-no-direct-internet-access"),
        prowler("sagemaker_notebook_instance_without_direct_internet_access_configured"),
        steampipe("sagemaker_notebook_instance_direct_internet_access_disabled"),
        checkov("CKV_AWS_122"),
    ),
)
def notebook_direct_internet_access(notebook: NotebookInstance, ctx: CheckContext) -> Outcome | None:
    return expect_value("direct internet access", notebook.direct_internet_access, "Disabled", aws_default="Enabled")


@check(
    id="SM-NOTEBOOK-003",
    name="notebook-root-access",
    title="Users should not have root access to notebook instances",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=NotebookInstance,
    rationale="""Root on a notebook lets any of its users change the instance's software, read other users' files
    and tamper with the lifecycle configuration that enforces the team's controls. AWS enables root access by
    default, so a notebook created without the setting grants it.""",
    judges="""Every notebook instance, whatever its status. Only RootAccess Disabled passes; unset is the AWS
    default, Enabled.""",
    remediation=Remediation(
        text="Stop the notebook instance, update it with root access disabled, and start it again. Install what users "
        "need through a lifecycle configuration instead.",
        cli="aws sagemaker stop-notebook-instance --notebook-instance-name <name> && "
        "aws sagemaker update-notebook-instance --notebook-instance-name <name> --root-access Disabled",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-root-access.html",
        placeholders={"name": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-03"),
        security_hub("SageMaker.3"),
        config_rule("sagemaker-notebook-instance-root-access-check"),
        prowler("sagemaker_notebook_instance_root_access_disabled"),
        steampipe("sagemaker_notebook_instance_root_access_disabled"),
        checkov("CKV_AWS_307"),
    ),
)
def notebook_root_access(notebook: NotebookInstance, ctx: CheckContext) -> Outcome | None:
    return expect_value("root access", notebook.root_access, "Disabled", aws_default="Enabled")


@check(
    id="SM-NOTEBOOK-002",
    name="notebook-outside-vpc",
    title="Notebook instances should run in a VPC subnet",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=NotebookInstance,
    rationale="""A notebook without a SubnetId runs in a network that SageMaker manages, outside your security
    groups, VPC endpoints, flow logs and network firewalls, while it holds training data and an execution role's
    credentials. Only a notebook attached to your own subnet can be kept off the internet and audited at the network
    level.""",
    judges="""Every notebook instance, whatever its status. A SubnetId passes, whatever the subnet's routes.""",
    remediation=Remediation(
        text="The subnet cannot be changed on an existing notebook: create a replacement in a private subnet of your VPC, "
        "with a security group and direct internet access disabled, move the notebook's work over (the "
        "/home/ec2-user/SageMaker volume, or a Git repository), and delete the old instance.",
        cli="aws sagemaker create-notebook-instance --notebook-instance-name <name> --instance-type <type> "
        "--role-arn <role-arn> --subnet-id <subnet-id> --security-group-ids <sg-id> --direct-internet-access Disabled",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/appendix-notebook-and-internet-access.html",
    ),
    references=(
        ml_lens("MLSEC-04"),
        security_hub("SageMaker.2"),
        config_rule("sagemaker-notebook-instance-inside-vpc"),
        prowler("sagemaker_notebook_instance_vpc_settings_configured"),
        steampipe("sagemaker_notebook_instance_in_vpc"),
        checkov("CKV_AWS_306"),
    ),
)
def notebook_outside_vpc(notebook: NotebookInstance, ctx: CheckContext) -> Outcome | None:
    if not notebook.subnet_id:
        return failed("no SubnetId: the notebook runs in a network that SageMaker manages, not in your VPC")
    groups = f" with security groups {names(list(notebook.security_group_ids))}" if notebook.security_group_ids else ""
    return passed(f"runs in subnet {notebook.subnet_id}{groups}")


@check(
    id="SM-NOTEBOOK-004",
    name="notebook-volume-not-cmk",
    title="Notebook storage volumes should be encrypted with a customer managed KMS key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=NotebookInstance,
    uses=(KmsKey,),
    rationale="""A notebook's storage volume holds copies of training data, credentials and work in progress, and
    outlives every restart. Encrypted with a key that AWS manages, access to it cannot be restricted, audited or
    revoked through a key policy of your own. Beyond the minimum (a KmsKeyId is set), the key is looked up: an AWS
    managed key (KeyManager AWS) or a key that no longer exists fails too.""",
    judges="""Every notebook instance, whatever its status. The KmsKeyId is looked up: a customer managed key, or
    any key of another account, passes; no key, an AWS managed key or a key that no longer exists fails, whatever
    the key's state (KMS-ML-001 judges that).""",
    remediation=Remediation(
        text="The key cannot be changed on an existing notebook: create a customer managed key (with rotation on), "
        "create a replacement notebook that uses it, move the work over, and delete the old instance.",
        cli="aws sagemaker create-notebook-instance --notebook-instance-name <name> --instance-type <type> "
        "--role-arn <role-arn> --kms-key-id <customer-managed-key-arn>",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html",
    ),
    references=(
        ml_lens("MLSEC-02"),
        security_hub("SageMaker.21"),
        config_rule("sagemaker-notebook-instance-kms-key-configured"),
        config_rule("sagemaker-notebook-instance-storage-vol-kms-encrypted"),
        prowler("sagemaker_notebook_instance_encryption_enabled"),
        steampipe("sagemaker_notebook_instance_encrypted_with_kms_cmk"),
        steampipe("sagemaker_notebook_instance_encryption_at_rest_enabled"),
        checkov("CKV_AWS_22"),
        checkov("CKV_AWS_187"),
        kics("Sagemaker Notebook Instance Without KMS", "f3674e0c-f6be-43fa-b71c-bf346d1aed99"),
    ),
)
def notebook_volume_not_cmk(notebook: NotebookInstance, ctx: CheckContext) -> Outcome | None:
    return customer_managed_key(notebook, notebook.kms_key_id, ctx, "the storage volume")


@check(
    id="SM-NOTEBOOK-005",
    name="notebook-unsupported-platform",
    title="Notebook instances should run on a supported platform",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=NotebookInstance,
    settings={
        "allowed_platforms": Setting(
            default=("notebook-al2023-v1", "notebook-al2023-v2"),
            description="PlatformIdentifier values allowed (the Amazon Linux 2023 platforms by default)",
        )
    },
    rationale="""A notebook's platform fixes its operating system, Jupyter and kernel versions; on a deprecated one
    (Amazon Linux 1, or Amazon Linux 2 past its end of support) the instance no longer gets security patches while it
    holds training data and credentials. A notebook whose platform is not reported is judged as the AWS default,
    notebook-al2023-v1; notebook-al2023-v2 is allowed too by default, since it is newer than the platform the catalog
    names.""",
    judges="""Every notebook instance, whatever its status; a PlatformIdentifier that is not reported is judged as
    the AWS default, notebook-al2023-v1.""",
    remediation=Remediation(
        text="Test the notebook's lifecycle configuration and kernels on Amazon Linux 2023, then stop the notebook and "
        "update its platform; work in /home/ec2-user/SageMaker is kept.",
        cli="aws sagemaker stop-notebook-instance --notebook-instance-name <name> && "
        "aws sagemaker update-notebook-instance --notebook-instance-name <name> --platform-identifier notebook-al2023-v1",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateNotebookInstance.html",
        placeholders={"name": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-08"),
        security_hub("SageMaker.8"),
        config_rule("sagemaker-notebook-instance-platform-version"),
        steampipe("sagemaker_notebook_instance_supported_platform_version"),
    ),
)
def notebook_unsupported_platform(notebook: NotebookInstance, ctx: CheckContext) -> Outcome | None:
    allowed = ctx.setting("allowed_platforms")
    platform = notebook.platform_identifier or AWS_DEFAULT_PLATFORM
    shown = platform if notebook.platform_identifier else f"not reported, so the AWS default {platform}"
    if platform in allowed:
        return passed(f"platform is {shown}")
    return failed(f"platform is {shown}, not one of {names(list(allowed))}")


@check(
    id="SM-NOTEBOOK-006",
    name="notebook-running-without-auto-stop",
    title="Running notebook instances should stop themselves when idle",
    severity=Severity.LOW,
    pillar=Pillar.COST,
    resource=NotebookInstance,
    uses=(NotebookLifecycleConfig,),
    rationale="""A notebook instance bills for every hour it is in service, used or not, and GPU notebooks left
    running over a weekend are among the largest avoidable ML costs. SageMaker has no idle timeout for notebook
    instances: the practice is a lifecycle configuration whose OnStart script stops the notebook after a period of
    inactivity. Beyond the minimum (a lifecycle configuration exists), its OnStart script must look like such an
    auto-stop (AWS's auto-stop-idle sample, an IDLE_TIME setting, or a call to StopNotebookInstance); stopped
    notebooks are not judged.""",
    judges="""Notebook instances InService only; stopped, pending or failed notebooks get no finding.""",
    remediation=Remediation(
        text="Attach a lifecycle configuration whose OnStart script installs an idle check (for example AWS's "
        "auto-stop-idle sample run from cron) to stop the notebook after an hour of inactivity.",
        cli="aws sagemaker create-notebook-instance-lifecycle-config --notebook-instance-lifecycle-config-name auto-stop "
        "--on-start Content=$(base64 -w0 on-start.sh) && aws sagemaker stop-notebook-instance --notebook-instance-name "
        "<name> && aws sagemaker update-notebook-instance --notebook-instance-name <name> --lifecycle-config-name auto-stop",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/notebook-lifecycle-config.html",
        placeholders={"name": "resource_name"},
    ),
    references=(ml_lens("MLCOST-16"), ml_lens("MLSUS-04")),
)
def notebook_running_without_auto_stop(notebook: NotebookInstance, ctx: CheckContext) -> Outcome | None:
    if notebook.status != "InService":
        return None
    name = notebook.lifecycle_config_name
    if not name:
        return failed("in service with no lifecycle configuration: nothing stops it when idle")
    config = ctx.get(NotebookLifecycleConfig, name)
    if config is None:
        return failed(f"in service; its lifecycle configuration {name} no longer exists, so nothing stops it when idle")
    if config.stops_when_idle:
        return passed(f"lifecycle configuration {name} stops the notebook when idle")
    return failed(f"in service; lifecycle configuration {name} has no idle auto-stop in its OnStart script")


@check(
    id="SM-NOTEBOOK-007",
    name="notebook-imdsv1-allowed",
    title="Notebook instances should require IMDSv2",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=NotebookInstance,
    rationale="""The instance metadata service hands out the credentials of the notebook's execution role, which can
    usually read the training data. IMDSv1 answers any plain GET, so a server-side request forgery in a notebook
    server, an extension or a library is enough to steal them; IMDSv2 requires a session token. AWS allows IMDSv1
    unless the minimum version is set to 2, so a notebook created without the setting allows it.""",
    judges="""Every notebook instance, whatever its status. Only a minimum IMDS version of 2 passes; unset is the
    AWS default, 1.""",
    remediation=Remediation(
        text="Check that nothing on the notebook calls the metadata service without a token (current AWS SDKs and "
        "the CLI use IMDSv2), then set the minimum IMDS version to 2; the notebook need not be stopped.",
        cli="aws sagemaker update-notebook-instance --notebook-instance-name <name> "
        "--instance-metadata-service-configuration MinimumInstanceMetadataServiceVersion=2",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_InstanceMetadataServiceConfiguration.html",
        placeholders={"name": "resource_name"},
    ),
    references=(ml_lens("MLSEC-04"), ml_lens("MLSEC-08"), checkov("CKV_AWS_371")),
)
def notebook_imdsv1_allowed(notebook: NotebookInstance, ctx: CheckContext) -> Outcome | None:
    return expect_value(
        "the minimum IMDS version", notebook.minimum_imds_version, "2", aws_default="1 (IMDSv1 allowed)"
    )


@check(
    id="SM-NOTEBOOK-008",
    name="notebook-lifecycle-script-secrets",
    title="Notebook lifecycle scripts should not contain secrets",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=NotebookLifecycleConfig,
    rationale="""Lifecycle scripts are readable by anyone allowed to describe the configuration, are copied between
    accounts and into templates, and run on every notebook that uses them: an access key, token or password written
    into one is exposed to all of them and never rotates. Scripts should fetch secrets at run time from Secrets
    Manager or Parameter Store with the notebook's role. Only the configurations notebooks use are read, and findings
    name the script, line and kind of secret, never its value.""",
    judges="""The lifecycle configurations that notebook instances name (whatever the notebooks' status), OnCreate
    and OnStart scripts; configurations no notebook names are not read.""",
    remediation=Remediation(
        text="Rotate every credential the script exposed, move it to AWS Secrets Manager, and change the script to read "
        "it at run time (aws secretsmanager get-secret-value) with the notebook's execution role.",
        cli="aws sagemaker update-notebook-instance-lifecycle-config --notebook-instance-lifecycle-config-name <name> "
        "--on-start Content=$(base64 -w0 on-start.sh)",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/notebook-lifecycle-config.html",
        placeholders={"name": "resource_name"},
    ),
    references=(ml_lens("MLSEC-03"), ml_lens("MLSEC-08"), prowler("sagemaker_notebook_instance_no_secrets")),
)
def notebook_lifecycle_script_secrets(config: NotebookLifecycleConfig, ctx: CheckContext) -> Outcome | None:
    used_by = f" (used by {names(list(config.used_by))})" if config.used_by else ""
    if config.secrets:
        where = [f"{s.script} line {s.line}: {s.kind}" for s in config.secrets]
        return failed("secret-looking lines in the lifecycle scripts: " + names(where, limit=10) + used_by)
    return passed("no secret-looking strings in the OnCreate and OnStart scripts" + used_by)
