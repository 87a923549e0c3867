"""Turning botocore exceptions into recorded `CollectionError`s, and telling "gone" apart from "failed"."""

from __future__ import annotations

from botocore.exceptions import ClientError

from mlaudit.inventory import CollectionError

NOT_FOUND_CODES = frozenset(
    {
        "ResourceNotFound",
        "ResourceNotFoundException",
        "NoSuchEntity",
        "NoSuchBucket",
        "NotFoundException",
        "NotFound",
        "404",
    }
)

DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "AuthorizationError",
        "UnauthorizedAccess",
        "403",
    }
)
"""What AWS answers when a policy, a permissions boundary or an SCP denies a call ("403": a HEAD has no body)."""


class CallFailed(Exception):
    """An AWS call that failed for good (after botocore's retries); carries the error to record."""

    def __init__(self, error: CollectionError, not_found: bool = False) -> None:
        super().__init__(error.describe())
        self.error = error
        self.not_found = not_found
        """The resource vanished between list and describe: nothing to record."""


def error_code(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code") or "ClientError")
    return type(exc).__name__


def error_message(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Message") or exc)
    return str(exc)


def is_not_found(exc: BaseException) -> bool:
    if not isinstance(exc, ClientError):
        return False
    code = error_code(exc)
    if code in NOT_FOUND_CODES:
        return True
    message = error_message(exc).lower()
    return code == "ValidationException" and ("could not find" in message or "does not exist" in message)
