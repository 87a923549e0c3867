"""AWS managed IAM policies, parsed once per process.

moto parses its 1,600 AWS managed policies (a 1.5 MB JSON text) each time it creates an IAM backend, which it does
for every account and partition a request touches: twelve times in a demo run, about 0.3 s each, most of the
demo's seeding time. Parsed once here; every backend still gets its own policy objects, built as moto builds them
(in the same order, so moto's seeded ids stay the same).
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from typing import NamedTuple

from moto.iam import models
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.settings import load_iam_aws_managed_policies


class _Policy(NamedTuple):
    """What moto's `AWSManagedPolicy.from_data` reads of one policy, its document already serialised."""

    name: str
    default_version_id: str | None
    path: str | None
    document: str
    create_date: datetime
    update_date: datetime


@cache
def _parsed() -> tuple[_Policy, ...]:
    return tuple(
        _Policy(
            name,
            data.get("DefaultVersionId"),
            data.get("Path"),
            json.dumps(data.get("Document")),
            datetime.fromisoformat(data["CreateDate"]),
            datetime.fromisoformat(data["UpdateDate"]),
        )
        for name, data in json.loads(aws_managed_policies_data).items()
    )


def _init_aws_policies(backend: models.IAMBackend) -> list[models.ManagedPolicy]:
    if not load_iam_aws_managed_policies():
        return []
    return [
        models.AWSManagedPolicy(  # type: ignore[abstract]  # abstract only for CloudFormation, as in moto
            policy.name,
            account_id=backend.account_id,
            region=backend.region_name,
            default_version_id=policy.default_version_id,
            path=policy.path,
            document=policy.document,
            create_date=policy.create_date,
            update_date=policy.update_date,
        )
        for policy in _parsed()
    ]


def parse_once() -> None:
    """Make moto's IAM backends build their AWS managed policies from one parse (idempotent)."""
    models.IAMBackend._init_aws_policies = _init_aws_policies  # type: ignore[method-assign,assignment]
