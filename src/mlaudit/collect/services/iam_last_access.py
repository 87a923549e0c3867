"""IAM last accessed collectors: when each user and role of the account last used Bedrock.

IAM answers service last accessed data as a job: GenerateServiceLastAccessedDetails starts it for one identity and
GetServiceLastAccessedDetails reads it once it has completed (seconds, usually). Generate is not named like a read,
but IAM classifies it Read and it changes nothing: it computes a report from the data IAM keeps anyway, and
AWS's SecurityAudit policy grants it (the tests' read-only guard names it as a documented exception). IAM Access
Analyzer's unused-access findings would answer without it, but only in accounts that pay for an unused-access
analyzer; this works in every account, as Prowler's check does.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from mlaudit.collect.accounts.failures import CallFailed
from mlaudit.collect.engine.context import CollectContext
from mlaudit.collect.engine.operation import Operation
from mlaudit.collect.engine.spec import Census, PartCollector
from mlaudit.inventory import CollectionError, Identity
from mlaudit.inventory.iam import BedrockLastAccess, RoleBedrockAccess, UserBedrockAccess

LIST_ROLES = Operation("iam:ListRoles")
LIST_USERS = Operation("iam:ListUsers")
GENERATE = Operation("iam:GenerateServiceLastAccessedDetails")
GET_DETAILS = Operation("iam:GetServiceLastAccessedDetails")
BEDROCK = "bedrock"
SERVICE_LINKED_PATH = "/aws-service-role/"
"""Where service-linked roles live: AWS sets their permissions, which no one can narrow."""
POLL_SECONDS = 1.0
MAX_POLLS = 60
"""A job still in progress after a minute of polling is an error for its identity."""


def _job_failure(ctx: CollectContext, arn: str, code: str, message: str) -> CallFailed:
    return CallFailed(
        CollectionError(
            part=ctx.collector.part,
            service="iam",
            operation=GET_DETAILS.name,
            account_id=ctx.account_id,
            region=ctx.region,
            error_code=code,
            message=message,
            resource=arn.rsplit("/", 1)[-1],
            resource_arn=arn,
        )
    )


def _services(ctx: CollectContext, arn: str) -> list[dict[str, Any]]:
    """Every service the identity's policies allow, with its last access, from a completed job."""
    job_id = (ctx.call(GENERATE, Arn=arn) or {}).get("JobId")
    services: list[dict[str, Any]] = []
    params: dict[str, Any] = {"JobId": job_id}
    for _ in range(MAX_POLLS):
        answer = ctx.call(GET_DETAILS, **params) or {}
        status = answer.get("JobStatus")
        if status == "IN_PROGRESS":
            time.sleep(POLL_SECONDS)
            continue
        if status != "COMPLETED":
            error = answer.get("Error") or {}
            raise _job_failure(ctx, arn, error.get("Code") or "JobFailed", error.get("Message") or f"job {status}")
        services += answer.get("ServicesLastAccessed") or []
        if not answer.get("IsTruncated"):
            return services
        params["Marker"] = answer["Marker"]
    raise _job_failure(ctx, arn, "JobTimeout", f"the last accessed job was still in progress after {MAX_POLLS} polls")


Principal = tuple[str, str, Any]
"""An identity as listed: its name, its ARN and its creation date."""


def _roles(ctx: CollectContext) -> list[Principal]:
    """The account's roles, service-linked roles aside."""
    roles = ctx.paginate(LIST_ROLES, "Roles")
    return [
        (r["RoleName"], r["Arn"], r.get("CreateDate"))
        for r in roles
        if SERVICE_LINKED_PATH not in (r.get("Path") or "")
    ]


def _users(ctx: CollectContext) -> list[Principal]:
    return [(u["UserName"], u["Arn"], u.get("CreateDate")) for u in ctx.paginate(LIST_USERS, "Users")]


def _collector(
    record: type[BedrockLastAccess], listing: Callable[[CollectContext], list[Principal]]
) -> Callable[[CollectContext], Iterator[BedrockLastAccess]]:
    """Every identity of a kind (roles or users) of the account, with its last use of Bedrock."""

    def collect(ctx: CollectContext) -> Iterator[BedrockLastAccess]:
        def identity(principal: Principal) -> Identity:
            return ctx.identity(principal[0], arn=principal[1])

        def describe(principal: Principal) -> BedrockLastAccess:
            services = _services(ctx, principal[1])
            bedrock = next((s for s in services if s.get("ServiceNamespace") == BEDROCK), None)
            return record(
                **identity(principal),
                created=principal[2],
                bedrock_allowed=bedrock is not None,
                last_authenticated=(bedrock or {}).get("LastAuthenticated"),
                last_region=(bedrock or {}).get("LastAuthenticatedRegion"),
            )

        yield from ctx.fan_out(listing(ctx), describe, identity, admit=GENERATE)

    return collect


def _minimum(record: type[BedrockLastAccess], listing: Operation) -> Callable[[Census, str, str], Counter[str]]:
    """The identities listed, then one job started and read for each."""

    def minimum(census: Census, account_id: str, region: str) -> Counter[str]:
        identities = len(census.records(record, account_id, region))
        jobs = {str(GENERATE): identities, str(GET_DETAILS): identities} if identities else {}
        return Counter({str(listing): census.pages(listing, identities), **jobs})

    return minimum


COLLECTORS = (
    PartCollector(
        RoleBedrockAccess,
        _collector(RoleBedrockAccess, _roles),
        calls=(LIST_ROLES, GENERATE, GET_DETAILS),
        minimum=_minimum(RoleBedrockAccess, LIST_ROLES),
    ),
    PartCollector(
        UserBedrockAccess,
        _collector(UserBedrockAccess, _users),
        calls=(LIST_USERS, GENERATE, GET_DETAILS),
        minimum=_minimum(UserBedrockAccess, LIST_USERS),
    ),
)
