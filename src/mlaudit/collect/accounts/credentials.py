"""Opening a session and learning whose account it is, with one clear sentence for every way that fails."""

from __future__ import annotations

import os

import boto3
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    SSOError,
    TokenRetrievalError,
)

from mlaudit.collect.accounts.session import AwsClients
from mlaudit.core.errors import CredentialsError
from mlaudit.inventory import AccountInfo

EXPIRED_CODES = frozenset({"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"})
INVALID_CODES = frozenset(
    {"InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException", "AuthFailure"}
)


def open_session(profile: str | None) -> boto3.Session:
    """A session for the profile (or the default chain). `AWS_REGION` is honoured like `AWS_DEFAULT_REGION`."""
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None
    try:
        return boto3.Session(profile_name=profile, region_name=region)
    except ProfileNotFound as exc:
        raise CredentialsError(f"AWS profile {profile!r} not found", hint="see `aws configure list-profiles`") from exc


def identify(clients: AwsClients, profile: str | None) -> AccountInfo:
    """The account behind the credentials (sts:GetCallerIdentity); every credential problem surfaces here."""
    login = f"aws sso login --profile {profile}" if profile else "aws sso login"
    try:
        identity = clients.client("sts").get_caller_identity()
    except (NoCredentialsError, PartialCredentialsError) as exc:
        raise CredentialsError(
            "no AWS credentials found", hint="pass --profile, set AWS_PROFILE, or run `aws configure`"
        ) from exc
    except (SSOError, TokenRetrievalError) as exc:
        raise CredentialsError(f"the AWS SSO session has expired or is missing ({exc})", hint=f"run `{login}`") from exc
    except NoRegionError as exc:
        raise CredentialsError("no AWS region configured", hint="pass --region or set AWS_REGION") from exc
    except EndpointConnectionError as exc:
        raise CredentialsError(f"could not reach AWS STS: {exc}") from exc
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in EXPIRED_CODES:
            raise CredentialsError(
                f"the AWS credentials have expired ({code})", hint=f"refresh them, e.g. `{login}`"
            ) from exc
        if code in INVALID_CODES:
            raise CredentialsError(f"the AWS credentials are not valid ({code})") from exc
        raise CredentialsError(f"sts:GetCallerIdentity failed ({code}): {exc}") from exc
    except BotoCoreError as exc:
        if "sso" in type(exc).__name__.lower():
            raise CredentialsError(
                f"the AWS SSO session has expired or is missing ({exc})", hint=f"run `{login}`"
            ) from exc
        raise CredentialsError(f"could not use the AWS credentials: {exc}") from exc
    arn = identity.get("Arn", "")
    partition = arn.split(":")[1] if arn.count(":") >= 5 else "aws"
    return AccountInfo(account_id=identity["Account"], partition=partition)
