"""Exit codes and the error type that turns into one clear line on stderr.

Anything a user can get wrong (a profile, a check id, a directory) raises `UserError`; the CLI prints its
message and exits with its code, never a traceback.
"""

from __future__ import annotations

import re
from enum import IntEnum

_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Control characters, and what str.splitlines() and terminals take for a line break (\\x1e, \\x85, U+2028...)."""


def single_line(text: str) -> str:
    """Text (often quoting a file or an AWS answer) made one printable line: control characters escaped."""
    return _LINE_BREAKING.sub(lambda match: repr(match.group())[1:-1], text)


class ExitCode(IntEnum):
    OK = 0
    """No unmuted FAIL at or above the --fail-on severity."""
    FINDINGS = 1
    """At least one unmuted FAIL at or above the --fail-on severity."""
    USAGE = 2
    """Usage, configuration, credential or fatal error."""
    INCOMPLETE = 3
    """The scan could not evaluate everything (ERROR findings) and nothing else gave 1."""


class UserError(Exception):
    """An error the user can fix; its message is printed as a single line."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint

    def one_line(self) -> str:
        text = f"{self} ({self.hint})" if self.hint else str(self)
        return single_line(text)


class CredentialsError(UserError):
    """No usable AWS credentials: missing, expired, or a profile that does not exist."""
