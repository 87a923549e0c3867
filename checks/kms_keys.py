"""KMS keys that protect ML data: notebook volumes, endpoint storage, training output, buckets."""

from __future__ import annotations

from mlaudit.inventory import KmsKey
from mlaudit.inventory.kms import KmsKeyRotation
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
from mlaudit.sdk.wording import used_by

UNUSABLE_STATES = frozenset({"Disabled", "PendingDeletion", "PendingReplicaDeletion", "Unavailable"})


@check(
    id="KMS-ML-001",
    name="ml-kms-key-weak",
    title="Keys protecting ML resources should be customer managed, enabled and rotated",
    severity=Severity.MEDIUM,
    pillar=Pillar.SECURITY,
    resource=KmsKey,
    uses=(KmsKeyRotation,),
    rationale="""An AWS managed key cannot have its key policy restricted or be disabled in an emergency, so it does
    not separate who may read ML data from who may use the service. A disabled key, or one pending deletion, makes
    the training data, model artefacts and volumes it protects unreadable (a key pending deletion is reported with
    high severity: the data is lost for good when the waiting period ends). Rotation limits what one key version
    protects; it is judged only for keys that support automatic rotation (symmetric keys with KMS key material).""",
    judges="""Every KMS key of the scanned account that an ML resource names; keys of other accounts are not judged.
    An AWS managed key fails, as does a key not Enabled (with high severity when Disabled, PendingDeletion,
    PendingReplicaDeletion or Unavailable); rotation is read only for symmetric customer managed keys with KMS key
    material.""",
    remediation=Remediation(
        text="Use a customer managed key with a key policy scoped to the ML roles; cancel a pending deletion or "
        "re-enable a disabled key if resources still use it; enable automatic rotation.",
        cli="aws kms enable-key-rotation --key-id <key-id>",
        url="https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
        placeholders={"key-id": "resource_arn"},
    ),
    references=(
        ml_lens("MLSEC-02"),
        security_hub("KMS.4"),
        config_rule("cmk-backing-key-rotation-enabled"),
    ),
)
def ml_kms_key_weak(key: KmsKey, ctx: CheckContext) -> Outcome | None:
    problems = []
    if not key.customer_managed:
        problems.append(f"not customer managed (KeyManager {key.key_manager})")
    if key.key_state != "Enabled":
        problems.append(f"key state is {key.key_state}")
    rotation = ctx.require(KmsKeyRotation, key.arn) if key.supports_rotation else None
    if rotation and not rotation.enabled:
        problems.append("automatic rotation is off")
    if problems:
        severity = Severity.HIGH if key.key_state in UNUSABLE_STATES else None
        return failed(f"{'; '.join(problems)} ({used_by(key.use_count)})", severity=severity)
    if rotation:
        return passed(f"customer managed, enabled, rotated every {rotation.period_days or 365} days")
    return passed(
        f"customer managed and enabled; automatic rotation does not apply ({key.key_spec}, origin {key.origin})"
    )
