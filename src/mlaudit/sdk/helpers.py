"""Questions many checks ask, answered once: which models an endpoint serves, whether an instance type has
local NVMe storage, whether a policy ARN is a given AWS managed policy."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from mlaudit.inventory import ConfigVariant, Endpoint, EndpointConfig, KmsKey, Model, Record
from mlaudit.inventory.cloudwatch import EndpointMetrics
from mlaudit.inventory.iam import is_aws_managed_policy_arn
from mlaudit.sdk.context import CheckContext, DataUnavailable
from mlaudit.sdk.outcome import Outcome, failed, passed

# Families whose instances carry NVMe instance storage: a "d" in the family suffix (m5d, g4dn, p4d, r6id...),
# plus families with instance storage and no "d" in the name.
_NVME_SUFFIX = re.compile(r"^[a-z]+\d+[a-z]*d[a-z]*$")
_NVME_FAMILIES = frozenset({"g5", "g6", "g6e", "gr6", "p5", "p5e", "p5en", "p6", "trn1", "trn1n", "trn2", "i3", "i4i"})


def instance_family(instance_type: str | None) -> str:
    """`ml.g4dn.xlarge` -> `g4dn`."""
    parts = (instance_type or "").split(".")
    return parts[1] if len(parts) >= 3 else ""


def has_local_nvme_storage(instance_type: str | None) -> bool:
    """Instance types whose storage is NVMe instance store, encrypted by hardware; SageMaker rejects a KmsKeyId
    for endpoint configs that use them."""
    family = instance_family(instance_type)
    return bool(family) and (family in _NVME_FAMILIES or bool(_NVME_SUFFIX.match(family)))


def is_aws_managed_policy(policy_arn: str, policy_name: str) -> bool:
    """True for `arn:<any partition>:iam::aws:policy/<name>` (managed policies may sit under a path)."""
    return is_aws_managed_policy_arn(policy_arn) and policy_arn.rsplit("/", 1)[-1] == policy_name


@dataclass(frozen=True)
class ServedModel:
    variant: ConfigVariant
    model: Model


def endpoint_config_of(endpoint: Endpoint, ctx: CheckContext) -> EndpointConfig:
    """The config an endpoint runs. Needs `EndpointConfig` in the check's `uses`."""
    config = ctx.get(EndpointConfig, endpoint.config_name or "")
    if config is None:
        raise DataUnavailable(
            [], reason=f"endpoint config {endpoint.config_name!r} no longer exists, so its models are unknown"
        )
    return config


def served_models(endpoint: Endpoint, ctx: CheckContext) -> list[ServedModel]:
    """The model behind each production variant of an endpoint. Needs `EndpointConfig` and `Model` in `uses`."""
    served = []
    for variant in endpoint_config_of(endpoint, ctx).variants:
        model = ctx.get(Model, variant.model_name or "")
        if model is None:
            raise DataUnavailable(
                [], reason=f"model {variant.model_name!r} of variant {variant.variant_name!r} no longer exists"
            )
        served.append(ServedModel(variant, model))
    return served


def names(items: list[str], limit: int = 5) -> str:
    """A short, readable list for a finding's detail: `a, b, c and 4 more`."""
    shown = ", ".join(items[:limit])
    return f"{shown} and {len(items) - limit} more" if len(items) > limit else shown


def expect_value(label: str, actual: str | None, wanted: str, aws_default: str | None = None) -> Outcome:
    """PASS when a setting has the wanted value; otherwise FAIL naming what it is (or the AWS default it falls
    back to when unset)."""
    if actual == wanted:
        return passed(f"{label} is {wanted}")
    if actual is None:
        fallback = f", so it has the AWS default: {aws_default}" if aws_default else ""
        return failed(f"{label} is not set{fallback}")
    return failed(f"{label} is {actual}")


