"""Recognising secret-looking text without keeping it.

Collectors call these while reading environment variables and lifecycle scripts, and store only what was found
(a variable's name, a line number and the kind of secret), never the value: the inventory and every report stay
free of secrets by construction.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

_VALUE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("aws-access-key-id", re.compile(r"\b(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b")),
    ("private-key", re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")),
    ("github-token", re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{40,}\b")),
    ("slack-token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b")),
    ("openai-api-key", re.compile(r"\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}\b")),
    ("huggingface-token", re.compile(r"\bhf_[A-Za-z0-9]{30,}\b")),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\b")),
    ("url-with-password", re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]{3,}@", re.I)),
)
SECRET_WORDS = frozenset({"password", "passwd", "pwd", "pass", "passphrase", "secret", "token", "credential",
                          "credentials", "apikey", "secretkey", "accesskey", "privatekey"})  # fmt: skip
"""A name whose last word is one of these says it holds a secret (DB_PASSWORD, HF_TOKEN, CLIENT_SECRET)..."""
KEY_QUALIFIERS = frozenset({"api", "access", "secret", "private", "signing", "encryption", "master", "license"})
"""...and so does one ending in one of these words followed by `key` (API_KEY, AWS_SECRET_ACCESS_KEY)."""
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
"""Words of a name: split at `_`, `-`, `.` and camelCase (apiKey -> api, key; HFToken -> hf, token)."""
_REFERENCE = re.compile(r"^(arn:|/|\./|~/|https?://|s3://|file:|\$\(|resolve:|ssm:|secretsmanager:)", re.I)
"""Values that point at a secret kept elsewhere (an ARN, a file, a URL without a password) rather than hold one."""
# `NAME=value`, `NAME: value`, `export NAME="value"`, `--password value`, `--password=value`
_ASSIGNMENT = re.compile(
    r"""(?:--(?P<flag>[A-Za-z][\w-]*)[=\s]+|(?P<name>[A-Za-z_][\w.-]*)\s*[=:]\s*)["']?(?P<value>[^\s"'#;]{4,})"""
)
# `aws configure set aws_secret_access_key value`: how lifecycle scripts commonly store credentials.
_CONFIGURE_SET = re.compile(r"""\bconfigure\s+set\s+(?P<name>[A-Za-z_][\w.-]*)\s+["']?(?P<value>[^\s"'#;]{4,})""")
_PLACEHOLDER = re.compile(r"^(\$|\{\{|<|%|\*+$|x+$|changeme$|none$|null$|true$|false$|example)", re.I)


@dataclass(frozen=True)
class SecretHit:
    line: int
    """1-based line number."""
    kind: str


def value_kind(value: str) -> str | None:
    """The kind of secret a value looks like, or None."""
    for kind, pattern in _VALUE_PATTERNS:
        if pattern.search(value):
            return kind
    return None


def name_words(name: str) -> list[str]:
    """The words of a variable or key name, lower case, without trailing numbers (API_KEY_2 -> api, key)."""
    words = [word.lower() for word in _WORD.findall(name)]
    while words and words[-1].isdigit():
        words.pop()
    return words


def is_secret_name(name: str) -> bool:
    """A name that says it holds a secret: its last word is a secret noun (DB_PASSWORD, HF_TOKEN), or `key` after
    a word that makes it one (API_KEY). Words, not substrings: MAX_TOKENS, TOKENIZER_NAME, PASSWORD_POLICY_URL,
    SECRET_ARN and MONKEY do not."""
    words = name_words(name)
    if not words:
        return False
    return words[-1] in SECRET_WORDS or (words[-1] == "key" and len(words) > 1 and words[-2] in KEY_QUALIFIERS)


def looks_like_a_secret_value(value: str) -> bool:
    """A value that could be the secret itself: not empty, a placeholder, a flag or a number, a reference (`${...}`,
    an ARN, a path, a URL)."""
    text = value.strip().strip("\"'")
    if len(text) < 4 or _PLACEHOLDER.match(text) or _REFERENCE.match(text):
        return False
    return not text.replace(".", "", 1).isdigit()


def variable_kind(name: str, value: str) -> str | None:
    """Why an environment variable looks like a secret: its value's shape (an access key, a token format), or a
    name that says it holds one with a value that could be it."""
    kind = value_kind(value)
    if kind:
        return kind
    if is_secret_name(name) and looks_like_a_secret_value(value):
        return "secret-named-variable"
    return None


def scan_text(text: str) -> list[SecretHit]:
    """Secret-looking lines of a script: one hit per line, with its kind."""
    hits = []
    for number, line in enumerate(text.splitlines(), start=1):
        kind = value_kind(line)
        if kind is None:
            for match in (*_ASSIGNMENT.finditer(line), *_CONFIGURE_SET.finditer(line)):
                kind = variable_kind(match.groupdict().get("flag") or match.group("name"), match.group("value"))
                if kind:
                    break
        if kind:
            hits.append(SecretHit(number, kind))
    return hits


def script_text(content: str) -> str:
    """A lifecycle script's text (SageMaker's APIs carry scripts in base64, possibly wrapped); content that is not
    base64 is read as it is."""
    try:
        return base64.b64decode("".join(content.split()), validate=True).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return content
