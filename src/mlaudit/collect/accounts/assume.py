"""Sessions for other accounts: a role assumed from the base credentials, refreshed by botocore before it expires.

botocore's `AssumeRoleCredentialFetcher` makes the `sts:AssumeRole` call and `DeferredRefreshableCredentials`
calls it again shortly before the credentials expire, so a scan that outlasts a role session (an hour by
default) keeps going without a loop of our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import boto3
import botocore.session
from botocore.credentials import (
    AssumeRoleCredentialFetcher,
    CredentialProvider,
    CredentialResolver,
    Credentials,
    DeferredRefreshableCredentials,
)

from mlaudit.collect.accounts.session import AwsClients
from mlaudit.core.errors import CredentialsError, UserError

ROLE_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):iam::(?P<account>\d{12}):role/(?P<path_name>[\w+=,.@/-]{1,512})$"
)
ROLE_NAME = re.compile(r"^[\w+=,.@/-]{1,512}$")
SESSION_NAME = re.compile(r"^[\w+=,.@-]{2,64}$")
DEFAULT_SESSION_NAME = "mlaudit"


@dataclass(frozen=True)
class RoleSpec:
    """How to assume a role: the same external id and session name apply to every account."""

    external_id: str | None = None
    session_name: str = DEFAULT_SESSION_NAME

    def __post_init__(self) -> None:
        if not SESSION_NAME.match(self.session_name):
            raise UserError(
                f"--role-session-name: {self.session_name!r} is not a valid session name",
                hint="2 to 64 letters, digits or +=,.@-",
            )


@dataclass(frozen=True)
class AssumedRole:
    """A role assumed to reach an account: what a worker process needs to assume it again (see `processes`)."""

    arn: str
    spec: RoleSpec


def parse_role_arn(arn: str) -> tuple[str, str]:
    """The partition and account id of a role ARN; anything else is a one-line error."""
    match = ROLE_ARN.match(arn.strip())
    if match is None:
        raise UserError(
            f"--role-arn: {arn!r} is not an IAM role ARN", hint="e.g. arn:aws:iam::123456789012:role/mlaudit-readonly"
        )
    return match["partition"], match["account"]


def role_arn(partition: str, account_id: str, role_name: str) -> str:
    """The ARN of the role named `role_name` (a path is allowed: `audit/mlaudit`) in another account."""
    if not ROLE_NAME.match(role_name):
        raise UserError(f"--role-name: {role_name!r} is not a valid IAM role name")
    return f"arn:{partition}:iam::{account_id}:role/{role_name.strip('/')}"


class _AssumedRole(CredentialProvider):  # botocore is untyped: mypy sees Any
    METHOD = "assume-role"

    def __init__(self, credentials: Credentials) -> None:
        super().__init__()
        self._credentials = credentials

    def load(self) -> Credentials:
        return self._credentials


def assumed_session(base: AwsClients, arn: str, spec: RoleSpec) -> boto3.Session:
    """A session whose credentials come from assuming `arn` with the base clients' STS client.

    Nothing is called until the credentials are first used; `assume_now` makes that happen at a chosen time.
    """
    source = base.session.get_credentials()
    if source is None:
        raise CredentialsError(
            "no AWS credentials found to assume the role with", hint="pass --profile or run `aws configure`"
        )
    extra = {"RoleSessionName": spec.session_name, **({"ExternalId": spec.external_id} if spec.external_id else {})}
    fetcher = AssumeRoleCredentialFetcher(
        client_creator=lambda service, **_: base.client(service),  # the base session's own (refreshing) credentials
        source_credentials=source,
        role_arn=arn,
        extra_args=extra,
    )
    credentials = DeferredRefreshableCredentials(refresh_using=fetcher.fetch_credentials, method=_AssumedRole.METHOD)
    base_core = base.session._session  # noqa: SLF001 - botocore's session, for its profile and loader
    core = botocore.session.Session(profile=base_core.profile)
    core.register_component("credential_provider", CredentialResolver([_AssumedRole(credentials)]))
    # One loader for every account: each session would otherwise parse the service models again (~40 MB an account).
    core.register_component("data_loader", base_core.get_component("data_loader"))
    return boto3.Session(botocore_session=core, region_name=base.home_region)


def assume_now(session: boto3.Session) -> None:
    """Make the `sts:AssumeRole` call now, so that a refusal is reported as such (botocore errors propagate)."""
    session.get_credentials().get_frozen_credentials()
