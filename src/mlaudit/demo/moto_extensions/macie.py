"""Macie: automated sensitive data discovery and its classification scope, which moto (5.2) does not implement, and
the answer of a region where Macie is not enabled.

- get/update automated discovery configuration: status DISABLED until updated (the state of an account that
  enabled Macie before AWS turned automated discovery on by default), with a classification scope of its own.
- get/update classification scope: the buckets automated discovery excludes (ADD, REPLACE or REMOVE names).
- get_macie_session: moto raises ResourceNotFoundException once Macie is disabled; AWS answers AccessDeniedException
  "Macie is not enabled.", as it does for every Macie call until Macie is enabled.

moto routes Macie requests by path, so the new operations' paths are declared in `URL_PATHS`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from moto.macie2.exceptions import AccessDeniedException, ResourceNotFoundException
from moto.macie2.responses import MacieResponse
from moto.moto_api._internal import mock_random

from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = MacieResponse
URL_PATHS = ("{0}/automated-discovery/configuration$", "{0}/classification-scopes/(?P<id>[^/]+)$")
NOT_ENABLED = "Macie is not enabled."

Operation = Callable[[MacieResponse], str]


def _enabled(response: MacieResponse) -> None:
    if not response.macie_backend.macie_session:
        raise AccessDeniedException(NOT_ENABLED)


def _discovery(response: MacieResponse) -> dict[str, Any]:
    """The region's automated discovery configuration, and its classification scope's excluded buckets."""
    state = backend_state(response.macie_backend, "automated_discovery")
    if not state:
        state.update(
            status="DISABLED",
            classificationScopeId=mock_random.get_random_hex(32),
            sensitivityInspectionTemplateId=mock_random.get_random_hex(32),
            excluded=[],
        )
    return state


def get_automated_discovery_configuration(self: MacieResponse) -> str:
    _enabled(self)
    state = _discovery(self)
    keys = ("status", "classificationScopeId", "sensitivityInspectionTemplateId")
    return json.dumps({key: state[key] for key in keys})


def update_automated_discovery_configuration(self: MacieResponse) -> str:
    _enabled(self)
    _discovery(self)["status"] = self._get_param("status")
    return "{}"


def _scope(self: MacieResponse) -> dict[str, Any]:
    _enabled(self)
    state, scope_id = _discovery(self), self.path.rstrip("/").rsplit("/", 1)[-1]
    if scope_id != state["classificationScopeId"]:
        raise ResourceNotFoundException(f"The classification scope {scope_id} doesn't exist.")
    return state


def get_classification_scope(self: MacieResponse) -> str:
    state = _scope(self)
    scope = {"bucketNames": list(state["excluded"])}
    return json.dumps(
        {"id": state["classificationScopeId"], "name": "automated-sensitive-data-discovery", "s3": {"excludes": scope}}
    )


def update_classification_scope(self: MacieResponse) -> str:
    state = _scope(self)
    excludes = (self._get_param("s3") or {}).get("excludes") or {}
    names, operation = list(excludes.get("bucketNames") or ()), excludes.get("operation")
    current = [] if operation == "REPLACE" else state["excluded"]
    state["excluded"] = [n for n in current if operation != "REMOVE" or n not in names]
    if operation in ("ADD", "REPLACE"):
        state["excluded"] += [n for n in names if n not in state["excluded"]]
    return "{}"


def _not_enabled(get_macie_session: Operation) -> Operation:
    def wrapped(self: MacieResponse) -> str:
        _enabled(self)
        return get_macie_session(self)

    return wrapped


OPERATIONS = {
    "get_automated_discovery_configuration": get_automated_discovery_configuration,
    "update_automated_discovery_configuration": update_automated_discovery_configuration,
    "get_classification_scope": get_classification_scope,
    "update_classification_scope": update_classification_scope,
}
OVERRIDES = {"get_macie_session": _not_enabled}
