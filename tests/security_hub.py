"""Security Hub as the export's consumer: what BatchImportFindings accepts, by AWS's documented rules that moto does
not enforce, played in front of the moto server (`moto_server(SecurityHubRules())`).

- A finding with the default product ARN is taken only from the account in its `AwsAccountId` (BatchImportFindings
  in the API reference); any other is refused for the whole call with AccessDeniedException, HTTP 403, as AWS
  support confirmed (prowler-cloud/prowler#867). The product ARN must be the caller's own
  (`product/<caller>/default`) in the region called.
- Each finding must match botocore's model of AwsSecurityFinding (required members, non-empty strings, enum
  values) and the lengths the API reference states that the model does not carry; a finding that does not is one
  of the `FailedFindings` (InvalidInput), the others are imported.
- BatchImportFindings takes 1 to 100 findings, BatchUpdateFindings up to 100 identifiers ("can be used to update up
  to 100 findings at a time"), and a note of at most 512 characters: more is InvalidInputException, HTTP 400.
- An account that has not enabled Security Hub in a region answers InvalidAccessException, HTTP 401
  (`not_subscribed`).

Every call it judged is kept (`imports`, `updates`), so that tests can assert on what was sent.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import botocore.session

from faults import Call, WsgiApp, signed_scope

LENGTHS = {
    "Id": 512,
    "GeneratorId": 512,
    "Title": 256,
    "Description": 1024,
    "AwsAccountId": 12,
    "Region": 16,
}
"""AwsSecurityFinding's length constraints (API reference)."""
RESOURCE_LENGTHS = {"Type": 256, "Region": 16}
"""Resource's length constraints (API reference); it states none for `Id`."""
MAX_RESOURCES = 32
NOTE_TEXT = 512
BATCH = 100
"""Findings a BatchImportFindings call takes, identifiers a BatchUpdateFindings call takes."""
PRODUCT_FIELDS = (50, 128, 2048)
"""ProductFields: at most 50 pairs, keys of up to 128 characters, values of up to 2048."""

FINDING_SHAPE = botocore.session.get_session().get_service_model("securityhub").shape_for("AwsSecurityFinding")


