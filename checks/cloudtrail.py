"""CloudTrail: the account-wide record of who did what to ML resources."""

from __future__ import annotations

from mlaudit.inventory import AccountScope
from mlaudit.inventory.cloudtrail import CloudTrailTrail
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Severity,
    check,
    config_rule,
    failed,
    ml_lens,
    passed,
    prowler,
    security_hub,
)
from mlaudit.sdk.wording import names


def _shortfalls(trail: CloudTrailTrail) -> list[str]:
    problems = []
    if not trail.multi_region:
        problems.append(f"single-region ({trail.region})")
    if not trail.logging:
        problems.append("not logging")
    if not trail.records_management_events():
        problems.append("not recording read and write management events")
    return problems


@check(
    id="CT-ML-001",
    name="no-multi-region-cloudtrail",
    title="The account should have a multi-region trail logging management events",
    severity=Severity.HIGH,
    pillar=Pillar.SECURITY,
    resource=AccountScope,
    uses=(CloudTrailTrail,),
    service="cloudtrail",
    rationale="""Who created an endpoint, changed a model's execution role, approved a model package or deleted a
    monitoring schedule is known only from CloudTrail, and only for the regions and events a trail records; the
    90-day event history is no substitute for an investigation. The account needs at least one trail that covers
    every region, is logging, and records read and write management events (as Security Hub's CloudTrail.1 and the
    CIS benchmark require: a trail limited to write events does not count). An organization trail counts. Only
    accounts with ML workloads (endpoints, notebooks or recent training jobs) in a scanned region are judged.""",
    judges="""One finding per account that holds SageMaker workloads (endpoints, notebooks or training jobs of the
    lookback window) in a scanned region; an account whose only ML is Bedrock is not judged, so Prowler's
    cloudtrail_bedrock_logging_enabled is covered only where SageMaker runs too. One trail that is multi-region,
    logging and recording read and write management events passes the account, an organization trail included; data
    events are not required.""",
    remediation=Remediation(
        text="Create a multi-region trail (or an organization trail from the management account) that logs all "
        "management events to a dedicated, encrypted bucket, and start logging.",
        cli="aws cloudtrail create-trail --name <trail> --s3-bucket-name <log-bucket> --is-multi-region-trail "
        "--enable-log-file-validation --kms-key-id <key-arn> && aws cloudtrail start-logging --name <trail>",
        url="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html",
    ),
    references=(
        ml_lens("MLSEC-13"),
        ml_lens("MLSEC-08"),
        security_hub("CloudTrail.1"),
        config_rule("multi-region-cloudtrail-enabled"),
        prowler("cloudtrail_bedrock_logging_enabled"),
    ),
)
def no_multi_region_cloudtrail(account: AccountScope, ctx: CheckContext) -> Outcome | None:
    if not account.hosts_ml_workloads:
        return None
    shortfalls = [(t.name, _shortfalls(t)) for t in ctx.all(CloudTrailTrail)]
    good = [name for name, missing in shortfalls if not missing]
    if good:
        return passed("multi-region trail logging management events: " + names(good))
    if not shortfalls:
        return failed("the account has no CloudTrail trail")
    return failed("no trail qualifies: " + names([f"{name} is {', '.join(missing)}" for name, missing in shortfalls]))
