"""The benchmark's server side: moto's answers recorded by request, the requests in flight counted, and a replay
server that answers a scan from the recording.

Why a replay server of its own: the benchmark stands in for AWS, which keeps connections alive and costs the
scanning machine no CPU. The werkzeug server moto runs on closes every connection (a TCP connect for the client
and a new server thread for every call) and spent about 1.3 ms of CPU a request, on the same cores as the scan
it measures. The replay server keeps connections alive, as AWS does, and answers from memory on one asyncio
thread, behind the same fault rules (latency, throttling...) as the WSGI middleware.
"""

from __future__ import annotations

import asyncio
import http.client
import io
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # the fault injector is test scaffolding
from faults import Call, FaultInjector, FaultRule, fault_answer, identify, load_routes, signed_scope

Answer = tuple[str, list[tuple[str, str]], bytes]
"""An HTTP answer: status line ("200 OK"), headers, body."""

RequestKey = tuple[Any, ...]

_TIMESTAMP = re.compile(rb'("\w*Time\w*": )[0-9.]+')
"""A time in a JSON request (the lookback's CreationTimeAfter moves with the clock): not part of its key."""
_QUERY_TIMESTAMP = re.compile(r"(\w*[tT]ime\w*=)[^&]+")
"""The same in a query string (Bedrock's job lists take `creationTimeAfter` there)."""

_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length"})
"""Headers of one connection, not of the answer: the replay server writes its own."""


def request_key(environ: dict[str, Any], body: bytes) -> RequestKey | None:
    """What makes a request the same request again: the service and region signed for, method, path, query,
    target and body (None: unsigned, as moto's own API)."""
    scope = signed_scope(environ)
    if scope is None:
        return None
    return (
        *scope,
        environ.get("REQUEST_METHOD"),
        environ.get("PATH_INFO"),
        _QUERY_TIMESTAMP.sub(r"\1*", environ.get("QUERY_STRING") or ""),
        environ.get("HTTP_X_AMZ_TARGET"),
        _TIMESTAMP.sub(rb"\1*", body),
    )


