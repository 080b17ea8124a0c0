"""Scripts: make a traditional variant of the edition with OpenCC, text only, glossary locked.

Only what readers see is converted: the model's text fields and the body tokens' text, never
URLs, slugs or markup. A block's text is converted as one string across its inline markup, so
that **头**发 becomes 頭髮. Glossary phrases are masked before OpenCC runs and their configured
form put back after, so OpenCC's segmentation cannot touch them.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import Any, Protocol

import opencc
from markdown_it.token import Token

from ..content import article_body as body
from ..model import Article, Edition, Issue, Jump, Page, Site, Variant

MASK = "\ue000"  # a private-use character: OpenCC passes it through untouched


class Engine(Protocol):
    """What we use of OpenCC (its binding has no type hints)."""

    def convert(self, text: str) -> str: ...


@functools.cache
def _opencc(config: str) -> Engine:
    return opencc.OpenCC(config)


class Converter:
    def __init__(self, config: str, glossary: dict[str, str]):
        self._opencc = _opencc(config)
        self._glossary = glossary
        phrases = sorted(glossary, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, phrases))) if phrases else None

    def text(self, value: str) -> str:
        return self.many([[value]])[0][0]

    def optional(self, value: str | None) -> str | None:
        return None if value is None else self.text(value)

    def runs(self, parts: list[str]) -> list[str]:
        """Convert consecutive pieces of one block as a single string, then cut it back apart."""
        return self.many([parts])[0]

    def many(self, runs: list[list[str]]) -> list[list[str]]:
        """Convert many runs at once (one call into OpenCC, which is what costs), each as one string."""
        joined = ["".join(parts) for parts in runs]
        spans = [self._spans(text) for text in joined]
        masked = [self._masked(text, found) if found else text for text, found in zip(joined, spans, strict=True)]
        converted = self._opencc.convert("\n".join(masked)).split("\n") if masked else []
        if len(converted) != len(runs) or any("\n" in text for text in joined):
            converted = [self._opencc.convert(text) for text in masked]  # a run with its own newline
        return [self._cut(parts, text, out, found) for parts, text, out, found in zip(runs, joined, converted, spans, strict=True)]

    def _spans(self, text: str) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), self._glossary[m.group()]) for m in self._pattern.finditer(text)] if self._pattern else []

    @staticmethod
    def _masked(text: str, spans: list[tuple[int, int, str]]) -> str:
        chars = list(text)
        for start, end, _ in spans:
            chars[start:end] = MASK * (end - start)
        return "".join(chars)

    def _cut(self, parts: list[str], joined: str, converted: str, spans: list[tuple[int, int, str]]) -> list[str]:
        """Glossary forms back in, then the converted run cut where its pieces were."""
        if len(converted) != len(joined):  # a phrase table changed the length (s2twp): piece by piece
            return [self._alone(p) for p in parts] if len(parts) > 1 else [self._alone(joined)]
        if not spans:
            if len(parts) == 1:
                return [converted]
            cuts = list(itertools.accumulate(map(len, parts), initial=0))
            return [converted[start:end] for start, end in itertools.pairwise(cuts)]
        chars = list(converted)
        for start, end, form in spans:  # a form as long as its phrase keeps each character in place
            chars[start:end] = list(form) if len(form) == end - start else [form] + [""] * (end - start - 1)
        pieces, position = [], 0
        for part in parts:
            pieces.append("".join(chars[position : position + len(part)]))
            position += len(part)
        return pieces

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
    if variant.opencc is None:
        return site
    return dataclasses.replace(site, title=_site_converter(site, variant).text(site.title))


def localize_issue(issue: Issue, site: Site, variant: Variant) -> Issue:
    """One issue in `variant`'s script: a converted copy, the source left as it is.

    An issue is the unit: its pages, articles and jumps refer only to each other. Bodies are
    converted when a page first shows them, so a listing does not pay for every story's text."""
    if variant.opencc is None:
        return issue
    site_converter = _site_converter(site, variant)
    converted = dataclasses.replace(issue, pages=[])
    copies: dict[int, Article] = {}
    for page in issue.pages:
        page_copy = dataclasses.replace(
            page, name=site_converter.text(page.name), editor=site_converter.optional(page.editor), articles=[], issue=converted
        )
        for article in page.articles:
            converter = site_converter
            if article.glossary:
                converter = Converter(variant.opencc, glossary_for(variant, site.glossary, article.glossary))
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
    twin = copy.copy(token)
    twin.attrs = dict(token.attrs)
    if token.children:
        twin.children = [_copy_token(child) for child in token.children]
    return twin


def localize(edition: Edition, variant: Variant) -> Edition:
    """The whole edition in `variant`'s script (for tests and tools; the build goes issue by issue)."""
    issues = [localize_issue(issue, edition.site, variant) for issue in edition.issues]
    return Edition(localize_site(edition.site, variant), issues)


def _site_converter(site: Site, variant: Variant) -> Converter:
    assert variant.opencc is not None
    return Converter(variant.opencc, glossary_for(variant, site.glossary))


def convert_article(article: Article, converter: Converter, page: Page) -> Article:
    """A copy of the article on `page` (a converted page), its reader-visible text converted."""
    fields = [article.title, article.kicker, article.subtitle]
    texts = [t for t in fields if t is not None] + list(article.authors) + list(article.photographers)
    converted = iter(run[0] for run in converter.many([[t] for t in texts]))
    title, kicker, subtitle = (None if t is None else next(converted) for t in fields)
    return dataclasses.replace(
        article,
        page=page,
        jump_in=None,
        jump_out=None,
        title=title,
        kicker=kicker,
        subtitle=subtitle,
        authors=tuple(next(converted) for _ in article.authors),
        photographers=tuple(next(converted) for _ in article.photographers),
        body=ConvertedBody(article.body, converter),
    )


def _convert_tokens(tokens: Sequence[Token], converter: Converter) -> None:
    runs = body.text_runs(tokens)
    for run, texts in zip(runs, converter.many([[t.content for t in run] for run in runs]), strict=True):
        for token, text in zip(run, texts, strict=True):
            token.content = text
    for token in tokens:
        for child in token.children or []:
            if child.type in ("image", "link_open") and child.attrs.get("title"):
                child.attrs["title"] = converter.text(str(child.attrs["title"]))
