"""CloudWatch Logs groups that ML workloads write to: SageMaker's, and Bedrock's model invocation logs."""

from __future__ import annotations

from mlaudit.inventory.logs import LogGroup
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
)


@check(
    id="CW-ML-001",
    name="ml-log-group-unprotected",
    title="ML log groups should be encrypted with KMS and expire their events",
    severity=Severity.LOW,
    pillar=Pillar.SECURITY,
    resource=LogGroup,
    rationale="""Training scripts, processing jobs and inference containers print samples of the data they handle,
    and Bedrock invocation logs hold every prompt and answer: ML log groups are data stores. Without a KMS key
    anyone with read access to CloudWatch Logs can read them, and without a retention period they are kept forever,
    against keeping only the data that is still needed. The groups judged are those under /aws/sagemaker/ and the
    one Bedrock model invocation logging writes to.""",
    judges="""Every log group under /aws/sagemaker/ and the group Bedrock invocation logging names, whether or not
    anything still writes to it. Any KMS key and any retention period pass (KMS-ML-001 judges the key).""",
    remediation=Remediation(
        text="Associate a customer managed KMS key with the group (its key policy must allow the CloudWatch Logs "
        "service principal of the region) and set a retention period that matches your data-retention policy.",
        cli="aws logs associate-kms-key --log-group-name <log-group> --kms-key-id <key-arn> && "
        "aws logs put-retention-policy --log-group-name <log-group> --retention-in-days 365",
        url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
        placeholders={"log-group": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-02"),
        ml_lens("MLSEC-07"),
        config_rule("cloudwatch-log-group-encrypted"),
        config_rule("cw-loggroup-retention-period-check"),
    ),
)
def ml_log_group_unprotected(group: LogGroup, ctx: CheckContext) -> Outcome | None:
    problems = []
    if not group.kms_key_id:
        problems.append("no KMS key")
    if group.retention_days is None:
        problems.append("no retention period (events never expire)")
    written_by = f" (written by {', '.join(group.written_by)})" if group.written_by else ""
    if problems:
        return failed(" and ".join(problems) + written_by)
    return passed(f"encrypted with {group.kms_key_id}, events expire after {group.retention_days} days")
