"""The demo account's AWS: a moto server on a free loopback port, with mlaudit's moto extensions installed."""

from __future__ import annotations

import logging
import urllib.request
from contextlib import contextmanager
from typing import Iterator

import boto3

DEMO_ACCOUNT_ID = "123456789012"
"""moto's default account."""
DEMO_REGIONS = ("us-east-1", "eu-west-1", "us-west-2")


def demo_session(region: str = DEMO_REGIONS[0]) -> boto3.Session:
    """Static fake credentials: the demo never reads the user's AWS configuration."""
    return boto3.Session(aws_access_key_id="demo", aws_secret_access_key="demo", region_name=region)


@contextmanager
def moto_server() -> Iterator[str]:
    """Start moto on 127.0.0.1 (any free port) and yield its URL; its state is reset on entry and exit."""
    from moto.core.config import default_user_config
    from moto.server import ThreadedMotoServer

    from mlaudit.demo import moto_extensions

    moto_extensions.install()
    # AWS managed IAM policies (AmazonSageMakerFullAccess...) exist in moto only when asked for.
    previous_iam_config = default_user_config.get("iam")
    default_user_config["iam"] = {**(previous_iam_config or {}), "load_aws_managed_policies": True}
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    try:
        _reset(url)
        yield url
    finally:
        _reset(url)
        server.stop()
        if previous_iam_config is None:
            default_user_config.pop("iam", None)
        else:
            default_user_config["iam"] = previous_iam_config


def _reset(url: str) -> None:
    request = urllib.request.Request(f"{url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310 - our own loopback server
        pass
