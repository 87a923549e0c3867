"""Strings an attacker can put in resource names, tags and descriptions, for every output format's tests."""

from __future__ import annotations

HOSTILE_STRINGS = (
    "<script>alert('xss')</script>",
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    "{{ 7*7 }} {% raw %}",
    "=cmd|' /C calc'!A0",
    "\x1b[31mred\x1b[0m\x1b[2J",
    "\u202eevil\u202c",
    "名前-モデル-🚀",
    "x" * 10_000,
)
