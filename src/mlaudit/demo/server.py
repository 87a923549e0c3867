"""The demo account's AWS: a moto server on a free loopback port, with mlaudit's moto extensions installed."""

from __future__ import annotations

import logging
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import boto3

DEMO_ACCOUNT_ID = "123456789012"
"""moto's default account."""
DEMO_REGIONS = ("us-east-1", "eu-west-1", "us-west-2")
DEMO_SEED = 20240601
"""moto's random source (ids of keys, VPCs, security groups, agents...) is seeded with this after every reset, so
that every demo run gives its resources the same ids and two demo scans diff to nothing."""


class Middleware(Protocol):
    """Something that wraps moto's WSGI app (the tests' fault injector)."""

    def wrap(self, app: Any) -> Any: ...


def demo_session(region: str = DEMO_REGIONS[0]) -> boto3.Session:
    """Static fake credentials: the demo never reads the user's AWS configuration."""
    return boto3.Session(aws_access_key_id="demo", aws_secret_access_key="demo", region_name=region)


@contextmanager
def moto_server(faults: Middleware | None = None) -> Iterator[str]:
    """Start moto on 127.0.0.1 (any free port) and yield its URL; its state is reset on entry and exit, and its
    random source seeded on entry (`DEMO_SEED`).

    Served as moto's `ThreadedMotoServer` serves it, with `faults` (the tests' fault injector), when given, in front
    of moto's app: with moto's own request handler from moto 5.2.5 on (it keeps the underscores of S3 metadata
    headers), werkzeug's before.
    """
    from moto.core.config import default_user_config
    from moto.moto_server import werkzeug_app
    from werkzeug.serving import WSGIRequestHandler, make_server

    from mlaudit.demo import moto_extensions

    moto_extensions.install()
    # AWS managed IAM policies (AmazonSageMakerFullAccess...) exist in moto only when asked for.
    previous_iam_config = default_user_config.get("iam")
    default_user_config["iam"] = {**(previous_iam_config or {}), "load_aws_managed_policies": True}
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    app = werkzeug_app.DomainDispatcherApplication(werkzeug_app.create_backend_app)
    handler = getattr(werkzeug_app, "MotoRequestHandler", WSGIRequestHandler)
    server = make_server("127.0.0.1", 0, faults.wrap(app) if faults else app, threaded=True, request_handler=handler)
    thread = threading.Thread(target=server.serve_forever, name="moto-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        _reset(url)
        _moto_api(url, f"seed?a={DEMO_SEED}")
        yield url
    finally:
        _reset(url)
        server.shutdown()
        thread.join()
        if previous_iam_config is None:
            default_user_config.pop("iam", None)
        else:
            default_user_config["iam"] = previous_iam_config


def _reset(url: str) -> None:
    _moto_api(url, "reset")


def _moto_api(url: str, action: str) -> None:
    request = urllib.request.Request(f"{url}/moto-api/{action}", method="POST")  # noqa: S310 - our own server
    with urllib.request.urlopen(request, timeout=120):  # noqa: S310 - our own loopback server (slow on a loaded machine)
        pass
