"""The docs point at things that exist: links resolve (anchors included), named paths and tests exist, and the
architecture's tree names every package, so a file moved or renamed fails here rather than in a reader's hands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
PATH = re.compile(r"`((?:src|tests|docs|bench|scripts|checks|reports|schema|examples)/[^`\s]*)`")
HEADING = re.compile(r"^#{1,6} (.+)$", re.MULTILINE)


def _anchors(markdown: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation other than hyphens dropped, spaces made hyphens."""
    text = markdown.read_text(encoding="utf-8")
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in HEADING.findall(text)}


def _resolves(doc: Path, target: str) -> bool:
    path, _, anchor = target.partition("#")
    resolved = (doc.parent / path).resolve() if path else doc
    if not resolved.is_relative_to(ROOT) or not resolved.exists():
        return False
    return not anchor or resolved.suffix != ".md" or anchor in _anchors(resolved)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_relative_link_resolves_inside_the_repository(doc: Path) -> None:
    links = LINK.findall(doc.read_text(encoding="utf-8"))
    assert [t for t in links if not re.match(r"[a-z]+:", t) and not _resolves(doc, t)] == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_named_path_and_test_exists(doc: Path) -> None:
    missing = []
    for named in PATH.findall(doc.read_text(encoding="utf-8")):
        path, _, test = named.partition("::")
        if "<" in path:  # a pattern such as checks/<area>.py: its folder must exist
            path = path.split("<", 1)[0].rpartition("/")[0]
        file = ROOT / path
        if not file.exists() or (test and not re.search(rf"^def {re.escape(test)}\(", file.read_text(), re.M)):
            missing.append(named)
    assert missing == []


def test_the_architecture_tree_names_every_package() -> None:
    """Every package of src/mlaudit, and every subpackage of a package whose subpackages the tree lists."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    tree = text.split("## The tree", 1)[1].split("```", 2)[1]
    named = set(re.findall(r"^ *(\w+)/", tree, re.MULTILINE))
    top = ROOT / "src" / "mlaudit"
    packages = {p.parent.name for p in top.glob("*/__init__.py")}
    for package in packages & named:
        children = {p.parent.name for p in (top / package).glob("*/__init__.py")}
        if children & named:
            packages |= children
    assert packages - named == set()
