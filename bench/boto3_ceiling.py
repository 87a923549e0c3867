"""How many calls a second plain boto3 makes from one process, without mlaudit: the ceiling of any boto3 scanner
on this machine, against which `scan.py`'s numbers read.

    python bench/boto3_ceiling.py [--latency-ms 30] [--threads 16] [--calls 4000]

A keep-alive server (`replay.KeepAliveServer`, in this process's event-loop thread) answers every
`sagemaker:ListNotebookInstances` after the latency with an empty page. The client side is boto3 alone: one client
shared by `--threads` threads, as a scanner shares one client per service and region. It prints one call's CPU
(the process's CPU, less the server thread's, over the calls), one call's time alone (sequential calls: the
latency plus the client's own work), and the calls a second that the threads reach, next to the
`threads / latency` that the latency alone allows.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

from replay import KeepAliveServer, encode, serve

_EMPTY_PAGE = (
    "200 OK",
    [("Content-Type", "application/x-amz-json-1.1")],
    json.dumps({"NotebookInstances": []}).encode(),
)


class Waiting(KeepAliveServer):
    """Answers every request with an empty page of notebook instances after `latency` seconds, and notes the CPU
    time of its thread (sockets and all), to take it out of the client's."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.cpu_seconds = 0.0
        """The server thread's CPU time when it last answered."""

    async def answer(self, method: str, target: str, headers: dict[str, str], body: bytes) -> bytes:
        await asyncio.sleep(self.latency)
        self.cpu_seconds = time.thread_time()
        return encode(_EMPTY_PAGE, method)


def measure(url: str, server: Waiting, threads: int, calls: int) -> dict[str, float]:
    client = boto3.client(
        "sagemaker",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(max_pool_connections=threads, retries={"max_attempts": 1}),
    )
    for _ in range(20):  # warm: connections, the operation's model and handlers
        client.list_notebook_instances()
    sequential = 50
    started = time.perf_counter()
    for _ in range(sequential):
        client.list_notebook_instances()
    alone = (time.perf_counter() - started) / sequential
    server_cpu_before, cpu_before, started = server.cpu_seconds, time.process_time(), time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda _: client.list_notebook_instances(), range(calls)))
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_before - (server.cpu_seconds - server_cpu_before)
    return {"alone_ms": alone * 1000, "cpu_ms_per_call": cpu / calls * 1000, "calls_per_second": calls / wall}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=float, default=30.0)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--calls", type=int, default=4000)
    args = parser.parse_args()
    server = Waiting(args.latency_ms / 1000)
    with serve(server) as url:
        r = measure(url, server, args.threads, args.calls)
    allowed = args.threads / (args.latency_ms / 1000)
    print(f"one call alone           {r['alone_ms']:.1f} ms ({args.latency_ms:.0f} ms of latency)")
    print(f"CPU a call (client)      {r['cpu_ms_per_call']:.2f} ms")
    print(
        f"{args.threads} threads              {r['calls_per_second']:.0f} calls a second "
        f"(the latency allows {allowed:.0f}: {r['calls_per_second'] / allowed:.0%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
