"""Article bodies: CommonMark with tables, raw HTML kept as text, typed jump markers taken out.

The body is parsed once into markdown-it tokens; each token keeps its source line (`map`), so a
fault in a body names the file line. Variants convert the tokens' text (scripts/conversion.py),
then one renderer writes HTML for every script (render/story_html.py).
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..model import shown_label

# A jump marker typed into print text: （下转第3版） (上接第A1版) （转3版）.
MARKER = re.compile(r"[（(]\s*(下转|上接|转|接)\s*第?\s*([A-Za-z]?[0-9]+)\s*版\s*[)）]")
OUT_WORDS = ("下转", "转")


def make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")  # raw HTML stays text, quotes as typed
    md.core.ruler.push("figures", _figures)
    return md


def parse(text: str) -> list[Token]:
    return _MD.parse(text)


def read(text: str, first_line: int) -> tuple[list[Token], list[Marker]]:
    """A body's tokens, its typed jump markers taken out, and the markers."""
    tokens = parse(text)
    return tokens, take_markers(tokens, first_line)


class Bodies:
    """The bodies read by the last builds, by their text, for the preview's next build: a save
    loads every story of the issue it touched, and parsing was most of that. Given out shared,
    not copied: once loaded, tokens are not changed (conversion changes its own copies)."""

    LIMIT = 512  # bodies kept, the latest used: eight issues' worth, a few megabytes

    def __init__(self) -> None:
        self.read = functools.lru_cache(maxsize=self.LIMIT)(read)  # by (text, first_line)


@dataclass(frozen=True)
class Marker:
    outgoing: bool  # 下转 (the story goes on elsewhere) or 上接 (it came from elsewhere)
    label: str  # as readers see it: 3, A1
    line: int
    text: str


def take_markers(tokens: list[Token], first_line: int) -> list[Marker]:
    """Remove typed jump markers from the body and return them; the build renders its own."""
    markers: list[Marker] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        for child, line in child_lines(token, first_line):
            if child.type != "text":
                continue
            for match in MARKER.finditer(child.content):
                markers.append(Marker(match.group(1) in OUT_WORDS, shown_label(match.group(2).upper()), line, match.group(0)))
            child.content = MARKER.sub("", child.content).strip() if MARKER.search(child.content) else child.content
        token.content = MARKER.sub("", token.content)
    _drop_empty_paragraphs(tokens)
    return markers


def _drop_empty_paragraphs(tokens: list[Token]) -> None:
    """A paragraph that held only a marker goes, with its open and close tokens."""
    i = 0
    while i + 2 < len(tokens):
        opening, inline = tokens[i], tokens[i + 1]
        empty = not any(c.content.strip() or c.type not in ("text", "softbreak") for c in inline.children or [])
        if opening.type == "paragraph_open" and inline.type == "inline" and empty:
            del tokens[i : i + 3]
        else:
            i += 1


def child_lines(token: Token, first_line: int) -> Iterator[tuple[Token, int]]:
    """An inline block's children, each with the file line it stands on (a paragraph's lines are
    its soft and hard breaks)."""
    line = first_line + (token.map[0] if token.map else 0)
    for child in token.children or []:
        yield child, line
        line += child.type in ("softbreak", "hardbreak")


def image_sources(tokens: Sequence[Token], first_line: int) -> list[tuple[str, int]]:
    """Every image the body shows, as its file name (markdown-it writes it as a URL: 照片%201.jpg
    is the file 照片 1.jpg), with its file line."""
    found = []
    for token in tokens:
        for child, line in child_lines(token, first_line):
            if child.type == "image":
                found.append((urllib.parse.unquote(str(child.attrs.get("src", ""))), line))
    return found


# What an editor meant as an image but Markdown read as text: a file name with a space in it.
IMAGE_AS_TEXT = re.compile(r"!\[[^\]]*\]\([^)<>]*\s[^)<>]*\)")


def images_read_as_text(tokens: Sequence[Token], first_line: int) -> list[tuple[str, int]]:
    """`![说明](照片 1.jpg)`: not an image in Markdown (the name has a space), with its line."""
    return [(found.group(), line) for token in tokens for child, line in child_lines(token, first_line) if child.type == "text" for found in IMAGE_AS_TEXT.finditer(child.content)]


def text_runs(tokens: Sequence[Token]) -> list[list[Token]]:
    """The reader-visible text of each block, as runs of tokens whose text reads as one string.

    A run is one inline block's text children (so **头**发 converts as one word); image alt text
    and titles are their own runs."""
    runs: list[list[Token]] = []
    for token in tokens:
        if token.type != "inline":
            continue
        run = [c for c in token.children or [] if c.type in ("text", "code_inline")]
        if run:
            runs.append(run)
        for child in token.children or []:
            if child.type == "image":
                runs.extend([c] for c in child.children or [] if c.type == "text")
    return runs


def _figures(state: Any) -> None:
    """An image alone in its paragraph is a figure, its alt text shown as the caption."""
    tokens = state.tokens
    for i in range(len(tokens) - 2):
        opening, inline, closing = tokens[i : i + 3]
        children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
        if opening.type == "paragraph_open" and inline.type == "inline" and len(children) == 1 and children[0].type == "image":
            opening.tag = closing.tag = "figure"
            children[0].meta["figure"] = True


# The one parser, built once per process: its rules are fixed, its output depends only on the text.
_MD = make_parser()
