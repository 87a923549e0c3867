"""botocore's service models, read once per process: what an operation accepts and answers, and its largest page.

The models are the truth about AWS's shapes (mlaudit never trusts moto's): the collector context asks them for the
largest page a list operation allows, the benchmark's minimum-call model for the same page size, and the tests for
every field a collector reads.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

import botocore.session

from mlaudit.collect.engine.operation import Operation

LARGEST_PAGE_SERVICES = frozenset({"sagemaker", "bedrock", "bedrock-agent", "cloudwatch", "logs", "iam", "s3"})
"""Services whose list operations accept their model's maximum page size whatever the other parameters (EC2
refuses MaxResults next to explicit ids). S3's ListBuckets, given MaxBuckets, also answers each bucket's region."""


_LOADING = threading.Lock()
"""Held while a model loads: the collectors' threads ask for the same models at once, and each of them would parse
its own copy (SageMaker's is tens of MB once parsed; eight at a time were most of a scan's peak memory)."""


@cache
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


def share_models(session: botocore.session.Session) -> None:
    """Make `session`'s clients read the models this module reads, from one loader: each model is then parsed once
    per process, not once for the clients and once here (SageMaker's and EC2's are about 15 MB each once parsed)."""
    session.register_component("data_loader", _session().get_component("data_loader"))


def service_model(service: str) -> Any:
    with _LOADING:
        return _service_model(service)


@cache
def _service_model(service: str) -> Any:
    return _session().get_service_model(service)


def operation_model(operation: Operation) -> Any:
    """botocore's model of the operation (raises botocore's OperationNotFoundError if this botocore lacks it)."""
    return service_model(operation.service).operation_model(operation.name)


def _paginators(service: str) -> dict[str, Any]:
    with _LOADING:
        return _paginator_config(service)


@cache
def _paginator_config(service: str) -> dict[str, Any]:
    try:
        model = _session().get_paginator_model(service)
    except Exception:  # noqa: BLE001 - a service without paginators (botocore's DataNotFoundError)
        return {}
    return dict(model._paginator_config)  # noqa: SLF001 - botocore keeps the paginator configuration there


def can_paginate(operation: Operation) -> bool:
    return operation.name in _paginators(operation.service)


@cache
def largest_page(operation: Operation) -> int | None:
    """The largest page size a list operation accepts, from the service model (None: leave the API's default)."""
    if operation.service not in LARGEST_PAGE_SERVICES or not can_paginate(operation):
        return None
    limit_key = _paginators(operation.service)[operation.name].get("limit_key")
    input_shape = operation_model(operation).input_shape
    member = input_shape.members.get(limit_key) if limit_key and input_shape else None
    maximum = member.metadata.get("max") if member is not None else None
    return int(maximum) if maximum else None
