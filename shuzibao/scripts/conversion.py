"""Scripts: make a traditional variant of the edition with OpenCC, text only, glossary locked.

Only what readers see is converted: the model's text fields and the body tokens' text, never
URLs, slugs or markup. A block's text is converted as one string across its inline markup, so
that **头**发 becomes 頭髮. OpenCC runs with the newsroom's own phrase dictionary in its chain
(dictionary.py). Glossary phrases and the names of bylines (names.py) are masked before OpenCC
runs and their forms put back after, so OpenCC's segmentation cannot touch them; the glossary
wins over a name. A variant that sets corner quotes gets them last (quotes.py), outside
glossary forms, inline code and URLs.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Any

from markdown_it.token import Token

from ..content import article_body as body
from ..model import Article, Edition, Issue, Jump, Page, Site, Variant
from . import quotes as quotation
from .dictionary import engine
from .memory import Converted, Memory, program
from .names import Names

MASK = "\ue000"  # a private-use character: OpenCC passes it through untouched
Span = tuple[int, int, str]  # start, end and the form to put back


@functools.cache
def names_for(config: str) -> Names:
    return Names(engine(config))


class Converter:
    """One variant's conversion with one glossary. `stock` is OpenCC alone, as it comes (no
    dictionary of ours, no names), for comparison; `quotes` sets corner quotation marks. With a
    `memory`, a batch converted in the last build is taken from it (memory.py)."""

    def __init__(self, config: str, glossary: dict[str, str], quotes: bool = False, stock: bool = False, memory: Memory | None = None):
        self._opencc = engine(config, stock)
        self._glossary = glossary
        self._quotes = quotes
        self._memory = memory
        self._setting = program() + repr((config, stock, quotes, sorted(glossary.items()))).encode() if memory is not None else b""
        self._names = None if stock else names_for(config)
        phrases = sorted(glossary, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, phrases))) if phrases else None

    def text(self, value: str) -> str:
        return self.many([[value]])[0][0]

    def optional(self, value: str | None) -> str | None:
        return None if value is None else self.text(value)

    def name(self, value: str) -> str:
        """An author, photographer or editor: its names converted as names, unless the glossary
        has a phrase in it (the editors' lock wins) or it is not made of names (新华社)."""
        if self._names is None or (self._pattern and self._pattern.search(value)):
            return self.text(value)
        named = self._names.field(value)
        return self.text(value) if named is None else named

    def name_spans(self, text: str) -> list[Span]:
        """The bylines' names in `text` as this converter writes them (for --explain)."""
        return self._names.spans(text) if self._names is not None else []

    def runs(self, parts: list[str]) -> list[str]:
        """Convert consecutive pieces of one block as a single string, then cut it back apart."""
        return self.many([parts])[0]

    def many(self, runs: list[list[str]], literal: Sequence[Sequence[bool]] | None = None) -> list[list[str]]:
        """Convert many runs at once (one call into OpenCC, which is what costs), each as one
        string. `literal` marks the pieces whose quotation marks stay (inline code, a URL)."""
        if self._memory is None:
            return self._convert(runs, literal)
        flags = None if literal is None else [list(f) for f in literal]
        key = hashlib.blake2b(self._setting + repr((runs, flags)).encode(), digest_size=16).digest()  # repr, not marshal: its bytes vary with interning
        found = self._memory.recall(key)
        if found is None:
            found = self._convert(runs, literal)
            self._memory.keep(key, found)
        return [list(run) for run in found]  # the caller's own lists, not the memory's

    def _convert(self, runs: list[list[str]], literal: Sequence[Sequence[bool]] | None) -> Converted:
        joined = ["".join(parts) for parts in runs]
        spans = [self._spans(text) for text in joined]
        masked = [self._masked(text, found) if found else text for text, found in zip(joined, spans, strict=True)]
        whole = self._opencc.convert("\n".join(masked)) if masked else ""
        done = quotation.corner_all(whole) if self._quotes and not (literal and any(map(any, literal))) else None
        quoted = done is not None
        converted = (whole if done is None else done).split("\n") if masked else []
        if len(converted) != len(runs) or any("\n" in text for text in joined):
            converted, quoted = [self._opencc.convert(text) for text in masked], False  # a run with its own newline
        flags = literal or [()] * len(runs)
        return [self._cut(*args, quoted) for args in zip(runs, joined, converted, spans, flags, strict=True)]

    def _spans(self, text: str) -> list[Span]:
        """What is masked: the glossary's phrases, then the bylines' names they leave alone."""
        found = [(m.start(), m.end(), self._glossary[m.group()]) for m in self._pattern.finditer(text)] if self._pattern else []
        if self._names is not None:
            names = [n for n in self._names.spans(text) if not any(n[0] < end and start < n[1] for start, end, _ in found)]
            found = sorted(found + names) if names else found
        return found

    @staticmethod
    def _masked(text: str, spans: list[Span]) -> str:
        chars = list(text)
        for start, end, _ in spans:
            chars[start:end] = MASK * (end - start)
        return "".join(chars)

    def _cut(self, parts: list[str], joined: str, converted: str, spans: list[Span], literal: Sequence[bool], quoted: bool) -> list[str]:
        """Quotation marks (unless the batch had them already), then the masked forms back in,
        then the run cut where its pieces were."""
        if len(converted) != len(joined):  # a phrase table changed the length (s2twp): piece by piece
            pieces = [self._alone(p) for p in parts] if len(parts) > 1 else [self._alone(joined)]
            return [quotation.corner(p) if self._quotes and not quoted and not (literal and literal[i]) else p for i, p in enumerate(pieces)]
        if len(parts) == 1 and not spans:  # the common case: a title, a paragraph without markup
            return [quotation.corner(converted, ((0, len(converted)),) if literal and literal[0] else ()) if self._quotes and not quoted else converted]
        cuts = list(itertools.accumulate(map(len, parts), initial=0))
        if self._quotes and not quoted:
            kept = [(start, end) for (start, end), flag in zip(itertools.pairwise(cuts), literal or [False] * len(parts), strict=True) if flag]
            converted = quotation.corner(converted, kept)
        if not spans:
            return [converted[start:end] for start, end in itertools.pairwise(cuts)]
        chars = list(converted)
        for start, end, form in spans:  # a form as long as its phrase keeps each character in place
            chars[start:end] = list(form) if len(form) == end - start else [form] + [""] * (end - start - 1)
        return ["".join(chars[start:end]) for start, end in itertools.pairwise(cuts)]

    def _alone(self, value: str) -> str:
        if not self._pattern:
            return self._opencc.convert(value)
        out, position = [], 0
        for match in self._pattern.finditer(value):
            out += [self._opencc.convert(value[position : match.start()]), self._glossary[match.group()]]
            position = match.end()
        return "".join([*out, self._opencc.convert(value[position:])])


def glossary_for(variant: Variant, *glossaries: dict[str, dict[str, str]]) -> dict[str, str]:
    """The forms one variant must show; later glossaries (an article's) win over earlier ones."""
    merged: dict[str, str] = {}
    for glossary in glossaries:
        merged.update({phrase: forms[variant.code] for phrase, forms in glossary.items() if variant.code in forms})
    return merged


def localize_site(site: Site, variant: Variant) -> Site:
    """The site's own text in the variant's script: its title and copyright line (registration
    numbers stay as registered)."""
    if variant.opencc is None:
        return site
    converter = _site_converter(site, variant)
    return dataclasses.replace(site, title=converter.text(site.title), copyright=converter.optional(site.copyright))


def localize_issue(issue: Issue, site: Site, variant: Variant, memory: Memory | None = None) -> Issue:
    """One issue in `variant`'s script: a converted copy, the source left as it is.

    An issue is the unit: its pages, articles and jumps refer only to each other. Bodies are
    converted when a page first shows them, so a listing does not pay for every story's text.
    With a `memory`, what its last build converted is taken from there."""
    if variant.opencc is None:
        return issue
    site_converter = _site_converter(site, variant, memory)
    converted = dataclasses.replace(issue, pages=[])
    copies: dict[int, Article] = {}
    for page in issue.pages:
        page_copy = dataclasses.replace(
            page, name=site_converter.text(page.name), editor=None if page.editor is None else site_converter.name(page.editor), articles=[], issue=converted
        )
        for article in page.articles:
            converter = site_converter
            if article.glossary:
                converter = Converter(variant.opencc, glossary_for(variant, site.glossary, article.glossary), variant.quotes == "corner", memory=memory)
            copies[id(article)] = convert_article(article, converter, page_copy)
            page_copy.articles.append(copies[id(article)])
        converted.pages.append(page_copy)
    for article in issue.articles():
        if article.jump_out is not None:
            jump = Jump(copies[id(article)], copies[id(article.jump_out.target)])
            jump.source.jump_out = jump.target.jump_in = jump
    return converted


class ConvertedBody(Sequence[Any]):
    """A body's tokens in a variant's script, converted on first use."""

    def __init__(self, source: Sequence[Any], converter: Converter):
        self._source, self._converter = source, converter
        self._tokens: list[Any] | None = None

    def _converted(self) -> list[Any]:
        if self._tokens is None:
            tokens = [_copy_token(t) for t in self._source]
            _convert_tokens(tokens, self._converter)
            self._tokens = tokens
        return self._tokens

    def __getitem__(self, index: Any) -> Any:
        return self._converted()[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._converted())

    def __len__(self) -> int:
        return len(self._converted())


CONVERTED = ("inline", "text", "code_inline", "image", "link_open")  # the tokens whose text or title changes


def _copy_token(token: Any) -> Any:
    """A copy deep enough to convert: the tokens whose text changes get their own text and
    attributes; the others (paragraphs, emphasis, breaks) are shared with the source."""
    if token.type not in CONVERTED:
        return token
    children = [_copy_token(child) for child in token.children] if token.children else token.children
    # Field by field: copy.copy costs six times as much, and a story has about forty such tokens.
    return Token(token.type, token.tag, token.nesting, dict(token.attrs), token.map, token.level, children, token.content, token.markup, token.info, token.meta, token.block, token.hidden)


def localize(edition: Edition, variant: Variant) -> Edition:
    """The whole edition in `variant`'s script (for tests and tools; the build goes issue by issue)."""
    issues = [localize_issue(issue, edition.site, variant) for issue in edition.issues]
    return Edition(localize_site(edition.site, variant), issues)


def _site_converter(site: Site, variant: Variant, memory: Memory | None = None) -> Converter:
    assert variant.opencc is not None
    return Converter(variant.opencc, glossary_for(variant, site.glossary), variant.quotes == "corner", memory=memory)


def convert_article(article: Article, converter: Converter, page: Page) -> Article:
    """A copy of the article on `page` (a converted page), its reader-visible text converted."""
    fields = [article.title, article.kicker, article.subtitle]
    converted = iter(run[0] for run in converter.many([[t] for t in fields if t is not None]))
    title, kicker, subtitle = (None if t is None else next(converted) for t in fields)
    return dataclasses.replace(
        article,
        page=page,
        jump_in=None,
        jump_out=None,
        title=title,
        kicker=kicker,
        subtitle=subtitle,
        authors=tuple(map(converter.name, article.authors)),
        photographers=tuple(map(converter.name, article.photographers)),
        body=ConvertedBody(article.body, converter),
    )


def _convert_tokens(tokens: Sequence[Token], converter: Converter) -> None:
    runs = body.text_runs(tokens)
    kept = _literal(tokens)
    literal = [[t.type == "code_inline" or id(t) in kept for t in run] for run in runs]
    for run, texts in zip(runs, converter.many([[t.content for t in run] for run in runs], literal), strict=True):
        for token, text in zip(run, texts, strict=True):
            token.content = text
    for token in tokens:
        for child in token.children or []:
            if child.type in ("image", "link_open") and child.attrs.get("title"):
                child.attrs["title"] = converter.text(str(child.attrs["title"]))


def _literal(tokens: Sequence[Token]) -> set[int]:
    """The text tokens that are a URL as written (<https://…>): their quotation marks stay."""
    kept = set()
    for token in tokens:
        children = token.children or []
        for child, after in itertools.pairwise(children):
            if child.type == "link_open" and child.markup == "autolink":
                kept.add(id(after))
    return kept
