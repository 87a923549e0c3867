"""Turning botocore exceptions into recorded `CollectionError`s, and telling "gone" apart from "failed"."""

from __future__ import annotations

import html
import re

from botocore.exceptions import ClientError

from mlaudit.inventory import CollectionError

NOT_FOUND_CODES = frozenset(
    {
        "ResourceNotFound",
        "ResourceNotFoundException",
        "NoSuchEntity",
        "NoSuchBucket",
        "TrailNotFoundException",
        "NotFoundException",
        "NotFound",
        "404",
    }
)

VALIDATION_NOT_FOUND = ("recordnotfound", "could not find", "does not exist")
"""SageMaker answers ValidationException for a resource that does not exist, saying so in the message: exactly
`RecordNotFound` for a notebook instance (as terraform-provider-aws tests), "Could not find ..." for most others."""

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


_MARKUP = re.compile(r"^\s*<(!doctype|html|head|body|title|h1|p|center)\b", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_INVISIBLE = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
MESSAGE_LENGTH = 200
"""A message taken from a web page is cut to this many characters."""


def clean_message(message: str) -> str:
    """AWS's message as one line. A web page (a proxy's, an emulator's or a load balancer's 5xx page, which
    botocore passes on whole as the message) becomes its title, or else its text, cut short."""
    if _MARKUP.match(message):
        title = _TITLE.search(message)
        text = html.unescape(_TAG.sub(" ", title.group(1) if title else _INVISIBLE.sub(" ", message)))
        text = " ".join(text.split())
        return text if len(text) <= MESSAGE_LENGTH else text[: MESSAGE_LENGTH - 1] + "\u2026"
    return " ".join(message.split())


def error_message(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return clean_message(str(exc.response.get("Error", {}).get("Message") or exc))
    return clean_message(str(exc))


def is_not_found(exc: BaseException) -> bool:
    if not isinstance(exc, ClientError):
        return False
    code = error_code(exc)
    if code in NOT_FOUND_CODES:
        return True
    message = error_message(exc).lower()
    return code == "ValidationException" and any(words in message for words in VALIDATION_NOT_FOUND)