class Recording:
    """Every answer moto gives a scan (in "record" mode), by request key, to answer the same requests again from
    memory (`ReplayServer`); and every request that reached either server, by key."""

    def __init__(self) -> None:
        self.mode: Literal["off", "record", "replay"] = "off"
        """"replay": a `ReplayServer` answers from it."""
        self.answers: dict[RequestKey, Answer] = {}
        self.misses = 0
        """Replayed requests that were not recorded (moto answered them)."""
        self.requests: Counter[RequestKey] = Counter()
        """Every request that reached the server (the fault layer answers throttles before it), by key: a key
        counted twice is a call made twice (the scan's worker processes are out of reach of a client hook)."""
        self._lock = threading.Lock()

    def seen(self, key: RequestKey) -> None:
        with self._lock:
            self.requests[key] += 1

    def missed(self) -> None:
        with self._lock:
            self.misses += 1

    def wrap(self, app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
        """The WSGI layer in front of moto: counts requests and, in "record" mode, keeps moto's answers."""

        def recorded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            environ["wsgi.input"] = io.BytesIO(body)
            key = request_key(environ, body)
            if key is None:
                return app(environ, start_response)
            self.seen(key)
            if self.mode != "record":
                return app(environ, start_response)
            answered: list[Any] = []

            def keep(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
                answered[:] = [status, list(headers)]
                return start_response(status, headers, *exc_info)

            content = b"".join(app(environ, keep))
            with self._lock:
                self.answers[key] = (answered[0], answered[1], content)
            return [content]

        return recorded


class InFlight(FaultInjector):
    """The fault injector, also measuring the requests being answered at once: the most of them, and the sum of
    their durations (over a scan's wall time: how many calls were in flight on average). Behind it, a `Recording`
    of moto's answers."""

    def __init__(self, rules: Iterable[FaultRule] = ()) -> None:
        super().__init__(rules)
        self.recording = Recording()
        self.now = self.peak = 0
        self.busy_seconds = 0.0
        self._in_flight_lock = threading.Lock()

    def reset_counts(self) -> None:
        super().reset_counts()
        with self._in_flight_lock:
            self.peak, self.busy_seconds = self.now, 0.0
        self.recording.requests.clear()
        self.recording.misses = 0

    def duplicates(self) -> list[tuple[str, int]]:
        """Requests the server answered more than once, each with a short description and its count."""
        return [
            (" ".join(str(part)[:60] for part in key[1:]), n) for key, n in self.recording.requests.items() if n > 1
        ]

    @contextmanager
    def answering(self, call: Call) -> Iterator[None]:
        with super().answering(call):
            with self._in_flight_lock:
                self.now += 1
                self.peak = max(self.peak, self.now)
            started = time.perf_counter()
            try:
                yield
            finally:
                with self._in_flight_lock:
                    self.now -= 1
                    self.busy_seconds += time.perf_counter() - started

    def wrap(self, app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
        return super().wrap(self.recording.wrap(app))


class KeepAliveServer:
    """An HTTP/1.1 server that keeps connections alive, as AWS does, and costs little CPU: `serve` runs it on one
    asyncio thread; a subclass says what each request is answered with."""

    async def answer(self, method: str, target: str, headers: dict[str, str], body: bytes) -> bytes | None:
        """The response's bytes (None: drop the connection)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release what the server holds besides its connections."""

    async def connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """One client connection: its requests in turn, until the client closes it."""
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                request_line, *lines = head[:-4].decode("latin-1").split("\r\n")
                method, target, _ = request_line.split(" ", 2)
                headers = {
                    name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)
                }
                length = int(headers.get("content-length") or 0)
                body = await reader.readexactly(length) if length else b""
                response = await self.answer(method, target, headers, body)
                if response is None:  # a fault that drops the connection
                    writer.transport.abort()
                    return
                writer.write(response)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass  # the client closed the connection, or the server shuts down with it open: end it quietly
        finally:
            writer.close()


class ReplayServer(KeepAliveServer):
    """Answers from `faults.recording`, behind `faults`' rules; a request that was not recorded is sent on to
    `origin` (moto behind the same rules) and counted as a miss."""

    def __init__(self, faults: InFlight, origin: str) -> None:
        self.faults = faults
        self._origin = urlsplit(origin)
        self._calls: dict[RequestKey, Call | None] = {}
        self._encoded: dict[RequestKey, bytes] = {}
        """Each recorded answer as the bytes sent."""
        self._forwarder = ThreadPoolExecutor(8, thread_name_prefix="replay-miss")
        load_routes()

    async def answer(self, method: str, target: str, headers: dict[str, str], body: bytes) -> bytes | None:
        url = urlsplit(target)
        environ = {  # as werkzeug builds it, so that keys match those recorded through it
            "REQUEST_METHOD": method,
            "PATH_INFO": unquote(url.path).encode().decode("latin1"),
            "QUERY_STRING": url.query.encode().decode("latin1"),
            "HTTP_AUTHORIZATION": headers.get("authorization", ""),
            "HTTP_X_AMZ_TARGET": headers.get("x-amz-target"),
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
        }
        key = request_key(environ, body)
        call = self._call(key, environ)
        if call is None or key not in self.faults.recording.answers:
            if call is not None:  # moto's middleware applies the fault rules and counts it
                self.faults.recording.missed()
            return encode(await self._forward(method, target, headers, body), method)
        with self.faults.answering(call):
            latency, fault = self.faults.decide(call)
            if latency:
                await asyncio.sleep(latency)
            if fault is not None:
                held = fault.held_before_drop()
                if held is not None:
                    await asyncio.sleep(held)
                    return None
                return encode(fault_answer(fault, call), method)
            self.faults.recording.seen(key)
            if key not in self._encoded:
                self._encoded[key] = encode(self.faults.recording.answers[key], method)
            return self._encoded[key]

    def _call(self, key: RequestKey | None, environ: dict[str, Any]) -> Call | None:
        """What a request is (None: unsigned); naming it takes the service models' routes, once per key."""
        if key is None:
            return None
        if key not in self._calls:
            self._calls[key] = identify(environ)
        return self._calls[key]

    async def _forward(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Answer:
        def send() -> Answer:
            connection = http.client.HTTPConnection(
                self._origin.hostname or "127.0.0.1", self._origin.port, timeout=300
            )
            try:
                kept = {name: value for name, value in headers.items() if name not in _HOP_BY_HOP}
                connection.request(method, target, body=body, headers=kept)
                response = connection.getresponse()
                return f"{response.status} {response.reason}", response.getheaders(), response.read()
            finally:
                connection.close()

        return await asyncio.get_running_loop().run_in_executor(self._forwarder, send)

    def close(self) -> None:
        self._forwarder.shutdown(wait=True)


def encode(answer: Answer, method: str) -> bytes:
    """An answer as an HTTP/1.1 response on a kept-alive connection (a HEAD answer keeps its length, bodiless)."""
    status, headers, content = answer
    length = (
        next((v for k, v in headers if k.lower() == "content-length"), "0") if method == "HEAD" else str(len(content))
    )
    lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers if k.lower() not in _HOP_BY_HOP)]
    head = "\r\n".join([*lines, f"Content-Length: {length}", "", ""]).encode("latin-1")
    return head if method == "HEAD" else head + content


@contextmanager
def serve(server: KeepAliveServer) -> Iterator[str]:
    """Run `server` on 127.0.0.1 (any free port) on a thread of its own; yields its URL."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="keep-alive-server", daemon=True)
    thread.start()
    listening = asyncio.run_coroutine_threadsafe(asyncio.start_server(server.connection, "127.0.0.1", 0), loop).result()

    async def shut_down() -> None:
        listening.close()
        connections = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in connections:
            task.cancel()
        await asyncio.gather(*connections, return_exceptions=True)

    try:
        yield f"http://127.0.0.1:{listening.sockets[0].getsockname()[1]}"
    finally:
        asyncio.run_coroutine_threadsafe(shut_down(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()
        server.close()


@contextmanager
def replay_server(faults: InFlight, origin: str) -> Iterator[str]:
    """Serve `faults.recording` (see `ReplayServer`); yields the URL."""
    faults.recording.mode = "replay"
    try:
        with serve(ReplayServer(faults, origin)) as url:
            yield url
    finally:
        faults.recording.mode = "off"
