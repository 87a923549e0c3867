"""ML instance types: their family, their size, whether they carry accelerators and whether their storage is NVMe
instance store."""

from __future__ import annotations

import re

# Families whose instances carry NVMe instance storage: a "d" in the family suffix (m5d, g4dn, p4d, r6id...),
# plus families with instance storage and no "d" in the name.
_NVME_SUFFIX = re.compile(r"^[a-z]+\d+[a-z]*d[a-z]*$")
_NVME_FAMILIES = frozenset({"g5", "g6", "g6e", "gr6", "p5", "p5e", "p5en", "p6", "trn1", "trn1n", "trn2", "i3", "i4i"})
_GPU_FAMILY = re.compile(r"^(p|g|gr)\d")
"""NVIDIA GPU families: the P (training) and G (graphics and inference) instances, g4dn, p4d, p5en, gr6..."""


def instance_family(instance_type: str | None) -> str:
    """`ml.g4dn.xlarge` -> `g4dn`."""
    parts = (instance_type or "").split(".")
    return parts[1] if len(parts) >= 3 else ""


def has_local_nvme_storage(instance_type: str | None) -> bool:
    """Instance types whose storage is NVMe instance store, encrypted by hardware; SageMaker rejects a KmsKeyId
    for endpoint configs that use them."""
    family = instance_family(instance_type)
    return bool(family) and (family in _NVME_FAMILIES or bool(_NVME_SUFFIX.match(family)))


def has_gpu(instance_type: str | None) -> bool:
    """Instance types with NVIDIA GPUs (`ml.p4d.24xlarge`, `ml.g5.2xlarge`); Trainium and Inferentia are not GPUs."""
    return bool(_GPU_FAMILY.match(instance_family(instance_type)))


_ACCELERATED = re.compile(r"^(g\d|gr\d|p\d|trn\d|inf\d|dl\d)")
"""Families with GPUs or AWS ML accelerators (g5, g6e, gr6, p4d, p5, trn1, inf2, dl1...): the expensive ones."""
_SIZE = re.compile(r"^(\d*)xlarge$")
_SMALL_SIZES = {"nano": 0.03125, "micro": 0.0625, "small": 0.125, "medium": 0.25, "large": 0.5}


def is_accelerated(instance_type: str | None) -> bool:
    """Whether an instance type carries GPUs, Trainium or Inferentia (`ml.g5.xlarge`, `ml.p4d.24xlarge`)."""
    return bool(_ACCELERATED.match(instance_family(instance_type)))


def instance_size(instance_type: str | None) -> float | None:
    """An instance's size in xlarge units (`ml.m5.4xlarge` -> 4, `ml.t3.medium` -> 0.5), or None when it has no
    size (`system`, a bare metal or unknown size)."""
    parts = (instance_type or "").split(".")
    if len(parts) < 3:
        return None
    size = _SIZE.match(parts[-1])
    if size:
        return float(size.group(1) or 1)
    return _SMALL_SIZES.get(parts[-1])
