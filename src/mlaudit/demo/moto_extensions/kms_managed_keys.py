"""AWS managed KMS keys, which moto 5.x describes as customer managed.

moto creates the key behind a reserved alias (alias/aws/s3, alias/aws/ebs...) on first use, as AWS does, but
with KeyManager CUSTOMER. `describe_key` reports KeyManager AWS for a key behind an alias/aws/ alias, so that
tests and the demo can show a resource encrypted with an AWS managed key.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from moto.kms.responses import KmsResponse

RESPONSE_CLASS = KmsResponse

AWS_MANAGED_ALIAS_PREFIX = "alias/aws/"


def describe_key(original: Callable[[KmsResponse], str]) -> Callable[[KmsResponse], str]:
    def describe(self: KmsResponse) -> str:
        response = json.loads(original(self))
        metadata = response.get("KeyMetadata") or {}
        key = self.kms_backend.keys.get(metadata.get("KeyId") or "")
        if key is not None and any(alias.startswith(AWS_MANAGED_ALIAS_PREFIX) for alias in key.aliases):
            metadata["KeyManager"] = "AWS"
        return json.dumps(response)

    return describe


OPERATIONS: dict[str, Callable[..., Any]] = {}
OVERRIDES = {"describe_key": describe_key}