def short_arn(arn: str) -> str:
    """The resource part of an ARN (`model/churn-2019`), which is what people recognise in a sentence."""
    parts = arn.split(":", 5)
    return parts[5] if len(parts) == 6 and parts[5] else arn


# -- KMS keys the account controls (notebook volumes, Studio domains, Bedrock, S3 default encryption) --------

SSE_KMS_ALGORITHMS = frozenset({"aws:kms", "aws:kms:dsse"})
"""S3 default-encryption algorithms that use a KMS key (SSE-KMS and dual-layer DSSE-KMS)."""


def customer_managed_key(record: Record, key_id: str | None, ctx: CheckContext, protects: str) -> Outcome:
    """PASS when `key_id` (as the record gives it) is a customer managed KMS key; FAIL when there is none, it is
    AWS managed, or it no longer exists. A key of another account passes: AWS managed keys cannot be used across
    accounts. Needs `KmsKey` in the check's `uses`."""
    reference = record.kms_key_ref(key_id)
    if reference is None:
        return failed(f"no customer managed key is set: {protects} is encrypted with a key AWS owns, not you")
    arn = reference.target.split(":")
    owner = arn[4] if len(arn) > 5 else record.account_id
    if owner != record.account_id:
        return passed(f"{protects} is encrypted with {key_id}, a key of account {owner} (necessarily customer managed)")
    key = ctx.get(KmsKey, reference.target)
    if key is None:
        return failed(f"{protects} names the KMS key {key_id}, which no longer exists")
    if not key.customer_managed:
        return failed(f"{protects} is encrypted with {key_id}, an AWS managed key (KeyManager {key.key_manager})")
    return passed(f"{protects} is encrypted with the customer managed key {key_id}")


# -- KMS keys of jobs (training, processing, batch transform) ------------------------------------------------------


def expect_kms_keys(keys: dict[str, str | None]) -> Outcome | None:
    """PASS when every applicable key setting (its description -> the key it names, or None) names a key; FAIL
    naming the settings without one; None when no setting applies to the resource."""
    if not keys:
        return None
    missing = [setting for setting, key in keys.items() if not key]
    if missing:
        return failed("no KMS key: " + ", ".join(missing))
    return passed("; ".join(f"{setting}: {key}" for setting, key in keys.items()))


def counted(count: int, noun: str) -> str:
    """`1 endpoint`, `3 endpoints`: a count with its noun, for a finding's detail."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


# -- endpoint metrics: the window a usage check judges ----------------------------------------------------------


def metrics_window_start(endpoint: Endpoint, metrics: EndpointMetrics, days: int) -> datetime | None:
    """The start of the last `days` days of an endpoint's collected metrics, or None when the endpoint is younger
    than that (too new to judge how it is used). Raises DataUnavailable when the scan read fewer days."""
    start = metrics.window_end - timedelta(days=days)
    if start < metrics.window_start:
        read = round((metrics.window_end - metrics.window_start) / timedelta(days=1))
        reason = f"the check looks back {days} days but the scan read {read} days of metrics (raise --since)"
        raise DataUnavailable([], reason=reason)
    if endpoint.creation_time is None or endpoint.creation_time > start:
        return None
    return start


# -- platform: S3, IAM, KMS, network and CloudTrail checks ------------------------------------------------------


def first_users(arns: Iterable[str]) -> str:
    """The first few ML resources that use a shared resource, short and readable (`endpoint/fraud, model/v3...`)."""
    return names([short_arn(arn) for arn in arns], limit=3)


def used_by(count: int) -> str:
    """`used by 3 ML resources`: how much depends on a shared resource (bucket, role, key, network)."""
    return f"used by {counted(count, 'ML resource')}"


def in_vpc(subnets: Iterable[str], outside: str) -> Outcome:
    """PASS naming the subnets a model or job runs in; FAIL with `outside` (why that matters for it) when none."""
    subnets = list(subnets)
    return passed("runs in subnets " + names(subnets)) if subnets else failed(outside)
