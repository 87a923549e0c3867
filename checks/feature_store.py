"""Feature Store: the curated features that models are trained on (offline store) and served with (online store)."""

from __future__ import annotations

from mlaudit.inventory.sagemaker_features import FeatureGroup
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
    security_hub,
)


@check(
    id="SM-FEATURE-001",
    name="feature-group-offline-store-not-kms",
    title="Feature group offline stores should be encrypted with a KMS key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=FeatureGroup,
    rationale="""The offline store keeps every version of every feature record in S3: the history of the
    customer data models are trained on. Without S3StorageConfig.KmsKeyId the files get only the bucket's default
    encryption, so anyone who can read the bucket reads the features, with no key policy or key-use audit trail in
    between. Feature groups without an offline store are not judged.""",
    judges="""Every feature group with an offline store, whatever its status; groups without one get no finding. Any
    KmsKeyId passes, without being looked up.""",
    remediation=Remediation(
        text="The offline store's key cannot be changed: create a new feature group with "
        "OfflineStoreConfig.S3StorageConfig.KmsKeyId set to a customer managed key, backfill it from the old one, "
        "move readers and writers over, and delete the old group.",
        cli="aws sagemaker create-feature-group --feature-group-name <name>-v2 --record-identifier-feature-name <id> "
        "--event-time-feature-name <event-time> --feature-definitions file://features.json --role-arn <role-arn> "
        '--offline-store-config \'{"S3StorageConfig":{"S3Uri":"s3://<bucket>/<prefix>","KmsKeyId":"<key-arn>"}}\'',
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-security.html",
        placeholders={"name": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-02"),
        security_hub("SageMaker.17"),
        config_rule("sagemaker-featuregroup-encryption-at-rest"),
    ),
)
def feature_group_offline_store_not_kms(group: FeatureGroup, ctx: CheckContext) -> Outcome | None:
    if not group.offline_store:
        return None
    if group.offline_kms_key_id:
        return passed(f"the offline store is encrypted with {group.offline_kms_key_id}")
    return failed(f"the offline store in {group.offline_s3_uri or 'S3'} has no KmsKeyId")


@check(
    id="SM-FEATURE-002",
    name="feature-group-online-store-not-kms",
    title="Feature group online stores with standard storage should be encrypted with a KMS key",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=FeatureGroup,
    rationale="""The online store serves the latest feature values to models at inference time, often personal
    data looked up per request. Without SecurityConfig.KmsKeyId it is encrypted with an AWS owned key that you
    cannot restrict, audit or revoke. Only standard storage is judged (an absent StorageType means Standard); the
    InMemory tier is outside this setting, as in Security Hub.""",
    judges="""Every feature group with a Standard online store (an unset StorageType included), whatever its status;
    InMemory online stores and groups without an online store get no finding. Any KmsKeyId passes, without being
    looked up.""",
    remediation=Remediation(
        text="The online store's key cannot be changed: create a new feature group with "
        "OnlineStoreConfig.SecurityConfig.KmsKeyId set to a customer managed key, ingest into it, move readers over, "
        "and delete the old group.",
        cli="aws sagemaker create-feature-group --feature-group-name <name>-v2 --record-identifier-feature-name <id> "
        "--event-time-feature-name <event-time> --feature-definitions file://features.json --role-arn <role-arn> "
        '--online-store-config \'{"EnableOnlineStore":true,"SecurityConfig":{"KmsKeyId":"<key-arn>"}}\'',
        url="https://docs.aws.amazon.com/sagemaker/latest/dg/feature-store-security.html",
        placeholders={"name": "resource_name"},
    ),
    references=(
        ml_lens("MLSEC-02"),
        security_hub("SageMaker.18"),
        config_rule("sagemaker-featuregroup-online-store-encryption"),
    ),
)
def feature_group_online_store_not_kms(group: FeatureGroup, ctx: CheckContext) -> Outcome | None:
    if not group.online_store or group.online_storage_type == "InMemory":
        return None
    storage = group.online_storage_type or "Standard"
    if group.online_kms_key_id:
        return passed(f"the {storage} online store is encrypted with {group.online_kms_key_id}")
    return failed(f"the {storage} online store has no SecurityConfig.KmsKeyId: it uses an AWS owned key")
