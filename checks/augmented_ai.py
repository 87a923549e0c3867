"""Amazon Augmented AI: human review of a model's predictions, where the input a model was unsure about (a
document, an image, a customer's message) is shown to people and their answers are stored."""

from __future__ import annotations

from mlaudit.inventory.sagemaker_augmented_ai import FlowDefinition
from mlaudit.sdk import CheckContext, Outcome, Pillar, Remediation, Severity, check, checkov, failed, ml_lens, passed
from mlaudit.sdk.kms import expect_kms_keys
from mlaudit.sdk.wording import short_arn

NOT_JUDGED = frozenset({"Failed", "Deleting"})


@check(
    id="SM-A2I-001",
    name="flow-definition-output-not-kms",
    title="Augmented AI flow definitions should encrypt their human review output with a KMS key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=FlowDefinition,
    rationale="""Each human loop writes to the flow definition's S3 output path the input that was reviewed and the
    reviewers' answers: often the most sensitive records a model sees, precisely because it was unsure about them.
    Without OutputConfig.KmsKeyId they are encrypted with the AWS managed S3 key, which you cannot restrict,
    audit separately or revoke.""",
    judges="""Flow definitions that are Initializing or Active; those Failed or being deleted are not judged.""",
    remediation=Remediation(
        text="Flow definitions cannot be changed: create a replacement whose OutputConfig names a customer managed "
        "KMS key (and give the flow definition's role kms:Encrypt and kms:GenerateDataKey on it), move the "
        "applications that start human loops to it, then delete the old one.",
        cli="aws sagemaker create-flow-definition --flow-definition-name <name>-encrypted "
        "--cli-input-json file://flow-definition.json --output-config S3OutputPath=<s3-uri>,KmsKeyId=<key-arn>",
        url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_FlowDefinitionOutputConfig.html",
        placeholders={"name": "resource_name"},
    ),
    references=(ml_lens("MLSEC-02"), checkov("CKV_AWS_372")),
)
def flow_definition_output_not_kms(definition: FlowDefinition, ctx: CheckContext) -> Outcome | None:
    if definition.status in NOT_JUDGED:
        return None
    return expect_kms_keys({"OutputConfig.KmsKeyId (human review output)": definition.output_kms_key_id})


PUBLIC_WORKFORCE = ":workteam/public-crowd/"
"""Amazon Mechanical Turk's work team, in AWS's account of each region."""


@check(
    id="SM-A2I-002",
    name="flow-definition-public-workforce",
    title="Augmented AI flow definitions should not send data to the public workforce",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=FlowDefinition,
    rationale="""A flow definition whose work team is the public workforce shows every task's input (the document, the
    image, the customer's message the model was unsure about) to anonymous Amazon Mechanical Turk workers outside
    your organisation, under no agreement with you. Data that holds personal, confidential or regulated information
    must go to a private work team of your own people, or a vendor workforce under contract.""",
    judges="""Flow definitions that are Initializing or Active: FAIL for the public workforce (workteam/public-crowd),
    PASS for a private or vendor work team.""",
    remediation=Remediation(
        text="Create a private work team (Amazon Cognito or your identity provider) or subscribe to a vendor "
        "workforce, create a replacement flow definition that names it, and move the applications that start human "
        "loops to it; confirm the data sent so far was not sensitive.",
        cli="aws sagemaker create-workteam --workteam-name <name> --description <description> "
        "--member-definitions file://members.json && aws sagemaker create-flow-definition "
        "--flow-definition-name <name>-private --cli-input-json file://flow-definition-with-private-workteam.json",
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/sms-workforce-management.html",
    ),
    references=(ml_lens("MLSEC-12"), ml_lens("MLSEC-07")),
)
def flow_definition_public_workforce(definition: FlowDefinition, ctx: CheckContext) -> Outcome | None:
    if definition.status in NOT_JUDGED or not definition.workteam_arn:
        return None
    if PUBLIC_WORKFORCE in definition.workteam_arn:
        return failed("human review tasks go to the public workforce (Amazon Mechanical Turk)")
    return passed(f"human review tasks go to the work team {short_arn(definition.workteam_arn)}")
