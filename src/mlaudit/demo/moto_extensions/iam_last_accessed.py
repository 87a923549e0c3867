"""IAM's service last accessed data (GenerateServiceLastAccessedDetails, GetServiceLastAccessedDetails), which moto
(5.2) does not implement.

moto records no authentication, so an identity's last access of a service is what `record_service_access` says,
and stamps identities with the time they were seeded, so `age_identity` gives one the creation date AWS would report
long after.

- generate_service_last_accessed_details: a job for an existing user or role (NoSuchEntity otherwise), at the
  default SERVICE_LEVEL granularity; it completes at once.
- get_service_last_accessed_details: COMPLETED, with every service the identity's policies allow (its inline and
  managed policies, and a user's groups'): the namespaces that Allow statements name, and for `*` those of
  `SERVICE_NAMES`. A service never used has no LastAuthenticated, as IAM answers; paged by MaxItems and Marker.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.iam.exceptions import NoSuchEntity
from moto.iam.models import iam_backends
from moto.iam.responses import IamResponse
from moto.moto_api._internal import mock_random

from mlaudit.demo.moto_extensions.state import backend_state

RESPONSE_CLASS = IamResponse
_JOBS = "last_accessed_jobs"
_ACCESS = "service_access"
SERVICE_NAMES = {
    "bedrock": "Amazon Bedrock",
    "iam": "AWS Identity and Access Management",
    "s3": "Amazon S3",
    "sagemaker": "Amazon SageMaker",
}
"""IAM's names of the services the tests and the demo use (another namespace is answered under its own name)."""


def record_service_access(account_id: str, arn: str, namespace: str, when: datetime, region: str = "us-east-1") -> None:
    """Say that the identity `arn` last authenticated to the service `namespace` at `when`, in `region`. Raises
    KeyError outside this process's moto."""
    access = backend_state(iam_backends[account_id]["aws"], _ACCESS)
    access[f"{arn} {namespace}"] = {"LastAuthenticated": when, "LastAuthenticatedRegion": region}


def age_identity(account_id: str, kind: str, name: str, created: datetime) -> None:
    """Give a `role` or `user` the creation date AWS would report after the fact. Raises KeyError (or moto's
    NoSuchEntity) outside this process's moto."""
    backend = iam_backends[account_id]["aws"]
    (backend.get_role(name) if kind == "role" else backend.get_user(name)).create_date = created


def _documents(backend: Any, arn: str) -> Iterator[str]:
    """The policy documents of a user (with its groups') or role."""
    holders: list[Any] = [r for r in backend.roles.values() if r.arn == arn]
    for user in (u for u in backend.users.values() if u.arn == arn):
        holders += [user, *(g for g in backend.groups.values() if user in g.users)]
    if not holders:
        raise NoSuchEntity(f"The entity {arn} does not exist.")
    for holder in holders:
        yield from holder.policies.values()
        for policy in holder.managed_policies.values():
            yield next(v.document for v in policy.versions if v.is_default)


def _namespaces(documents: Iterator[str]) -> set[str]:
    found: set[str] = set()
    for text in documents:
        document = json.loads(text if text.lstrip().startswith("{") else unquote(text))
        statements = document.get("Statement") or []
        for statement in [statements] if isinstance(statements, dict) else statements:
            if statement.get("Effect") != "Allow":
                continue
            actions = statement.get("Action") or []
            for action in [actions] if isinstance(actions, str) else actions:
                found |= set(SERVICE_NAMES) if action == "*" else {action.split(":", 1)[0].lower()}
    return found


def generate_service_last_accessed_details(self: IamResponse) -> ActionResult:
    arn = self._get_param("Arn")
    namespaces = _namespaces(_documents(self.backend, arn))
    job_id = str(mock_random.uuid4())
    backend_state(self.backend, _JOBS)[job_id] = {"arn": arn, "namespaces": sorted(namespaces), "created": utcnow()}
    return ActionResult({"JobId": job_id})


def _service(response: IamResponse, arn: str, namespace: str) -> dict[str, Any]:
    used = backend_state(response.backend, _ACCESS).get(f"{arn} {namespace}")
    service = {"ServiceName": SERVICE_NAMES.get(namespace, namespace), "ServiceNamespace": namespace}
    if used is None:
        return {**service, "TotalAuthenticatedEntities": 0}
    return {**service, **used, "LastAuthenticatedEntity": arn, "TotalAuthenticatedEntities": 1}


def get_service_last_accessed_details(self: IamResponse) -> ActionResult:
    job = backend_state(self.backend, _JOBS).get(self._get_param("JobId"))
    if job is None:
        raise NoSuchEntity("The job was not found.")
    services = [_service(self, job["arn"], namespace) for namespace in job["namespaces"]]
    start = int(self._get_param("Marker") or 0)
    end = start + int(self._get_param("MaxItems") or 100)
    answer: dict[str, Any] = {
        "JobStatus": "COMPLETED",
        "JobType": "SERVICE_LEVEL",
        "JobCreationDate": job["created"],
        "JobCompletionDate": job["created"],
        "ServicesLastAccessed": services[start:end],
        "IsTruncated": end < len(services),
    }
    if end < len(services):
        answer["Marker"] = str(end)
    return ActionResult(answer)


OPERATIONS = {
    "generate_service_last_accessed_details": generate_service_last_accessed_details,
    "get_service_last_accessed_details": get_service_last_accessed_details,
}
