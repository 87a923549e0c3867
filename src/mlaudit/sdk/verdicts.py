"""Verdicts many checks reach the same way: a setting that must have a value, a workload that must run in a VPC,
a container environment that must hold no secret."""

from __future__ import annotations

from collections.abc import Iterable

from mlaudit.inventory.sagemaker import SecretVariable
from mlaudit.sdk.outcome import Outcome, failed, passed
from mlaudit.sdk.wording import names


def expect_value(label: str, actual: str | None, wanted: str, aws_default: str | None = None) -> Outcome:
    """PASS when a setting has the wanted value; otherwise FAIL naming what it is (or the AWS default it falls
    back to when unset)."""
    if actual == wanted:
        return passed(f"{label} is {wanted}")
    if actual is None:
        fallback = f", so it has the AWS default: {aws_default}" if aws_default else ""
        return failed(f"{label} is not set{fallback}")
    return failed(f"{label} is {actual}")


def in_vpc(subnets: Iterable[str], outside: str) -> Outcome:
    """PASS naming the subnets a model or job runs in; FAIL with `outside` (why that matters for it) when none."""
    subnets = list(subnets)
    return passed("runs in subnets " + names(subnets)) if subnets else failed(outside)


def without_secrets(environments: Iterable[tuple[str | None, tuple[str, ...], tuple[SecretVariable, ...]]]) -> Outcome:
    """PASS when no environment variable looks like a secret, saying how many were checked; FAIL naming each
    secret-looking one and its kind (`HF_TOKEN (huggingface-token) in container 2`). Each environment is given as
    (where it is, or None for the only one; its variables' names; its secret-looking variables)."""
    environments = list(environments)
    found = [
        f"{secret.name} ({secret.kind})" + (f" in {where}" if where else "")
        for where, _, secrets in environments
        for secret in secrets
    ]
    if found:
        return failed("secret-looking environment variable: " + names(found))
    checked = sum(len(keys) for _, keys, _ in environments)
    return passed(
        f"none of {checked} environment variables looks like a secret" if checked else "no environment variables"
    )
