"""Text that XML 1.0 can hold, escaped for where it goes: characters XML forbids (most control characters, lone
surrogates) become U+FFFD."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: object) -> str:
    return _FORBIDDEN.sub("\ufffd", str(value))


def xml_content(value: object) -> str:
    """Element content: `&`, `<` and `>` escaped."""
    return escape(xml_text(value))


def xml_attributes(values: dict[str, str]) -> str:
    """` name="value"` for each, quoted and escaped (line breaks and tabs as character references, which attribute
    normalisation would otherwise turn into spaces)."""
    return "".join(f" {name}={quoteattr(xml_text(value))}" for name, value in values.items())
