"""Amazon Macie over the buckets ML resources use: training data often holds personal data nobody meant to keep."""

from __future__ import annotations

from mlaudit.inventory import S3Bucket
from mlaudit.inventory.macie import MacieDiscovery
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
from mlaudit.sdk.wording import counted, names


@check(
    id="MACIE-ML-001",
    name="ml-buckets-not-in-macie-discovery",
    title="Macie automated sensitive data discovery should cover the buckets ML resources use",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=MacieDiscovery,
    uses=(S3Bucket,),
    rationale="""Training sets, feature stores, captured inference traffic and human review output are copied from
    production systems and routinely contain personal data (names, addresses, card numbers, health details) that
    nobody classified, and that a model can memorise and leak. Macie's automated sensitive data discovery samples
    every bucket continuously and reports where such data lives; it covers an ML bucket only where Macie is enabled
    in the bucket's region, automated discovery is on, and its classification scope does not exclude the bucket.""",
    judges="""Each region holding buckets of the scanned account that ML resources use (one finding per region, naming
    the buckets); buckets of other accounts and regions without ML buckets are not judged. Macie PAUSED (suspended)
    fails like Macie not enabled.""",
    remediation=Remediation(
        text="Enable Macie in the region, turn on automated sensitive data discovery, and remove the ML buckets from "
        "its classification scope's exclusions; review the sensitivity scores of the ML buckets it reports.",
        cli="aws macie2 enable-macie && aws macie2 update-automated-discovery-configuration --status ENABLED && "
        "aws macie2 update-classification-scope --id <scope-id> "
        '--s3 \'{"excludes":{"bucketNames":["<bucket>"],"operation":"REMOVE"}}\'',
        url="https://docs.aws.amazon.com/macie/latest/user/discovery-asdd.html",
    ),
    references=(
        ml_lens("MLSEC-07"),
        ml_lens("MLSEC-02"),
        security_hub("Macie.1"),
        security_hub("Macie.2"),
        config_rule("macie-status-check"),
        config_rule("macie-auto-sensitive-data-discovery-check"),
        prowler("macie_is_enabled"),
        prowler("macie_automated_sensitive_data_discovery_enabled"),
    ),
)
def ml_buckets_not_in_macie_discovery(discovery: MacieDiscovery, ctx: CheckContext) -> Outcome | None:
    buckets = sorted(b.name for b in ctx.all(S3Bucket) if b.in_account and b.region == discovery.region)
    if not buckets:
        return None
    held = f"{counted(len(buckets), 'ML bucket')} ({names(buckets)})"
    if discovery.status is None:
        return failed(f"Macie is not enabled in {discovery.region}: nothing inspects {held} for sensitive data")
    if discovery.status != "ENABLED":
        return failed(f"Macie is {discovery.status} in {discovery.region}: nothing inspects {held}")
    if discovery.automated_discovery != "ENABLED":
        return failed(
            f"automated sensitive data discovery is {discovery.automated_discovery}, so it does not sample {held}"
        )
    excluded = [bucket for bucket in buckets if bucket in discovery.excluded_buckets]
    if excluded:
        return failed("automated sensitive data discovery excludes ML bucket(s) " + names(excluded))
    return passed(f"automated sensitive data discovery covers {held}")
