"""boto3 sessions and clients for a scan: one client per (service, region), configured once.

Retries default to botocore's `standard` mode with bounded attempts, unless the user's environment or profile
already says otherwise. The endpoint URL is passed only when the user gave one (or for the demo's local
server): `AWS_ENDPOINT_URL` and per-service endpoint settings keep working because we never override them.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.config import Config
from botocore.utils import parse_timestamp as botocore_parse_timestamp

from mlaudit import __version__
from mlaudit.collect.accounts.calls import CallStats
from mlaudit.collect.accounts.endpoint_host import configured_s3control_endpoint, keep_s3control_on
from mlaudit.collect.engine.service_model import share_models

DEFAULT_MAX_ATTEMPTS = 5
CONNECT_TIMEOUT_SECONDS = 10
READ_TIMEOUT_SECONDS = 60


def parse_timestamp(value: Any) -> datetime:
    """AWS timestamps, as botocore parses them but about 30 times faster: botocore builds a local time zone for
    each one (at 10,000 resources a fifth of a scan's CPU went there). Epoch numbers become UTC times (botocore gives the same
    instant in the local zone); ISO 8601 strings are read by the standard library; anything else goes to botocore."""
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, UTC)
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return botocore_parse_timestamp(value)


def retry_settings(session: boto3.Session) -> dict[str, Any]:
    """Our retry defaults, minus whatever the user configured (environment or profile), which wins."""
    scoped = session._session.get_scoped_config()  # noqa: SLF001 - the profile's own settings
    retries: dict[str, Any] = {}
    if not (os.environ.get("AWS_RETRY_MODE") or scoped.get("retry_mode")):
        retries["mode"] = "standard"
    if not (os.environ.get("AWS_MAX_ATTEMPTS") or scoped.get("max_attempts")):
        retries["total_max_attempts"] = DEFAULT_MAX_ATTEMPTS
    return retries


class AwsClients:
    """A thread-safe cache of configured clients for one set of credentials."""

    def __init__(
        self,
        session: boto3.Session,
        *,
        home_region: str,
        endpoint_url: str | None = None,
        max_pool_connections: int = 16,
        stats: CallStats | None = None,
        read_timeout: float = READ_TIMEOUT_SECONDS,
    ) -> None:
        self.session = session
        share_models(session._session)  # noqa: SLF001 - botocore's session, whose components boto3 does not expose
        # The parser factory is botocore's documented way to change how timestamps are parsed (the AWS CLI does).
        session._session.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=parse_timestamp)  # noqa: SLF001
        self.home_region = home_region
        """Region for account-wide calls (IAM, STS, the S3 bucket list)."""
        self.endpoint_url = endpoint_url
        self.max_pool_connections = max_pool_connections
        self.read_timeout = read_timeout
        self.stats = stats if stats is not None else CallStats()
        self._config = Config(
            retries=retry_settings(session),
            user_agent_extra=f"mlaudit/{__version__}",
            max_pool_connections=max_pool_connections,
            connect_timeout=CONNECT_TIMEOUT_SECONDS,
            read_timeout=read_timeout,
        )
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def for_session(self, session: boto3.Session) -> AwsClients:
        """Clients for another account's session, configured like these and counted in the same statistics."""
        return AwsClients(
            session,
            home_region=self.home_region,
            endpoint_url=self.endpoint_url,
            max_pool_connections=self.max_pool_connections,
            stats=self.stats,
            read_timeout=self.read_timeout,
        )

    def client(self, service: str, region: str | None = None) -> Any:
        """The client for a service and region, made once. Making it reads its models (and its paginators', which
        botocore would read at its first page): botocore's loader caches what it reads but takes no lock, so at a
        scan's start every thread paging a new client listed botocore's data directories again (a third of a
        second of the scan's start on two cores)."""
        key = (service, region or self.home_region)
        client = self._clients.get(key)  # every call asks: no lock once the client exists
        if client is not None:
            return client
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                extra = {"endpoint_url": self.endpoint_url} if self.endpoint_url else {}
                client = self.session.client(service, region_name=key[1], config=self._config, **extra)
                custom_endpoint = self.endpoint_url or configured_s3control_endpoint()
                if custom_endpoint:
                    keep_s3control_on(client, custom_endpoint)
                self.stats.attach(client)
                _read_paginators(client)
                self._clients[key] = client
            return client


def _read_paginators(client: Any) -> None:
    """botocore reads a client's paginator models at its first `can_paginate` (of any method) and keeps them."""
    method = next(iter(client.meta.method_to_api_mapping), None)
    if method is not None:
        client.can_paginate(method)