def model_violations(shape: Any, value: Any, where: str) -> Iterator[str]:
    """Where `value` breaks botocore's shape: a missing required member, an unknown one, an empty string, a value
    outside an enum, a wrong type."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            yield f"{where} should be an object"
            return
        for name in shape.required_members:
            if name not in value:
                yield f"{where}.{name} is required"
        for name, member in value.items():
            if name not in shape.members:
                yield f"{where}.{name} is not a member"
            else:
                yield from model_violations(shape.members[name], member, f"{where}.{name}")
    elif kind == "list":
        if not isinstance(value, list):
            yield f"{where} should be a list"
            return
        for index, item in enumerate(value):
            yield from model_violations(shape.member, item, f"{where}[{index}]")
    elif kind == "map":
        if not isinstance(value, dict):
            yield f"{where} should be a map"
            return
        for key, item in value.items():
            yield from model_violations(shape.key, key, f"{where} key")
            yield from model_violations(shape.value, item, f"{where}.{key}")
    elif kind == "string":
        if not isinstance(value, str) or (shape.metadata.get("pattern") == ".*\\S.*" and not value.strip()):
            yield f"{where} should be a non-empty string"
        elif shape.enum and value not in shape.enum:
            yield f"{where} should be one of {', '.join(shape.enum)}"


def length_violations(finding: dict[str, Any]) -> Iterator[str]:
    """The lengths the API reference states for what mlaudit sends."""
    for name, limit in LENGTHS.items():
        if len(str(finding.get(name, ""))) > limit:
            yield f"data.{name} should NOT be longer than {limit} characters"
    resources = finding.get("Resources") or []
    if len(resources) > MAX_RESOURCES:
        yield f"data.Resources should NOT have more than {MAX_RESOURCES} items"
    for resource in resources:
        for name, limit in RESOURCE_LENGTHS.items():
            if len(str(resource.get(name, ""))) > limit:
                yield f"data.Resources.{name} should NOT be longer than {limit} characters"
    if len(str((finding.get("Note") or {}).get("Text", ""))) > NOTE_TEXT:
        yield f"data.Note.Text should NOT be longer than {NOTE_TEXT} characters"
    pairs, key_limit, value_limit = PRODUCT_FIELDS
    fields = finding.get("ProductFields") or {}
    if len(fields) > pairs or any(len(k) > key_limit or len(v) > value_limit for k, v in fields.items()):
        yield f"data.ProductFields should have at most {pairs} pairs of {key_limit}/{value_limit} characters"


def invalid(finding: dict[str, Any]) -> str | None:
    """Why Security Hub would not take the finding (None: it would)."""
    problems = [*model_violations(FINDING_SHAPE, finding, "data"), *length_violations(finding)]
    return "Finding does not adhere to Amazon Security Finding Format. " + problems[0] if problems else None


@dataclass
class Import:
    """One BatchImportFindings call as Security Hub received it."""

    caller: str
    region: str
    findings: list[dict[str, Any]]
    refused: bool


@dataclass
class Update:
    """One BatchUpdateFindings call as Security Hub received it."""

    caller: str
    region: str
    body: dict[str, Any]


@dataclass
class SecurityHubRules:
    """The middleware (`wrap`), with the calls it judged."""

    not_subscribed: set[tuple[str, str]] = field(default_factory=set)
    """(account, region) pairs where Security Hub is not enabled."""
    imports: list[Import] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)

    def wrap(self, app: WsgiApp) -> WsgiApp:
        def middleware(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            scope = signed_scope(environ)
            if scope is None or scope[2] != "securityhub":
                return app(environ, start_response)
            access_key, region, _ = scope
            caller = Call("securityhub", "", region, "rest-json", access_key=access_key).account
            if (caller, region) in self.not_subscribed:
                message = f"Account {caller} is not subscribed to AWS Security Hub"
                return _error(start_response, 401, "InvalidAccessException", message)
            if environ.get("PATH_INFO") == "/findings/batchupdate":
                return self._update(app, environ, start_response, caller, region)
            if environ.get("PATH_INFO") != "/findings/import":
                return app(environ, start_response)
            return self._import(app, environ, start_response, caller, region)

        return middleware

    def _update(
        self, app: WsgiApp, environ: dict[str, Any], start_response: Callable[..., Any], caller: str, region: str
    ) -> Iterable[bytes]:
        raw = _body(environ)
        body = json.loads(raw or b"{}")
        self.updates.append(Update(caller, region, body))
        too_many = len(body.get("FindingIdentifiers", [])) > BATCH
        if too_many or len((body.get("Note") or {}).get("Text", "")) > NOTE_TEXT:
            return _error(start_response, 400, "InvalidInputException", "Invalid Input")
        environ["wsgi.input"] = io.BytesIO(raw)
        return app(environ, start_response)

    def _import(
        self, app: WsgiApp, environ: dict[str, Any], start_response: Callable[..., Any], caller: str, region: str
    ) -> Iterable[bytes]:
        findings = json.loads(_body(environ) or b"{}").get("Findings", [])
        if not 1 <= len(findings) <= BATCH:
            return _error(start_response, 400, "InvalidInputException", "Invalid Input")
        own = f":securityhub:{region}:{caller}:product/{caller}/default"
        foreign = [f for f in findings if f.get("AwsAccountId") != caller or not str(f.get("ProductArn")).endswith(own)]
        self.imports.append(Import(caller, region, findings, refused=bool(foreign)))
        if foreign:
            message = (
                f"User: arn:aws:sts::{caller}:assumed-role/mlaudit/export is not authorized to perform: "
                f"securityhub:BatchImportFindings on resource: {foreign[0].get('ProductArn')}"
            )
            return _error(start_response, 403, "AccessDeniedException", message)
        reasons = {f.get("Id", ""): why for f in findings if (why := invalid(f)) is not None}
        taken = [f for f in findings if f.get("Id", "") not in reasons]
        answer: dict[str, Any] = {"FailedCount": 0, "SuccessCount": 0, "FailedFindings": []}
        if taken:
            answer = _forward(app, environ, {"Findings": taken})
        answer["FailedCount"] += len(reasons)
        answer["FailedFindings"] += [
            {"Id": identifier, "ErrorCode": "InvalidInput", "ErrorMessage": why} for identifier, why in reasons.items()
        ]
        return _json(start_response, 200, answer)


def _body(environ: dict[str, Any]) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length else b""


def _forward(app: WsgiApp, environ: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """moto's answer to the call with `body` instead of what was sent."""
    data = json.dumps(body).encode()
    environ = {**environ, "wsgi.input": io.BytesIO(data), "CONTENT_LENGTH": str(len(data))}
    answer = b"".join(app(environ, lambda *_: None))
    return json.loads(answer)  # type: ignore[no-any-return]


def _json(start_response: Callable[..., Any], status: int, body: dict[str, Any], **headers: str) -> list[bytes]:
    data = json.dumps(body).encode()
    reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden"}[status]
    start_response(
        f"{status} {reason}",
        [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(data))),
            ("x-amzn-RequestId", str(uuid.uuid4())),
            *headers.items(),
        ],
    )
    return [data]


def _error(start_response: Callable[..., Any], status: int, code: str, message: str) -> list[bytes]:
    return _json(start_response, status, {"Code": code, "Message": message}, **{"x-amzn-ErrorType": code})
