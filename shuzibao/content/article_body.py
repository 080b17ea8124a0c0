"""Article bodies: CommonMark with tables, raw HTML shown as text, typed jump markers found.

The body is parsed once into markdown-it tokens; each token keeps its source line (`map`), so a
fault in a body names the file line. Variants convert the tokens' text, then the same renderer
writes HTML for every script.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

# A jump marker typed into print text: （下转第3版） (上接第A1版) （转3版）.
MARKER = re.compile(r"[（(]\s*(下转|上接|转|接)\s*第?\s*([A-Za-z]?[0-9]+)\s*版\s*[)）]")
OUT_WORDS = ("下转", "转")


def make_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.core.ruler.push("figures", _figures)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("heading_open", _render_heading)
    md.add_render_rule("heading_close", _render_heading)
    return md


def parse(text: str) -> list[Token]:
    return _MD.parse(text)


def render(tokens: Sequence[Token], image_url: Callable[[str], str], heading: int = 2) -> str:
    """HTML for a body; its top-level headings become h`heading` (h2 under the article's h1)."""
    return _MD.renderer.render(list(tokens), _MD.options, {"image_url": image_url, "heading": heading})


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
        line = first_line + (token.map[0] if token.map else 0)
        for child in token.children:
            if child.type != "text":
                continue
            for match in MARKER.finditer(child.content):
                letter_digits = re.match(r"([A-Za-z]?)0*([0-9]+)", match.group(2))
                label = f"{letter_digits.group(1).upper()}{letter_digits.group(2)}"  # type: ignore[union-attr]
                markers.append(Marker(match.group(1) in OUT_WORDS, label, line, match.group(0)))
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


def image_sources(tokens: Sequence[Token], first_line: int) -> list[tuple[str, int]]:
    """Every image the body shows, with its file line."""
    found = []
    for token in tokens:
        for child in token.children or []:
            if child.type == "image":
                found.append((str(child.attrs.get("src", "")), first_line + (token.map[0] if token.map else 0)))
    return found


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


def paragraphs(tokens: Sequence[Token]) -> list[str]:
    """The text of each block (paragraph, heading, caption), as plain text."""
    found = []
    for token in tokens:
        if token.type == "inline":
            text = "".join(c.content for c in token.children or [] if c.type in ("text", "code_inline"))
            text = text or " ".join(g.content for c in token.children or [] if c.type == "image" for g in c.children or [] if g.type == "text")
            if text.strip():
                found.append(text.strip())
    return found


def summary(tokens: Sequence[Token], limit: int = 120) -> str:
    """The opening of the text, cut after the last full sentence (。！？) that fits in `limit`."""
    blocks = [t for t in tokens if t.type == "inline"][:6]
    text = "".join(c.content for t in blocks for c in t.children or [] if c.type in ("text", "code_inline"))
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "。！？")
    return text[: cut + 1] if cut > limit // 3 else text[: limit - 1] + "…"


def _figures(state: Any) -> None:
    """An image alone in its paragraph is a figure, its alt text shown as the caption."""
    tokens = state.tokens
    for i in range(len(tokens) - 2):
        opening, inline, closing = tokens[i : i + 3]
        children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
        if opening.type == "paragraph_open" and inline.type == "inline" and len(children) == 1 and children[0].type == "image":
            opening.tag = closing.tag = "figure"
            children[0].meta["figure"] = True


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    token = copy.copy(token_ := tokens[idx])  # the parsed token is shared by every render
    token.attrs = {**token_.attrs, "src": env["image_url"](str(token_.attrs.get("src", ""))), "loading": "lazy", "decoding": "async"}
    html = self.image([*tokens[:idx], token, *tokens[idx + 1 :]], idx, options, env)
    if token.meta.get("figure"):
        caption = self.renderInlineAsText(token.children or [], options, env)
        html += f"<figcaption>{escapeHtml(caption)}</figcaption>" if caption else ""
    return html


def _render_heading(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    """Body headings sit below the page's own: the body's top level becomes env["heading"]."""
    token = tokens[idx]
    top = min((int(t.tag[1]) for t in tokens if t.type == "heading_open"), default=1)
    level = min(int(token.tag[1]) - top + env["heading"], 6)
    return f"<{'/' if token.nesting == -1 else ''}h{level}>" + ("\n" if token.nesting == -1 else "")


# The one parser, built once per process: its rules are fixed, its output depends only on the text.
_MD = make_markdown()
