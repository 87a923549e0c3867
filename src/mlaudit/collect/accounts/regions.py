"""Which regions to scan: the user's list (validated), or every enabled region where SageMaker is offered; and which
of them an account has not enabled, or a service is not offered in, so that they are skipped with a reason."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from mlaudit.collect.accounts.session import AwsClients
from mlaudit.core.errors import UserError

NOT_ENABLED = "not-opted-in"
"""`OptInStatus` of an opt-in region the account has not enabled (the others: `opt-in-not-required`, `opted-in`)."""
ENABLED_BY_DEFAULT = frozenset(
    {
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
        "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
        "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
    }
)  # fmt: skip
"""The regions launched before March 2019, enabled in every account. Every region since is opt-in, so the set never
grows: a scan asks the account only about the other regions it is given."""


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


def opt_in_status(clients: AwsClients) -> dict[str, str]:
    """Every region of the account's partition with its `OptInStatus` (ec2:DescribeRegions, `AllRegions`)."""
    regions = clients.client("ec2").describe_regions(AllRegions=True).get("Regions", [])
    return {r["RegionName"]: r.get("OptInStatus", "opt-in-not-required") for r in regions}


def enabled_ml_regions(clients: AwsClients, partition: str) -> list[str]:
    """Regions enabled in the account where SageMaker is offered; botocore errors propagate."""
    enabled = {region for region, status in opt_in_status(clients).items() if status != NOT_ENABLED}
    offered = set(clients.session.get_available_regions("sagemaker", partition))
    return sorted(enabled & offered)


def not_enabled(clients: AwsClients, requested: Sequence[str]) -> list[str]:
    """The requested regions the account has not enabled (no call when all are enabled by default). When the
    account will not say (ec2:DescribeRegions denied), none: every requested region is scanned, and what cannot be
    reached there reports ERROR."""
    if ENABLED_BY_DEFAULT.issuperset(requested):
        return []
    try:
        status = opt_in_status(clients)
    except (ClientError, BotoCoreError):
        return []
    return [region for region in requested if status.get(region) == NOT_ENABLED]


def discover_regions(clients: AwsClients, partition: str) -> list[str]:
    """`enabled_ml_regions`, or a one-line error when the account will not say."""
    try:
        return enabled_ml_regions(clients, partition)
    except (ClientError, BotoCoreError) as exc:
        raise UserError(
            f"could not list the account's enabled regions (ec2:DescribeRegions: {exc})", hint="pass --region"
        ) from exc


DOCUMENTED_REGIONS: dict[str, frozenset[str]] = {
    "bedrock-agent": frozenset(
        {
            "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1",
            "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
            "us-east-1", "us-east-2", "us-gov-west-1", "us-west-2",
        }
    ),
}  # fmt: skip
"""The regions of services botocore's endpoint data lists none for (their endpoints come from rules alone, which
resolve a host name in every region, existing or not), as AWS documents them. Agents for Amazon Bedrock:
https://docs.aws.amazon.com/bedrock/latest/userguide/agents-supported.html, read 2026-12-06; a region with Bedrock
but not in this list has no bedrock-agent endpoint (its host name does not resolve)."""


def not_offered(session: boto3.Session, service: str, region: str, partition: str) -> bool:
    """botocore's endpoint data (or, where it lists no region, AWS's documentation: `DOCUMENTED_REGIONS`) says
    `service` is not offered in `region`. A region botocore does not know (newer than it), or a service neither
    lists, may have it: not skipped."""
    offered = session.get_available_regions(service, partition) or DOCUMENTED_REGIONS.get(service, ())
    return bool(offered) and region in session.get_available_regions("ec2", partition) and region not in offered


def regions_unknown(session: boto3.Session, service: str) -> bool:
    """Neither botocore's endpoint data (in any partition) nor `DOCUMENTED_REGIONS` lists a region for `service`:
    where AWS offers it cannot be told (a service resolved by endpoint rules alone, such as bedrock-agentcore)."""
    return service not in DOCUMENTED_REGIONS and not any(
        session.get_available_regions(service, p) for p in session.get_available_partitions()
    )
