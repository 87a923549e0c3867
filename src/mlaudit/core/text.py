"""Characters from an account that no reader should act on: controls and bidirectional overrides.

A tag value or resource name can carry an ANSI escape (which restyles a terminal or moves its cursor) or a
bidirectional control (U+202E makes `exe.txt` read `txt.exe`). Every format that shows account strings as text
replaces them with U+FFFD, the replacement character, so that the reader sees that something was there.
"""

from __future__ import annotations

import re

UNSAFE_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 controls except tab and line feed (which a format handles its own way), the left-to-right and
right-to-left marks (U+200E, U+200F), embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069)."""


def inert(text: str) -> str:
    """`text` with every unsafe character replaced by U+FFFD."""
    return UNSAFE_CHARACTERS.sub("\ufffd", text)
