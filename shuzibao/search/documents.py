"""The documents Pagefind indexes: every occurrence found, in either script.

Pagefind's standard binary treats a run of Han characters as one word, so each article is indexed
from a copy in which every Han character stands alone; the browser spaces the query the same way
and asks for the exact phrase. Measured: recall and precision 1.00 (see shared notes).

Every script's index holds the *source* text, so a query typed in either script, folded to the
source script (page_data.py), finds the same articles on every site. What readers see (title,
excerpt) comes from the variant's own text, kept in the index as metadata. A story split over
pages is indexed once, at its head, whole.

The index is sharded by month: one Pagefind bundle per script per month (at most 31 issues, about
2,000 stories), so that Pagefind's memory (0.1 to 0.3 MB a page) is bounded by the shard, not the
archive, and a new issue re-indexes only its month. The search page asks the shards newest first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape

from .. import urls
from ..content import article_body as body
from ..model import Article, Edition, Issue, Variant
from ..scripts.site_words import Words

HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f])")
_NOT_HAN_WORD = r"[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
LETTERS_APART = re.compile(rf"(?<={_NOT_HAN_WORD}) (?={_NOT_HAN_WORD})")  # a space inside a Latin word or number


def shard_of(path: str) -> str:
    """The month an issue folder or a page path belongs to: 2021-12-10/01/x.html -> 2021-12."""
    return path[:7]


def spaced(text: str) -> str:
    """Words as the index and the query both see them: every Han character alone, runs of letters
    and digits kept, everything else a gap. 数据中心 -> 数 据 中 心; “1+3+N” -> 1 3 N; PM2.5 -> PM2 5.

    Pagefind's own handling of punctuation differs between index and query (1+3+N is found by
    neither form), so neither side leaves it any."""
    every_char_apart = " ".join(re.sub(r"[\W_]+", " ", text))
    return " ".join(LETTERS_APART.sub("", every_char_apart).split())


def story_text(article: Article, headings: bool = True) -> str:
    """What a reader can find an article by: its headings and bylines, and the whole story's text."""
    head = article.head
    lines = [head.kicker or "", head.headline, head.subtitle or "", "、".join(head.authors + head.photographers)] if headings else []
    for part in head.story:
        lines += [" ".join(t.content for t in run) for run in body.text_runs(part.body)]
    return "\n".join(line for line in lines if line)


def run_on(text: str) -> str:
    """Paragraphs joined as Chinese runs them on in a summary: no space, unless between Latin words."""
    return re.sub(r"(?<=[A-Za-z0-9])\n(?=[A-Za-z0-9])", " ", text).replace("\n", "")


def heads(edition: Edition | Issue) -> Iterator[Article]:
    for article in edition.articles():
        if not article.is_continuation:
            yield article


def index_document(source: Article, shown: Article, variant: Variant, words: Words) -> str:
    """The page Pagefind reads for one story: the source text spaced, the variant's text as metadata."""
    page, issue = shown.page, shown.page.issue
    meta = {
        "title": shown.headline,
        "date": words.date(issue.date),
        "page": f"{words.page(page.shown)} {page.name}",
        "text": run_on(story_text(shown, headings=False)),  # for the excerpt, which sits under the title
    }
    filters = [("page", words.page(part.page.shown)) for part in shown.story]  # every page the story is on
    # Sorted descending: the newest day first, and within a day the paper's own order.
    sort_key = f"{issue.folder}/{999 - issue.pages.index(page):03d}/{999 - page.articles.index(shown):03d}"
    meta["key"] = sort_key
    head = [f'<meta data-pagefind-meta="{k}[content]" content="{escape(v)}">' for k, v in meta.items()]
    head += [f'<meta data-pagefind-filter="{k}[content]" content="{escape(v)}">' for k, v in filters]
    head.append(f'<meta data-pagefind-sort="date[content]" content="{sort_key}">')
    return (
        f'<!doctype html><html lang="{variant.code}"><head><meta charset="utf-8">{"".join(head)}</head>'
        f"<body><main data-pagefind-body>{escape(spaced(story_text(source)))}</main></body></html>"
    )


def index_documents(source: Issue, shown: Issue, variant: Variant, words: Words, only: set[str] | None = None) -> Iterator[tuple[str, bytes]]:
    """Pagefind's input for one script: `month/page path` (the page's path without the prefix,
    in its shard's folder); with `only`, just the stories whose page paths are in it."""
    by_path = {a.path: a for a in heads(source)}
    for article in heads(shown):
        path = urls.article(variant, article).removeprefix(variant.prefix)
        if only is None or path in only:
            yield f"{shard_of(path)}/{path}", index_document(by_path[article.path], article, variant, words).encode("utf-8")


