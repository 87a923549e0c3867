"""Text that XML 1.0 can hold: characters it forbids (most control characters) become U+FFFD."""

from __future__ import annotations

import re

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: object) -> str:
    return _FORBIDDEN.sub("\ufffd", str(value))
