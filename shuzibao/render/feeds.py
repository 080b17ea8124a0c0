"""Feeds: the latest issues' stories, whole, as Atom and as RSS 2.0, in every script.

A feed names its stories by their full addresses, so feeds are made only with base_url. They
hold the stories of the latest ISSUES issues, newest issue first, in page order: a reader who
misses a day or two misses nothing. Each story is whole (its continuations on other pages
joined on), with its images at full addresses.

The worker that renders one of the latest issues also makes its stories for the feeds
(`stories`), which the build keeps in the issue's record; the feeds are made from those records,
so nothing is read or checked again to make them.
"""

from __future__ import annotations

import datetime as dt
import functools
import urllib.parse
from dataclasses import dataclass

from markupsafe import escape

from .. import urls
from ..model import Article, Issue, Page, Site, Variant
from ..scripts.site_words import Words
from . import story_html
from .story_parts import StoryParts

ISSUES = 3
BEIJING = dt.timezone(dt.timedelta(hours=8))  # an issue is dated from midnight where it is printed
KINDS = ("atom", "rss")  # each a template, atom.xml and rss.xml, and a file (urls.feed)


@dataclass(frozen=True)
class FeedStory:
    """What a feed shows of one story, in one script."""

    issue: str  # its issue's folder
    path: str  # the article's output path in its script
    headline: str
    authors: tuple[str, ...]
    page_shown: str  # the page's label as readers see it
    page_name: str
    published: dt.datetime
    summary: str
    html: str  # the whole story, every address in it full


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=BEIJING)


def stories(issue: Issue, site: Site, variant: Variant, words: Words, parts: StoryParts) -> tuple[FeedStory, ...]:
    """Each story of one issue (in `variant`'s script) once, by its head part, in page order;
    each kept in `parts`, by what it is made of (every part's file and page)."""
    return tuple(
        parts.get(issue.folder, ("feed", variant.code, *((p.path, p.digest, p.page.shown, p.page.name) for p in article.story)), functools.partial(story, article, site, variant, words))
        for article in issue.articles()
        if not article.is_continuation
    )


def story(article: Article, site: Site, variant: Variant, words: Words) -> FeedStory:
    return FeedStory(
        issue=article.page.issue.folder,
        path=urls.article(variant, article),
        headline=article.headline,
        authors=article.authors,
        page_shown=article.page.shown,
        page_name=article.page.name,
        published=midnight(article.page.issue.date),
        summary=story_html.summary(article.body),
        html=whole_story(article, urls.Links(urls.article(variant, article), variant, base_url=site.base_url), words),
    )


def whole_story(article: Article, links: urls.Links, words: Words) -> str:
    """The whole story as HTML with full addresses: the head part, then each continuation under
    its page (the feed reader has no page to link to for the rest)."""
    html = []
    for number, part in enumerate(article.story):
        if number:
            html.append(f"<h2>{escape(words.page(part.page.shown))} {escape(part.page.name)}（{escape(words['continued'])}）</h2>")
        html.append(story_html.render(part.body, functools.partial(_image_address, links, part.page)))
    return "\n".join(html)


def _image_address(links: urls.Links, page: Page, src: str) -> str:
    return links.absolute(urls.page_file_url(page, urllib.parse.unquote(src))) or src
