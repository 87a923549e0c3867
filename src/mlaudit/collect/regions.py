"""Which regions to scan: the user's list (validated), or every enabled region where SageMaker is offered."""

from __future__ import annotations

import difflib
from typing import Sequence

from botocore.exceptions import BotoCoreError, ClientError

from mlaudit.collect.session import AwsClients
from mlaudit.errors import UserError


def known_regions(clients: AwsClients) -> set[str]:
    session = clients.session
    return {r for p in session.get_available_partitions() for r in session.get_available_regions("ec2", p)}


def validate_regions(clients: AwsClients, regions: Sequence[str]) -> list[str]:
    known = known_regions(clients)
    for region in regions:
        if region not in known:
            close = difflib.get_close_matches(region, sorted(known), n=3)
            hint = f"did you mean {', '.join(close)}?" if close else None
            raise UserError(f"--region: unknown region {region!r}", hint=hint)
    return list(dict.fromkeys(regions))


def enabled_ml_regions(clients: AwsClients, partition: str) -> list[str]:
    """Regions enabled in the account (ec2:DescribeRegions) where SageMaker is offered; botocore errors propagate."""
    enabled = {r["RegionName"] for r in clients.client("ec2").describe_regions().get("Regions", [])}
    offered = set(clients.session.get_available_regions("sagemaker", partition))
    return sorted(enabled & offered)


def discover_regions(clients: AwsClients, partition: str) -> list[str]:
    """`enabled_ml_regions`, or a one-line error when the account will not say."""
    try:
        return enabled_ml_regions(clients, partition)
    except (ClientError, BotoCoreError) as exc:
        raise UserError(f"could not list the account's enabled regions (ec2:DescribeRegions: {exc})", hint="pass --region") from exc
