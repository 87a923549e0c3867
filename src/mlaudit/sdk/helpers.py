"""Questions many checks ask, answered once: which models an endpoint serves, whether an instance type has
local NVMe storage, whether a policy ARN is a given AWS managed policy."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mlaudit.inventory import ConfigVariant, Endpoint, EndpointConfig, Model
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
    return policy_arn.split(":", 2)[-1].startswith("iam::aws:policy/") and policy_arn.rsplit("/", 1)[-1] == policy_name


@dataclass(frozen=True)
class ServedModel:
    variant: ConfigVariant
    model: Model


def endpoint_config_of(endpoint: Endpoint, ctx: CheckContext) -> EndpointConfig:
    """The config an endpoint runs. Needs `EndpointConfig` in the check's `uses`."""
    config = ctx.get(EndpointConfig, endpoint.config_name or "")
    if config is None:
        raise DataUnavailable([], reason=f"endpoint config {endpoint.config_name!r} no longer exists, so its models are unknown")
    return config


def served_models(endpoint: Endpoint, ctx: CheckContext) -> list[ServedModel]:
    """The model behind each production variant of an endpoint. Needs `EndpointConfig` and `Model` in `uses`."""
    served = []
    for variant in endpoint_config_of(endpoint, ctx).variants:
        model = ctx.get(Model, variant.model_name or "")
        if model is None:
            raise DataUnavailable([], reason=f"model {variant.model_name!r} of variant {variant.variant_name!r} no longer exists")
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


# -- platform: S3, IAM, KMS, network and CloudTrail checks ------------------------------------------------------


def used_by(count: int) -> str:
    """`used by 3 ML resources`: how much depends on a shared resource (bucket, role, key, network)."""
    return f"used by {count} ML resource{'' if count == 1 else 's'}"
