"""Where a check comes from: Well-Architected ML Lens best practices, Security Hub controls, AWS Config rules, and
the controls of peer tools (Prowler, Steampipe's AWS Compliance mod, Checkov, KICS) it covers, so that a user moving
from one of them finds where each control went (docs/checks.md tabulates them by peer)."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict

ML_LENS_URL = "https://docs.aws.amazon.com/wellarchitected/latest/machine-learning-lens/"
SECURITY_HUB_URL = "https://docs.aws.amazon.com/securityhub/latest/userguide/"
CONFIG_RULES_URL = "https://docs.aws.amazon.com/config/latest/developerguide/"
PROWLER_URL = "https://hub.prowler.com/check/"
STEAMPIPE_URL = "https://hub.steampipe.io/mods/turbot/aws_compliance/controls/control."
CHECKOV_URL = "https://www.checkov.io/5.Policy%20Index/all.html"
KICS_URL = "https://docs.kics.io/latest/queries/terraform-queries/aws/"


class ReferenceType(str, Enum):
    ML_LENS = "ml-lens"
    SECURITY_HUB = "security-hub"
    AWS_CONFIG = "aws-config"
    DOCUMENTATION = "documentation"
    PROWLER = "prowler"
    STEAMPIPE = "steampipe"
    CHECKOV = "checkov"
    KICS = "kics"


PEERS = (
    ReferenceType.SECURITY_HUB,
    ReferenceType.AWS_CONFIG,
    ReferenceType.PROWLER,
    ReferenceType.STEAMPIPE,
    ReferenceType.CHECKOV,
    ReferenceType.KICS,
)
"""The references that name another tool's control (the ML Lens and documentation are sources, not peers)."""


class CheckReference(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type: ReferenceType
    id: str
    url: str


def ml_lens(practice: str) -> CheckReference:
    """A Well-Architected Machine Learning Lens best practice, e.g. `MLREL-12`."""
    return CheckReference(type=ReferenceType.ML_LENS, id=practice, url=f"{ML_LENS_URL}{practice.lower()}.html")


def security_hub(control: str) -> CheckReference:
    """A Security Hub CSPM control, e.g. `SageMaker.1`."""
    service = control.split(".", 1)[0].lower()
    anchor = control.lower().replace(".", "-")
    return CheckReference(
        type=ReferenceType.SECURITY_HUB, id=control, url=f"{SECURITY_HUB_URL}{service}-controls.html#{anchor}"
    )


def config_rule(rule: str) -> CheckReference:
    """An AWS Config managed rule, e.g. `sagemaker-notebook-no-direct-internet-access`."""
    return CheckReference(type=ReferenceType.AWS_CONFIG, id=rule, url=f"{CONFIG_RULES_URL}{rule}.html")


def documentation(title: str, url: str) -> CheckReference:
    return CheckReference(type=ReferenceType.DOCUMENTATION, id=title, url=url)


def prowler(check: str) -> CheckReference:
    """A Prowler check, e.g. `sagemaker_notebook_instance_root_access_disabled`."""
    return CheckReference(type=ReferenceType.PROWLER, id=check, url=f"{PROWLER_URL}{check}")


def steampipe(control: str) -> CheckReference:
    """A control of Steampipe's AWS Compliance mod, e.g. `sagemaker_notebook_instance_root_access_disabled`."""
    return CheckReference(type=ReferenceType.STEAMPIPE, id=control, url=f"{STEAMPIPE_URL}{control}")


def checkov(policy: str) -> CheckReference:
    """A Checkov policy, e.g. `CKV_AWS_122`."""
    return CheckReference(type=ReferenceType.CHECKOV, id=policy, url=CHECKOV_URL)


def kics(query: str, uuid: str) -> CheckReference:
    """A KICS query, by its title and id."""
    return CheckReference(type=ReferenceType.KICS, id=query, url=f"{KICS_URL}{uuid}/")
