"""A large report without AWS: synthetic findings over every built-in check, for the rendering benchmarks.

Field sizes are those of an organisation's scan: names of 20 to 60 characters, ARNs with paths, details that name
the resource and what is wrong, about 7% MUTED with a suppression's reason, owner and expiry, 3% ERROR with AWS's
message, over 12 accounts and 6 regions.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from mlaudit.catalog.loader import load_catalog
from mlaudit.core.taxonomy import Status
from mlaudit.evaluate import Location, new_finding
from mlaudit.inventory import AccountInfo
from mlaudit.report.findings import Finding, Suppression
from mlaudit.report.model import CallStatistics, Report, ScanInfo, ScanStatus, sort_findings, summarise
from mlaudit.sdk import CheckMetadata

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1")
ACCOUNTS = tuple(f"{100000000000 + i * 7919:012d}" for i in range(12))
TEAMS = ("recommendations", "fraud-detection", "search-ranking", "forecasting", "vision", "platform-ml")


def _status(rng: random.Random) -> Status:
    roll = rng.random()
    return Status.FAIL if roll < 0.30 else Status.MUTED if roll < 0.37 else Status.ERROR if roll < 0.40 else Status.PASS


def _finding(check: CheckMetadata, index: int, rng: random.Random) -> Finding:
    account, region, team = rng.choice(ACCOUNTS), rng.choice(REGIONS), rng.choice(TEAMS)
    name = f"{team}-{check.service}-{rng.choice(('prod', 'staging', 'dev'))}-{index:06d}"
    kind = check.resource_type.rsplit("::", 1)[-1].lower()
    arn = f"arn:aws:{check.service}:{region}:{account}:{kind}/{team}/{name}"
    status = _status(rng)
    detail = {
        Status.FAIL: f"{name}: {check.title.lower()} is not met ({check.name.replace('-', ' ')})",
        Status.PASS: f"{name}: {check.title.lower()}",
        Status.MUTED: f"{name}: {check.title.lower()} is not met ({check.name.replace('-', ' ')})",
        Status.ERROR: (
            f"AccessDenied: User: arn:aws:sts::{account}:assumed-role/mlaudit-readonly/mlaudit is not authorized "
            f"to perform: {check.service}:Describe{kind.title()} on resource: {arn}"
        ),
    }[status]
    suppression = (
        Suppression(
            source="config",
            muted_status=Status.FAIL,
            reason=f"{team} accepts this for {name} until the migration to the shared VPC (ticket ML-{index % 9000})",
            owner=f"{team}@example.com",
            expires=date(2027, 1 + index % 12, 1 + index % 28),
        )
        if status is Status.MUTED
        else None
    )
    return new_finding(check, status, detail, Location(account, region, arn, name), suppression=suppression)


def synthetic_report(count: int, seed: int = 7) -> Report:
    """`count` findings over every built-in check, 12 accounts and 6 regions."""
    rng = random.Random(seed)
    checks = [c.metadata for c in load_catalog(include_entry_points=False).checks]
    findings = [_finding(checks[index % len(checks)], index, rng) for index in range(count)]
    now = datetime.now(UTC)
    return Report(
        scan=ScanInfo(
            id="benchmark",
            started_at=now,
            finished_at=now,
            status=ScanStatus.PARTIAL,
            profile=None,
            regions=list(REGIONS),
            checks_selected=[c.id for c in checks],
            since=now,
            settings={},
            errors=[],
            statistics=CallStatistics(),
        ),
        accounts=[AccountInfo(account_id=a) for a in ACCOUNTS],
        summary=summarise(findings, [c.id for c in checks]),
        checks=checks,
        findings=sort_findings(findings),
    )
