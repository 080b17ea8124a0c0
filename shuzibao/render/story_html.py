"""An article body as readers get it: HTML for the page, plain text for summaries and open data.

The tokens come parsed (content/article_body.py) and, for a variant, converted
(scripts/conversion.py); the same rules write every script's HTML. An image's address is made
by the caller (relative on a page, absolute in a feed), a figure gets its caption, and the
body's headings sit below the page's own.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

Picture = Callable[[str, str], str | None]  # (src as written, alt text) -> a <picture> of the photo's copies, or None


def render(tokens: Sequence[Token], image_url: Callable[[str], str], heading: int = 2, picture: Picture | None = None) -> str:
    """HTML for a body; its top-level headings become h`heading` (h2 under the article's h1).
    With `picture`, a photo that has resized copies is shown as the <picture> it gives."""
    tokens = list(tokens)
    top = min((int(t.tag[1]) for t in tokens if t.type == "heading_open"), default=1)  # once, not per heading
    html: str = _HTML.renderer.render(tokens, _HTML.options, {"image_url": image_url, "heading": heading - top, "picture": picture})
    return html


def has_images(tokens: Sequence[Token]) -> bool:
    return any(c.type == "image" for t in tokens if t.type == "inline" for c in t.children or [])


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


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    token = copy.copy(token_ := tokens[idx])  # the parsed token is shared by every render
    picture = env["picture"] and env["picture"](str(token_.attrs.get("src", "")), self.renderInlineAsText(token_.children or [], options, env))
    if picture:
        html: str = picture
    else:
        token.attrs = {**token_.attrs, "src": env["image_url"](str(token_.attrs.get("src", ""))), "loading": "lazy", "decoding": "async"}
        html = self.image([*tokens[:idx], token, *tokens[idx + 1 :]], idx, options, env)
    if token.meta.get("figure"):
        caption = self.renderInlineAsText(token.children or [], options, env)
        html += f"<figcaption>{escapeHtml(caption)}</figcaption>" if caption else ""
    return html


def _render_heading(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    """Body headings sit below the page's own: env["heading"] moves the body's top level there."""
    token = tokens[idx]
    level = min(int(token.tag[1]) + env["heading"], 6)
    return f"<{'/' if token.nesting == -1 else ''}h{level}>" + ("\n" if token.nesting == -1 else "")


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})  # as the parser (content/article_body.py)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("heading_open", _render_heading)
    md.add_render_rule("heading_close", _render_heading)
    return md


_HTML = _renderer()  # built once per process; only its render rules are used
