"""The check author's API, for built-in and third-party checks alike.

from mlaudit.sdk import CheckContext, Pillar, Remediation, Severity, check, failed, ml_lens, passed
"""

from mlaudit.core.taxonomy import Pillar, Severity, Status
from mlaudit.sdk.context import CheckContext, DataUnavailable
from mlaudit.sdk.definition import Check, CheckMetadata, Remediation, Setting, check
from mlaudit.sdk.outcome import Outcome, failed, passed
from mlaudit.sdk.references import (
    CheckReference,
    ReferenceType,
    checkov,
    config_rule,
    documentation,
    kics,
    ml_lens,
    prowler,
    security_hub,
    steampipe,
)

__all__ = [
    "Check",
    "CheckContext",
    "CheckMetadata",
    "CheckReference",
    "DataUnavailable",
    "Outcome",
    "Pillar",
    "ReferenceType",
    "Remediation",
    "Setting",
    "Severity",
    "Status",
    "check",
    "checkov",
    "config_rule",
    "documentation",
    "failed",
    "kics",
    "ml_lens",
    "passed",
    "prowler",
    "security_hub",
    "steampipe",
]
