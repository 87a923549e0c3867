"""Amazon Comprehend custom models: entity recognizers and document classifiers trained on the account's own
documents, which their model artefacts encode."""

from __future__ import annotations

from mlaudit.inventory.comprehend import COMPREHEND_MODEL_TYPES, ComprehendModel
from mlaudit.sdk import CheckContext, Outcome, Pillar, Remediation, Severity, check, checkov, ml_lens
from mlaudit.sdk.kms import expect_kms_keys
from mlaudit.sdk.verdicts import in_vpc

_JUDGED = """Every version of every custom entity recognizer and document classifier, but those IN_ERROR or being
    deleted (they hold no trained model)."""


@check(
    id="COMPREHEND-ML-001",
    name="comprehend-model-not-kms",
    title="Comprehend custom models should encrypt the model and the training volume with KMS keys",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=COMPREHEND_MODEL_TYPES,
    rationale="""A custom entity recognizer or classifier is trained on the account's own documents (support tickets,
    contracts, clinical notes) and its model encodes them; the training documents are staged on the storage volume of
    the instances that train it. Without ModelKmsKeyId the model is encrypted with a key Comprehend owns, and without
    VolumeKmsKeyId the volume too: neither can be restricted, audited or revoked by you.""",
    judges=_JUDGED,
    remediation=Remediation(
        text="Model keys cannot be added afterwards: train a new version with ModelKmsKeyId and VolumeKmsKeyId set to "
        "customer managed keys (the data access role needs kms:CreateGrant and kms:Decrypt on them), move the "
        "endpoints to it, then delete the old version.",
        cli="aws comprehend create-document-classifier --document-classifier-name <name> --version-name <version> "
        "--cli-input-json file://classifier.json --model-kms-key-id <key-arn> --volume-kms-key-id <key-arn>",
        url="https://docs.aws.amazon.com/comprehend/latest/dg/kms-in-comprehend.html",
    ),
    references=(ml_lens("MLSEC-02"), checkov("CKV_AWS_267"), checkov("CKV_AWS_268")),
)
def comprehend_model_not_kms(model: ComprehendModel, ctx: CheckContext) -> Outcome | None:
    if not model.judged:
        return None
    return expect_kms_keys(
        {
            "ModelKmsKeyId (trained model)": model.model_kms_key_id,
            "VolumeKmsKeyId (training volume)": model.volume_kms_key_id,
        }
    )


@check(
    id="COMPREHEND-ML-002",
    name="comprehend-model-outside-vpc",
    title="Comprehend custom models should train in a VPC",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=COMPREHEND_MODEL_TYPES,
    rationale="""Without a VpcConfig, Comprehend's training instances read the training documents from S3 over a
    network Comprehend manages, outside your security groups, VPC endpoint policies and flow logs. With one, they run
    in your subnets and reach the data only through the routes and endpoints you allow, so a bucket policy can
    admit the VPC endpoint alone.""",
    judges=_JUDGED,
    remediation=Remediation(
        text="Train the next version with a VpcConfig (private subnets with an S3 gateway endpoint, a security group) "
        "and restrict the training bucket's policy to that endpoint.",
        cli="aws comprehend create-entity-recognizer --recognizer-name <name> --version-name <version> "
        "--cli-input-json file://recognizer.json "
        "--vpc-config SecurityGroupIds=<sg-id>,Subnets=<subnet-a>,<subnet-b>",
        url="https://docs.aws.amazon.com/comprehend/latest/dg/usingVPC.html",
    ),
    references=(ml_lens("MLSEC-04"), ml_lens("MLSEC-08")),
)
def comprehend_model_outside_vpc(model: ComprehendModel, ctx: CheckContext) -> Outcome | None:
    if not model.judged:
        return None
    return in_vpc(model.vpc_subnets, "no VpcConfig: it trains in a network Comprehend manages")
