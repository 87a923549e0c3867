"""Prose made literal in Markdown: what Markdown would act on is escaped, code spans are left as written.

Check metadata is plain prose with code spans, and names placeholders and wildcards (`arn:aws:s3:::<bucket>`,
`"Principal":"*"`). Outside a code span, CommonMark takes `<bucket>` for an HTML tag, which a sanitizer such as
GitHub's removes, and two `*` for emphasis, which swallows them: the example policy would read `arn:aws:s3:::`.
"""

from __future__ import annotations

import re

_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
"""A CommonMark code span: a run of backticks, closed by a run of the same length."""
_ACTIVE = re.compile(r"[\\*\[\]~&<>]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
"""Characters that make emphasis, links, strikethrough (GitHub's), entities and HTML; `_` only where it can
open or close emphasis (CommonMark never takes one inside a word, as in `CUSTOM_JWT`)."""
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _escaped(text: str) -> str:
    return _ACTIVE.sub(lambda match: _ENTITIES.get(match.group(), "\\" + match.group()), text)


def literal_prose(text: str) -> str:
    """`text` for Markdown, shown as written: Markdown's active characters escaped outside code spans."""
    pieces, last = [], 0
    for span in _CODE_SPAN.finditer(text):
        pieces += [_escaped(text[last : span.start()]), span.group()]
        last = span.end()
    return "".join([*pieces, _escaped(text[last:])])
