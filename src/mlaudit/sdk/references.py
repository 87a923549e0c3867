"""Where a check comes from: Well-Architected ML Lens best practices, Security Hub controls, AWS Config rules."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict

ML_LENS_URL = "https://docs.aws.amazon.com/wellarchitected/latest/machine-learning-lens/"
SECURITY_HUB_URL = "https://docs.aws.amazon.com/securityhub/latest/userguide/"
CONFIG_RULES_URL = "https://docs.aws.amazon.com/config/latest/developerguide/"


class ReferenceType(str, Enum):
    ML_LENS = "ml-lens"
    SECURITY_HUB = "security-hub"
    AWS_CONFIG = "aws-config"
    DOCUMENTATION = "documentation"


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
