"""Keeping S3 Control requests on an endpoint URL the user gave (a local emulator, the demo's moto server).

S3 Control's endpoint rules put the account id in front of the host name (`123456789012.s3-control.us-east-1
.amazonaws.com`), and botocore applies them to a custom endpoint too: against `http://127.0.0.1:5000` the request
goes to `http://123456789012.127.0.0.1:5000`, which no resolver knows. When an endpoint URL was given (`--endpoint-url`,
or botocore's `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_S3_CONTROL` variables), a `before-call` hook (botocore's documented event for changing a request before it is signed and sent) puts the
request back on that host; the account id still travels in the `x-amz-account-id` header, which is what S3 Control
and emulators read. Without a custom endpoint URL nothing is registered, so requests to AWS are untouched.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ACCOUNT_HEADER = "x-amz-account-id"


def configured_s3control_endpoint() -> str | None:
    """The endpoint botocore takes from the environment for S3 Control, if any (service-specific variable first)."""
    return os.environ.get("AWS_ENDPOINT_URL_S3_CONTROL") or os.environ.get("AWS_ENDPOINT_URL") or None


def keep_s3control_on(client: Any, endpoint_url: str) -> None:
    """Register the hook on an S3 Control client created with `endpoint_url` (any other client is left alone)."""
    if client.meta.service_model.service_name != "s3control":
        return
    host = urlsplit(endpoint_url).netloc

    def restore_host(params: dict[str, Any], **_: Any) -> None:
        url = urlsplit(params.get("url") or "")
        account = (params.get("headers") or {}).get(ACCOUNT_HEADER)
        if account and url.netloc == f"{account}.{host}":
            params["url"] = urlunsplit(url._replace(netloc=host))

    client.meta.events.register("before-call.s3-control.*", restore_host)
