"""Notebook instances: the interactive environments where data scientists touch training data."""

from __future__ import annotations

from mlaudit.inventory import NotebookInstance
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Severity,
    check,
    config_rule,
    ml_lens,
    security_hub,
)
from mlaudit.sdk.helpers import expect_value


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
    remediation=Remediation(
        text="Stop the notebook instance, update it with root access disabled, and start it again. Install what users "
        "need through a lifecycle configuration instead.",
        cli="aws sagemaker stop-notebook-instance --notebook-instance-name <name> && "
        "aws sagemaker update-notebook-instance --notebook-instance-name <name> --root-access Disabled",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/nbi-root-access.html",
    ),
    references=(
        ml_lens("MLSEC-03"),
        security_hub("SageMaker.3"),
        config_rule("sagemaker-notebook-instance-root-access-check"),
    ),
)
def notebook_root_access(notebook: NotebookInstance, ctx: CheckContext) -> Outcome | None:
    return expect_value("root access", notebook.root_access, "Disabled", aws_default="Enabled")
