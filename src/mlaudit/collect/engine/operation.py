"""An AWS API operation, named once as IAM and CloudTrail name it (`sagemaker:ListUserProfiles`): the boto3 client
and method are derived from that name (botocore's `xform_name`), never written a second time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from botocore import xform_name

_QUALIFIED = re.compile(r"^[a-z0-9-]+:[A-Z][A-Za-z0-9]+$")


@dataclass(frozen=True, order=True)
class Operation:
    """An AWS API operation, `service:Operation`: boto3's service name (`bedrock-agent`), the API's operation name."""

    qualified: str

    def __post_init__(self) -> None:
        if not _QUALIFIED.match(self.qualified):
            raise ValueError(f"an operation is named service:Operation, not {self.qualified!r}")

    @property
    def service(self) -> str:
        return self.qualified.split(":", 1)[0]

    @property
    def name(self) -> str:
        return self.qualified.split(":", 1)[1]

    @cached_property
    def method(self) -> str:
        """The boto3 client method: `ListUserProfiles` -> `list_user_profiles`."""
        return xform_name(self.name)

    def __str__(self) -> str:
        return self.qualified
