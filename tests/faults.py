"""Injected AWS failures for the moto server: latency, throttling, HTTP 5xx, connection resets, read timeouts and
denied permissions, per (service, operation, region, account).

`FaultInjector` is a WSGI middleware in front of moto's app (`moto_server(faults=...)`). It names each request as
botocore sent it (service and region from the SigV4 credential scope, the operation from `X-Amz-Target`, the
`Action` parameter, the RPC path or the service model's REST routes) and answers with the error each service
really returns, in its own protocol, so that botocore retries and classifies it as it would against AWS. Rules are
plain data, can be replaced while the server runs, and every injected fault is counted: tests and the benchmark
assert what a scan went through.
"""

from __future__ import annotations

import io
import json
import re
import socket
import struct
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

import botocore.session

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
ANY = "*"
UNKNOWN_OPERATION = "(unknown)"

_CREDENTIAL_SCOPE = re.compile(r"Credential=([^/]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")
_RPC_V2_PATH = re.compile(r"/service/[^/]+/operation/([^/?]+)")


class FaultKind(str, Enum):
    LATENCY = "latency"
    """Wait `seconds`, then answer normally."""
    THROTTLE = "throttle"
    """A token bucket per operation (`burst` tokens, refilled at `rate` per second); an empty bucket answers with
    the service's throttling error."""
    SERVER_ERROR = "server_error"
    """HTTP `status` (500 or 503) with the service's internal-error or unavailable code."""
    CONNECTION_RESET = "connection_reset"
    """The connection is dropped without a response."""
    READ_TIMEOUT = "read_timeout"
    """No response for `seconds` (longer than the client's read timeout), then the connection is dropped."""
    ACCESS_DENIED = "access_denied"
    """The service's access-denied error, naming the IAM action, as when a policy (or, with `scp`, a service
    control policy) denies it."""


@dataclass
class FaultRule:
    """One fault, for the requests matching service, operation, region and account (`*` matches any)."""

    kind: FaultKind
    service: str = ANY
    """boto3's service name: `sagemaker`, `bedrock-agent`, `cloudwatch`."""
    operation: str = ANY
    """The API's operation name: `ListNotebookInstances`."""
    region: str = ANY
    account: str = ANY
    """The account whose credentials signed the request (moto knows the account of each access key, assumed-role
    keys included): one member account of an organization."""
    times: int | None = None
    """How many requests to fault before the rule stops (a transient fault); None: every matching request."""
    seconds: float = 0.0
    """LATENCY: the delay; READ_TIMEOUT: how long the request is held before the connection is dropped."""
    status: int = 503
    """SERVER_ERROR: 500 or 503."""
    burst: int = 0
    """THROTTLE: requests let through at once (0: throttle every request)."""
    rate: float = 0.0
    """THROTTLE: tokens added back per second."""
    scp: bool = False
    """ACCESS_DENIED: the message says that a service control policy denies the action, as AWS's does."""

    def __post_init__(self) -> None:
        self.kind = FaultKind(self.kind)

    def matches(self, call: Call) -> bool:
        in_scope = all(
            want in (ANY, have)
            for want, have in zip(self.scope, (call.service, call.operation, call.region), strict=True)
        )
        return in_scope and self.account in (ANY, call.account)

    @property
    def scope(self) -> tuple[str, str, str]:
        return (self.service, self.operation, self.region)

    def held_before_drop(self) -> float | None:
        """How long a request with this fault is held before its connection is dropped (None: it is answered)."""
        if self.kind is FaultKind.READ_TIMEOUT:
            return self.seconds
        return 0.0 if self.kind is FaultKind.CONNECTION_RESET else None


@dataclass(frozen=True)
class Call:
    """What a request is, in boto3's names."""

    service: str
    operation: str
    region: str
    protocol: str
    query_compatible: bool = False
    access_key: str = ""

    @property
    def label(self) -> str:
        return f"{self.service}:{self.operation}"

    @property
    def account(self) -> str:
        """The account of the signing access key, as moto (serving in this process) knows it."""
        from moto.iam.models import get_account_id_from

        return get_account_id_from(self.access_key)


