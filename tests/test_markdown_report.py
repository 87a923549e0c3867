"""`mlaudit.md` as GitHub shows it (a pull request comment, a job summary): every account string is its own
characters, in every place the report writes one, and nothing else: no link, image, emphasis, HTML, code, math,
mention, issue reference or reordered text.

GitHub renders CommonMark with the GFM extensions (tables, strikethrough, autolinks of `www.`, `https://` and
e-mail addresses), then links `@user`, `@org/team` and `#123` in the rendered text outside links and code. The test
plays both steps: markdown-it-py with GFM tables and linkify (which links more than GitHub: bare domains too), then
GitHub's mention and reference patterns over the text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from mlaudit.core.taxonomy import Status
from mlaudit.inventory import AccountInfo
from mlaudit.renderers import RenderOptions
from mlaudit.renderers.markdown import MAX_CELL, render_diff, render_markdown
from mlaudit.report.diffing import diff_reports
from mlaudit.report.model import Report
from reports import finding, report_of

GITHUB = MarkdownIt("gfm-like", {"linkify": True, "html": True})
MENTION = re.compile(r"@[a-z0-9][a-z0-9-]*(/[a-z0-9_-]+)?", re.IGNORECASE)
"""GitHub's user and team mentions (html-pipeline's MentionFilter, loosened: also after a word character)."""
REFERENCE = re.compile(r"#[0-9]+|\bGH-[0-9]+", re.IGNORECASE)

HOSTILE_MARKDOWN = (
    "[click me](https://evil.example/login)",
    "![pixel](https://evil.example/p.png)",
    "[ref][1]",
    "<https://evil.example>",
    "https://evil.example/x?y=1",
    "www.evil.example",
    "evil.example",
    "user@evil.example",
    "@octocat",
    "@acme/security-team please approve",
    "fixes #123",
    "**bold** __also__",
    "*em* _em_",
    "~~struck~~",
    "`code` ``more``",
    "$x^2$ and $$y$$",
    "<b>html</b><img src=x onerror=alert(1)>",
    "&lt;b&gt; &amp; &#64;octocat",
    "a | b || c",
    "back\\slash\\*star\\",
    "# not a heading",
    "- not a list",
    "1. not a list",
    "> not a quote",
    "line\nbreak\r\nand\ttab",
    "\u202egnp.exe",
    "\u2066isolated\u2069 \u2067rtl\u2069 \u2068first\u2069",
    "\u200eltr mark\u200f rtl mark \u202aembed\u202c \u202bembed\u202c \u202doverride\u202c",
    "\x1b[31mred\x1b[0m",
    "名前-モデル-🚀",
    "y" * 500,
)
BIDI = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def displayed(text: str) -> str:
    """What GitHub must show for an account string: whitespace collapsed, controls and bidirectional characters
    as U+FFFD, at most MAX_CELL characters, a zero-width space after `@` and `#` (which breaks mentions and
    references, as in Dependabot's pull requests)."""
    text = " ".join(text.split())
    text = "".join("\ufffd" if c in BIDI or ord(c) < 32 or 0x7F <= ord(c) <= 0x9F else c for c in text)
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return text.replace("@", "@\u200b").replace("#", "#\u200b")


class Page(HTMLParser):
    """The rendered HTML: every element, each table cell's text and child elements, and each paragraph's text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[str] = []
        self.cells: list[tuple[str, list[str]]] = []
        self.rows: list[list[tuple[str, list[str]]]] = []
        self.paragraphs: list[str] = []
        self.texts: list[str] = []
        self._cell: list[str] | None = None
        self._children: list[str] = []
        self._paragraph: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell, self._children = [], []
        elif tag == "p":
            self._paragraph = []
        elif self._cell is not None:
            self._children.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append(("".join(self._cell), self._children))
            self.rows[-1].append(self.cells[-1])
            self._cell = None
        elif tag == "p" and self._paragraph is not None:
            self.paragraphs.append("".join(self._paragraph))
            self._paragraph = None

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        for part in (self._cell, self._paragraph):
            if part is not None:
                part.append(data)


def _hostile_report() -> Report:
    report = report_of([finding(text, detail=text, region=text) for text in HOSTILE_MARKDOWN])
    scan = report.scan.model_copy(update={"regions": ["us-east-1", "@octocat", "[r](https://evil.example)"]})
    accounts = [AccountInfo(account_id="123456789012"), AccountInfo(account_id="**@acme/admins** #1")]
    return report.model_copy(update={"scan": scan, "accounts": accounts})


def _assert_nothing_but_text(page: Page) -> None:
    assert not {"a", "img", "code", "del", "s", "script", "b", "blockquote", "ul", "ol", "li", "h1"} & set(
        page.elements
    ), page.elements
    rendered = "".join(page.texts)
    assert not MENTION.search(rendered), MENTION.search(rendered)
    assert not REFERENCE.search(rendered), REFERENCE.search(rendered)
    assert not BIDI & set(rendered)


def _failing_table(markdown: str) -> str:
    """The failing findings' table and what follows it (the counts and fix-first tables come before)."""
    return markdown.split("### Failing findings", 1)[1]


def test_every_account_string_in_the_report_shows_as_itself_and_nothing_else() -> None:
    report = _hostile_report()
    page = Page(GITHUB.render(render_markdown(report)))

    _assert_nothing_but_text(page)
    assert page.elements.count("strong") == 2 and page.elements.count("em") == 0, "only the report's own bold"
    by_name = {row[2]: row for row in ([text for text, _ in cells] for cells in page.rows) if len(row) == 5}
    for text in HOSTILE_MARKDOWN:
        row = by_name[displayed(text)]
        assert row[3] == f"123456789012 {displayed(text)}"
        assert row[4] == displayed(text)
    assert all(children == [] for _, children in page.cells)
    [scan_line] = [p for p in page.paragraphs if p.startswith("Scan of")]
    assert scan_line.startswith(
        f"Scan of 123456789012, {displayed('**@acme/admins** #1')} in "
        f"{displayed('us-east-1, @octocat, [r](https://evil.example)')} on "
    )


def test_what_changed_shows_account_strings_as_themselves() -> None:
    old = report_of([])
    new = _hostile_report()
    page = Page(GITHUB.render(render_diff(diff_reports(old, new))))

    _assert_nothing_but_text(page)
    names = {page.cells[i][0] for i in range(2, len(page.cells), 4)}
    assert {displayed(text) for text in HOSTILE_MARKDOWN} <= names


@pytest.mark.parametrize("text", ["plain-name", "ml.t3.medium", "arn:aws:sagemaker:us-east-1:1:endpoint/x"])
def test_ordinary_names_show_unchanged(text: str) -> None:
    page = Page(GITHUB.render(render_markdown(report_of([finding(text, detail=text)]))))
    assert (text, []) in page.cells


def test_the_budget_holds_with_escapes_and_lone_surrogates() -> None:
    report = report_of([finding(f"[n{i}](https://e.example)@x#1\ud800" + "*" * 150) for i in range(200)])
    text = render_markdown(report, RenderOptions(markdown_budget=20_000))
    size = len(text.encode("utf-8", "surrogatepass"))
    assert 15_000 < size <= 20_000
    shown = _failing_table(text).count("| high |")
    assert f"_{200 - shown} more failing findings are not listed here; see the full report._" in text
    assert 0 < shown < 200


def test_failing_findings_are_listed_and_counted_as_before() -> None:
    report = report_of(
        [finding("f1"), finding("f2"), finding("p", Status.PASS), finding("e", Status.ERROR, "AccessDenied")]
    )
    text = render_markdown(report)
    assert _failing_table(text).count("| high |") == 2
    assert text.endswith(
        "\n_1 findings are ERROR: mlaudit could not evaluate them (see `scan.errors` in mlaudit.json)._\n"
    )
