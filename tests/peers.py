"""The peer tools' ML controls (tests/data/peer_controls.json) against the built-in checks' references: which checks
cover each control, and which controls no check covers yet (issue 17 promises none)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mlaudit.sdk import Check
from mlaudit.sdk.references import PEERS, CheckReference, ReferenceType

PEER_CONTROLS: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parent / "data" / "peer_controls.json").read_text(encoding="utf-8")
)

Control = tuple[str, str]
"""(peer, id) as the data file names a control: `("prowler", "sagemaker_models_registry_in_use")`."""


def control_of(reference: CheckReference) -> Control:
    """The control a reference names; a KICS reference keeps the query's title as its id and its uuid in the URL."""
    if reference.type is ReferenceType.KICS:
        return reference.type.value, reference.url.rstrip("/").rsplit("/", 1)[-1]
    return reference.type.value, reference.id


LISTED = {(c["peer"], c["id"]) for c in PEER_CONTROLS["controls"]}


def is_ml_control(reference: CheckReference) -> bool:
    """Whether a reference names a control of the data file's scope: the Security Hub controls and Config rules of
    the ML services, and the ML controls the file lists of Prowler, Steampipe, Checkov and KICS (a peer's ECR, VPC
    or Macie control, which an ML-scoped infrastructure check also covers, is outside the comparison, as are S3.8 or
    s3-default-encryption-kms)."""
    if reference.type not in PEERS:
        return False
    prefixes = PEER_CONTROLS["ml_prefixes"].get(reference.type.value)
    if prefixes is None:
        return control_of(reference) in LISTED
    return reference.id.startswith(tuple(prefixes))


def covering(checks: Iterable[Check]) -> dict[Control, set[str]]:
    """Each ML control of a peer that the checks name, with the ids of the checks that name it."""
    found: dict[Control, set[str]] = defaultdict(set)
    for check in checks:
        for reference in check.metadata.references:
            if is_ml_control(reference):
                found[control_of(reference)].add(check.id)
    return dict(found)


def uncovered_controls(checks: Iterable[Check]) -> list[Control]:
    """Issue 17's promise as a function: the controls of the data file that none of `checks` covers, in the file's
    order. Empty once every ML control of the peers has a check."""
    covered = covering(checks)
    return [(c["peer"], c["id"]) for c in PEER_CONTROLS["controls"] if (c["peer"], c["id"]) not in covered]
