"""CloudTrail: the account-wide record of who did what to ML resources, and what its event history shows of
LLMjacking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mlaudit.inventory import AccountScope
from mlaudit.inventory.cloudtrail import LLM_JACKING_EVENTS, BedrockCaller, CloudTrailTrail
from mlaudit.sdk import (
    CheckContext,
    Outcome,
    Pillar,
    Remediation,
    Setting,
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


@check(
    id="CT-ML-002",
    name="bedrock-llm-jacking-activity",
    title="No identity should call the Bedrock actions of an LLMjacking run",
    severity=Severity.CRITICAL,
    pillar=Pillar.SECURITY,
    resource=BedrockCaller,
    service="cloudtrail",
    settings={
        "window_days": Setting(
            default=1,
            description="days of CloudTrail event history judged",
            lookback=True,
            minimum=1,
            maximum=90,
        ),
        "min_events": Setting(
            default=6,
            description=f"distinct LLMjacking events (of {len(LLM_JACKING_EVENTS)}) one identity must call to fail",
            minimum=2,
            maximum=len(LLM_JACKING_EVENTS),
        ),
    },
    rationale="""LLMjacking is the theft of an account's model access with stolen credentials: the thief lists the
    foundation models, checks which are available, accepts their agreements and use case form, reads or turns off
    invocation logging, then invokes them (or resells the access) at the account's expense, often in a region the
    account does not use. Each step is an ordinary Bedrock call; one identity making many different ones in a short
    window is the pattern, which Sysdig's research and Prowler's cloudtrail_threat_detection_llm_jacking look for in
    CloudTrail's event history (LookupEvents, the 90 days of management events every account has).""",
    judges=f"""Each identity that called at least one of the {len(LLM_JACKING_EVENTS)} LLMjacking events
    ({", ".join(LLM_JACKING_EVENTS)}) in a scanned region, over the scan's --since window (at most 90 days): FAIL when,
    within the last window_days days, it called min_events or more of them (default 6, Prowler's share of 0.4),
    PASS otherwise; regions and identities without such calls get no finding, and neither do AWS services acting for
    the account. A role's sessions count as the role. Each event name is read to its newest 500 events per region;
    a PASS says which events were read only in part. Data events and other accounts' trails are not read.""",
    remediation=Remediation(
        text="Investigate the identity's recent activity: if the calls are not its owner's, deactivate its access "
        "keys (or revoke the role's sessions), delete unexpected Marketplace subscriptions and provisioned "
        "throughput, restore invocation logging, and deny Bedrock with an SCP in the regions the account does not use.",
        cli="aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive",
        url="https://docs.aws.amazon.com/bedrock/latest/userguide/logging-using-cloudtrail.html",
    ),
    references=(ml_lens("MLSEC-13"), ml_lens("MLSEC-08"), prowler("cloudtrail_threat_detection_llm_jacking")),
)
def bedrock_llm_jacking_activity(caller: BedrockCaller, ctx: CheckContext) -> Outcome | None:
    days = ctx.setting("window_days")
    start = datetime.now(UTC) - timedelta(days=days)
    called = caller.called_since(start)
    if not called:
        return None
    share = f"{len(called)} of the {len(LLM_JACKING_EVENTS)} LLMjacking events in the last {days} day(s)"
    if len(called) >= ctx.setting("min_events"):
        return failed(f"{caller.identity_type} called {share}: {', '.join(called)}")
    partly = f"; read in part (the newest 500 events only): {', '.join(caller.unread)}" if caller.unread else ""
    return passed(f"{caller.identity_type} called {share} ({', '.join(called)}){partly}")
