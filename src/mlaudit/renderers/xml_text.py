"""Text that XML 1.0 can hold, escaped for where it goes: characters XML forbids (most control characters, lone
surrogates) become U+FFFD."""

from __future__ import annotations

_FORBIDDEN = dict.fromkeys(
    [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF], "\ufffd"
)
_CONTENT = {**_FORBIDDEN, ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"}
_ATTRIBUTE = {**_CONTENT, ord('"'): "&quot;", ord("\n"): "&#10;", ord("\r"): "&#13;", ord("\t"): "&#9;"}
"""Line breaks and tabs as character references, which attribute normalisation would otherwise make spaces."""


def xml_content(value: object) -> str:
    """Element content: `&`, `<` and `>` escaped."""
    return str(value).translate(_CONTENT)


def xml_attributes(values: dict[str, str]) -> str:
    """` name="value"` for each, quoted and escaped."""
    return "".join(f' {name}="{value.translate(_ATTRIBUTE)}"' for name, value in values.items())