class _TokenBucket:
    def __init__(self, burst: int, rate: float) -> None:
        self.burst, self.rate = burst, rate
        self.tokens, self.updated = float(burst), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(float(self.burst), self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class FaultInjector:
    """The middleware and its rules. `wrap(app)` gives the WSGI app to serve."""

    def __init__(self, rules: Iterable[FaultRule | dict[str, Any]] = ()) -> None:
        self._lock = threading.Lock()
        self.rules = list(rules)  # type: ignore[assignment]
        self.requests: Counter[tuple[str, str, str]] = Counter()
        """Every request seen, by (service, operation, region): attempts, retries included."""
        self.injected: Counter[tuple[FaultKind, str, str, str]] = Counter()
        """Every fault injected, by (kind, service, operation, region)."""
        self.in_flight: Counter[tuple[str, str]] = Counter()
        """Requests being answered now, by (service, region)."""
        self.peak_in_flight: Counter[tuple[str, str]] = Counter()
        """The most requests answered at once, by (service, region), since the counts were reset."""

    @property
    def rules(self) -> list[FaultRule]:
        return list(self._rules)

    @rules.setter
    def rules(self, rules: Iterable[FaultRule | dict[str, Any]]) -> None:
        """Replace the rules (while the server runs, too); transient budgets and token buckets start afresh."""
        with self._lock:
            self._rules = [rule if isinstance(rule, FaultRule) else FaultRule(**rule) for rule in rules]
            self._remaining = [rule.times for rule in self._rules]
            self._buckets: dict[tuple[int, str, str, str], _TokenBucket] = {}

    def count(
        self, kind: FaultKind | str | None = None, service: str = ANY, operation: str = ANY, region: str = ANY
    ) -> int:
        """How many faults were injected, of one kind (or any) and scope."""
        wanted = (service, operation, region)
        with self._lock:
            return sum(
                n
                for (k, *scope), n in self.injected.items()
                if kind in (None, k) and all(want in (ANY, have) for want, have in zip(wanted, scope, strict=True))
            )

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self.injected.clear()
            self.peak_in_flight = self.in_flight.copy()

    # -- the middleware ------------------------------------------------------------------------------------
    def wrap(self, app: WsgiApp) -> WsgiApp:
        def middleware(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            call = identify(environ)
            if call is None:  # moto's own API (/moto-api/reset) and unsigned requests
                return app(environ, start_response)
            with self.answering(call):
                latency, fault = self.decide(call)
                if latency:
                    time.sleep(latency)
                if fault is None:
                    return list(app(environ, start_response))  # answered before it stops counting as in flight
                return _inject(fault, call, environ, start_response)

        return middleware

    @contextmanager
    def answering(self, call: Call) -> Iterator[None]:
        """Count `call` in flight while it is being answered (the injected latency included)."""
        scope = (call.service, call.region)
        with self._lock:
            self.in_flight[scope] += 1
            self.peak_in_flight[scope] = max(self.peak_in_flight[scope], self.in_flight[scope])
        try:
            yield
        finally:
            with self._lock:
                self.in_flight[scope] -= 1

    def decide(self, call: Call) -> tuple[float, FaultRule | None]:
        """The latency to add, and the rule whose fault this request gets (None: answer normally). Counts the
        request and its fault: call it once per request (a server other than the middleware may, too)."""
        latency = 0.0
        with self._lock:
            self.requests[(call.service, call.operation, call.region)] += 1
            for index, rule in enumerate(self._rules):
                if not rule.matches(call) or self._remaining[index] == 0:
                    continue
                if rule.kind is FaultKind.LATENCY:
                    if latency:  # the first latency rule that matches applies
                        continue
                    latency = rule.seconds
                elif rule.kind is FaultKind.THROTTLE and self._bucket(index, rule, call).take():
                    continue
                if self._remaining[index] is not None:
                    self._remaining[index] -= 1  # type: ignore[operator]
                self.injected[(rule.kind, call.service, call.operation, call.region)] += 1
                if rule.kind is not FaultKind.LATENCY:
                    return latency, rule
        return latency, None

    def _bucket(self, index: int, rule: FaultRule, call: Call) -> _TokenBucket:
        key = (index, call.service, call.operation, call.region)
        if key not in self._buckets:
            self._buckets[key] = _TokenBucket(rule.burst, rule.rate)
        return self._buckets[key]


# -- recognising requests --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Route:
    service: str
    operation: str
    method: str
    path: re.Pattern[str]
    query: tuple[tuple[str, str | None], ...]
    """Query parameters the route requires (`?encryption`, `?list-type=2`), with their value when fixed."""
    literal_length: int

    def score(self, method: str, path: str, query: dict[str, list[str]]) -> tuple[int, int] | None:
        if method != self.method or not self.path.fullmatch(path):
            return None
        for key, value in self.query:
            if key not in query or (value is not None and value not in query[key]):
                return None
        return (len(self.query), self.literal_length)


def _route(service: str, operation: str, http: dict[str, str]) -> _Route:
    uri = http.get("requestUri", "/")
    path, _, query = uri.partition("?")
    pattern = re.sub(r"\\\{[^}]+?\\\+\\\}", ".+", re.escape(path))
    pattern = re.sub(r"\\\{[^}]+?\\\}", "[^/]+", pattern)
    required = tuple((k, v or None) for k, _, v in (part.partition("=") for part in query.split("&") if part))
    literal = len(re.sub(r"\{[^}]+\}", "", path))
    return _Route(
        service, operation, http.get("method", "POST"), re.compile(pattern.rstrip("/") + "/?"), required, literal
    )


class _Router:
    """boto3 names for requests, from the service models of the services mlaudit calls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: tuple[dict[str, list[Any]], dict[str, list[_Route]]] | None = None

    def load(self) -> tuple[dict[str, list[Any]], dict[str, list[_Route]]]:
        with self._lock:
            if self._loaded is None:
                models = self._models()
                self._loaded = (models, self._routes(models))
            return self._loaded

    @staticmethod
    def _models() -> dict[str, list[Any]]:
        """Service models by signing name (`bedrock` signs for bedrock and bedrock-agent)."""
        from mlaudit.collect.permissions import SETUP_OPERATIONS
        from mlaudit.collect.registry import COLLECTORS

        names = {op.service for c in COLLECTORS.values() for op in c.operations} | {
            op.split(":")[0] for op in SETUP_OPERATIONS
        }
        session = botocore.session.get_session()
        by_signing_name: dict[str, list[Any]] = {}
        for name in sorted(names):
            model = session.get_service_model(name)
            by_signing_name.setdefault(model.signing_name, []).append(model)
        return by_signing_name

    @staticmethod
    def _routes(models: dict[str, list[Any]]) -> dict[str, list[_Route]]:
        return {
            model.service_name: [
                _route(model.service_name, op, model.operation_model(op).http) for op in model.operation_names
            ]
            for service_models in models.values()
            for model in service_models
            if model.protocol in ("rest-json", "rest-xml")
        }

    def identify(self, environ: dict[str, Any]) -> Call | None:
        scope = signed_scope(environ)
        if scope is None:
            return None
        access_key, region, signing_name = scope
        models, routes = self.load()
        named = self._operation(models.get(signing_name, []), routes, environ)
        if named is None:
            return Call(signing_name, UNKNOWN_OPERATION, region, "json", access_key=access_key)
        model, operation, protocol = named
        return Call(model.service_name, operation, region, protocol, "awsQueryCompatible" in model.metadata, access_key)

    @staticmethod
    def _operation(
        models: list[Any], routes: dict[str, list[_Route]], environ: dict[str, Any]
    ) -> tuple[Any, str, str] | None:
        """The service model, operation name and protocol of a request (a service may speak several)."""
        target = environ.get("HTTP_X_AMZ_TARGET")
        if target:
            prefix, _, operation = target.rpartition(".")
            return next(((m, operation, "json") for m in models if m.metadata.get("targetPrefix") == prefix), None)
        rpc = _RPC_V2_PATH.fullmatch(environ.get("PATH_INFO", ""))
        if rpc:
            return (models[0], rpc.group(1), "smithy-rpc-v2-cbor") if models else None
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        rest = [m for m in models if m.protocol in ("rest-json", "rest-xml")]
        if not rest:
            action = (query.get("Action") or _form(environ).get("Action") or [None])[0]
            return (models[0], action, "ec2" if models[0].protocol == "ec2" else "query") if models and action else None
        candidates = [route for m in rest for route in routes[m.service_name]]
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        scored = [(score, route) for route in candidates if (score := route.score(method, path, query)) is not None]
        if not scored:
            return None
        best = max(scored, key=lambda pair: pair[0])[1]
        model = next(m for m in rest if m.service_name == best.service)
        return model, best.operation, model.protocol


def identify(environ: dict[str, Any]) -> Call | None:
    """What a request is, from its WSGI environ (None: unsigned, as moto's own API)."""
    return _ROUTER.identify(environ)


def load_routes() -> None:
    """Read the service models that name requests now, not at the first request (a benchmark's scan would wait
    for them: a third of a second on two cores)."""
    _ROUTER.load()


def signed_scope(environ: dict[str, Any]) -> tuple[str, str, str] | None:
    """The access key, region and signing name a request was signed with (None: unsigned, as moto's own API)."""
    scope = _CREDENTIAL_SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
    return (scope.group(1), scope.group(2), scope.group(3)) if scope else None


def _form(environ: dict[str, Any]) -> dict[str, list[str]]:
    """A query-protocol request's form body, read and put back for moto."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return parse_qs(body.decode("utf-8", errors="replace"))


_ROUTER = _Router()


# -- answering with a fault ------------------------------------------------------------------------------------
_ERRORS: dict[FaultKind | int, dict[str, tuple[str, int]]] = {
    # By protocol style: "query" also serves the JSON and CBOR services that keep their query-era codes.
    FaultKind.THROTTLE: {
        "json": ("ThrottlingException", 400),
        "rest-json": ("ThrottlingException", 429),
        "query": ("Throttling", 400),
        "ec2": ("RequestLimitExceeded", 503),
        "rest-xml": ("SlowDown", 503),
    },
    FaultKind.ACCESS_DENIED: {
        "json": ("AccessDeniedException", 400),
        "rest-json": ("AccessDeniedException", 403),
        "query": ("AccessDenied", 403),
        "ec2": ("UnauthorizedOperation", 403),
        "rest-xml": ("AccessDenied", 403),
    },
    500: {
        "json": ("InternalServerException", 500),
        "rest-json": ("InternalServerException", 500),
        "query": ("InternalFailure", 500),
        "ec2": ("InternalError", 500),
        "rest-xml": ("InternalError", 500),
    },
    503: {
        "json": ("ServiceUnavailableException", 503),
        "rest-json": ("ServiceUnavailableException", 503),
        "query": ("ServiceUnavailable", 503),
        "ec2": ("Unavailable", 503),
        "rest-xml": ("ServiceUnavailable", 503),
    },
}
"""Error code and HTTP status by fault kind (server errors by status) and protocol style."""


def error_code(kind: FaultKind, call: Call, status: int = 503) -> tuple[str, int]:
    """The error code and HTTP status the service answers with for a fault kind."""
    if call.query_compatible:
        style = "query"
    else:
        style = call.protocol if call.protocol in ("query", "ec2", "rest-xml", "rest-json") else "json"
    return _ERRORS[status if kind is FaultKind.SERVER_ERROR else kind][style]


def _inject(
    rule: FaultRule, call: Call, environ: dict[str, Any], start_response: Callable[..., Any]
) -> Iterable[bytes]:
    held = rule.held_before_drop()
    if held is not None:
        time.sleep(held)
        _drop(environ)
        raise ConnectionResetError(f"injected {rule.kind.value}")
    status, headers, body = fault_answer(rule, call)
    start_response(status, headers)
    return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else body]


def fault_answer(rule: FaultRule, call: Call) -> tuple[str, list[tuple[str, str]], bytes]:
    """The HTTP status line, headers and body the service answers a faulted call with (any kind but the two that
    drop the connection)."""
    code, status = error_code(rule.kind, call, rule.status)
    if rule.kind is FaultKind.ACCESS_DENIED:
        from mlaudit.collect.permissions import iam_actions

        action = iam_actions(call.label)[0]
        account = "123456789012" if rule.account == ANY else rule.account
        message = f"User: arn:aws:sts::{account}:assumed-role/mlaudit/scan is not authorized to perform: {action}"
        if rule.scp:
            message += " with an explicit deny in a service control policy"
    else:
        message = "Rate exceeded" if rule.kind is FaultKind.THROTTLE else "injected fault"
    headers, body = _error_body(call, code, message)
    return f"{status} {HTTPStatus(status).phrase}", [*headers, ("Content-Length", str(len(body)))], body


def _error_body(call: Call, code: str, message: str) -> tuple[list[tuple[str, str]], bytes]:
    request_id = str(uuid.uuid4())
    if call.protocol == "ec2":
        xml = f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors>"
        return [("Content-Type", "text/xml")], f"{xml}<RequestID>{request_id}</RequestID></Response>".encode()
    if call.protocol == "query":
        error = f"<Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
        return [
            ("Content-Type", "text/xml")
        ], f"<ErrorResponse>{error}<RequestId>{request_id}</RequestId></ErrorResponse>".encode()
    if call.protocol == "rest-xml":
        return [
            ("Content-Type", "application/xml")
        ], f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()
    headers = [("x-amzn-RequestId", request_id)]
    if call.query_compatible:
        headers.append(("x-amzn-query-error", f"{code};Sender"))
    if call.protocol == "smithy-rpc-v2-cbor":
        headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
        return headers, _cbor_text_map({"__type": code, "message": message})
    if call.protocol == "rest-json":
        headers += [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)]
        return headers, json.dumps({"message": message}).encode()
    headers.append(("Content-Type", "application/x-amz-json-1.1"))
    return headers, json.dumps({"__type": code, "message": message}).encode()


def _cbor_text_map(values: dict[str, str]) -> bytes:
    """A CBOR map of text strings (RFC 8949), all an RPC v2 CBOR error body needs."""

    def head(major: int, length: int) -> bytes:
        if length < 24:
            return bytes([major << 5 | length])
        if length < 256:
            return bytes([major << 5 | 24, length])
        return bytes([major << 5 | 25]) + struct.pack(">H", length)

    def text(value: str) -> bytes:
        encoded = value.encode()
        return head(3, len(encoded)) + encoded

    return head(5, len(values)) + b"".join(text(k) + text(v) for k, v in values.items())


def _drop(environ: dict[str, Any]) -> None:
    """Close the client's connection abruptly (RST) without answering."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length:
        environ["wsgi.input"].read(length)  # else the server would read the unread body as the next request
    connection = environ.get("werkzeug.socket")
    if connection is None:
        return
    try:
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
