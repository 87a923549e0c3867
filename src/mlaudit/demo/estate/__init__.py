"""The demo account's ML estate, seeded area by area into the demo's moto server.

Each area module has a `seed(estate)` function and adds what its checks need to show at least one PASS and one
FAIL; `AREAS` runs them in order (later areas may use what earlier ones created).
"""

from __future__ import annotations

import boto3

from mlaudit.demo.estate import bedrock, foundation, inference, jobs, lifecycle, notebooks, platform
from mlaudit.demo.estate.base import Estate, Region

AREAS = (
    foundation,
    notebooks,
    lifecycle,
    bedrock,
    jobs,
    inference,
    platform,
)


def seed(session: boto3.Session, endpoint_url: str) -> Estate:
    """Create the estate in the account behind `endpoint_url` (the demo's moto server)."""
    estate = Estate(
        session=session,
        endpoint_url=endpoint_url,
        east=Region(session, endpoint_url, "us-east-1"),
        west=Region(session, endpoint_url, "eu-west-1"),
    )
    for area in AREAS:
        area.seed(estate)
    return estate
