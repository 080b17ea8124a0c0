"""The documents Pagefind indexes: every occurrence found, in either script.

Pagefind's standard binary treats a run of Han characters as one word, so each article is indexed
from a copy in which every Han character stands alone; the browser spaces the query the same way
and asks for the exact phrase. Measured: recall and precision 1.00 (see shared notes).

One index serves every script: it holds the *source* text, so a query typed in any script,
folded to the source script (page_data.py), finds the same articles on every site; what readers
see (title, date, page, excerpt) is each script's own text, kept beside it as metadata named by
the script (title.zh-Hant). The text is indexed once, not once per script. A story split over
pages is indexed once, at its head, whole.

The index is sharded by month: one Pagefind bundle per month (at most 31 issues, about 2,000
stories), so that Pagefind's memory (0.1 to 0.3 MB a page) is bounded by the shard, not the
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

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
WORDS = re.compile(rf"[{_HAN}]|[^\W_{_HAN}]+")  # a Han character, or a run of other letters and digits


def shard_of(path: str) -> str:
    """The month an issue folder or a page path belongs to: 2021-12-10/01/x.html -> 2021-12."""
    return path[:7]


def spaced(text: str) -> str:
    """Words as the index and the query both see them: every Han character alone, runs of letters
    and digits kept, everything else a gap. 数据中心 -> 数 据 中 心; “1+3+N” -> 1 3 N; PM2.5 -> PM2 5.

    Pagefind's own handling of punctuation differs between index and query (1+3+N is found by
    neither form), so neither side leaves it any."""
    return " ".join(WORDS.findall(text))


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


def field(name: str, variant: Variant) -> str:
    """A story's metadata in one script: title.zh-Hant (search.js reads the same names)."""
    return f"{name}.{variant.code}"


def index_document(source: Article, shown: list[tuple[Variant, Article, Words]]) -> str:
    """The page Pagefind reads for one story: the source text spaced, every script's title, date,
    page and text as metadata, the page numbers as the filter."""
    page, issue = source.page, source.page.issue
    meta: dict[str, str] = {}
    for variant, article, words in shown:
        meta[field("title", variant)] = article.headline
        meta[field("date", variant)] = words.date(issue.date)
        meta[field("page", variant)] = f"{words.page(article.page.shown)} {article.page.name}"
        meta[field("text", variant)] = run_on(story_text(article, headings=False))  # for the excerpt, which sits under the title
    filters = [("page", part.page.shown) for part in source.story]  # every page the story is on; each script says 第3版 its way
    # Sorted descending: the newest day first, and within a day the paper's own order.
    sort_key = f"{issue.folder}/{999 - issue.pages.index(page):03d}/{999 - page.articles.index(source):03d}"
    meta["key"] = sort_key
    head = [f'<meta data-pagefind-meta="{k}[content]" content="{escape(v)}">' for k, v in meta.items()]
    head += [f'<meta data-pagefind-filter="{k}[content]" content="{escape(v)}">' for k, v in filters]
    head.append(f'<meta data-pagefind-sort="date[content]" content="{sort_key}">')
    return (
        f'<!doctype html><html lang="{shown[0][0].code}"><head><meta charset="utf-8">{"".join(head)}</head>'
        f"<body><main data-pagefind-body>{escape(spaced(story_text(source)))}</main></body></html>"
    )


def index_documents(source: Issue, shown: list[tuple[Variant, Issue, Words]], only: set[str] | None = None) -> Iterator[tuple[str, bytes]]:
    """Pagefind's input for one issue, every script in one document per story: `month/page path`
    (the page's path without a script's prefix, in its shard's folder); with `only`, just the
    stories whose page paths are in it."""
    copies = [(variant, {a.path: a for a in heads(issue)}, words) for variant, issue, words in shown]
    for article in heads(source):
        path = urls.article(shown[0][0], article).removeprefix(shown[0][0].prefix)
        if only is None or path in only:
            document = index_document(article, [(variant, by_path[article.path], words) for variant, by_path, words in copies])
            yield f"{shard_of(path)}/{path}", document.encode("utf-8")
