"""Feeds: the latest issues' stories, whole, as Atom and as RSS 2.0, in every script.

A feed names its stories by their full addresses, so feeds are made only with base_url. They
hold the stories of the latest ISSUES issues, newest issue first, in page order: a reader who
misses a day or two misses nothing. Each story is whole (its continuations on other pages
joined on), with its images at full addresses. The build reads those issues again for the
feeds, in the main process, only when one of them (or the list of issues) changed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from markupsafe import escape

from .. import urls
from ..content import article_body as body
from ..content import load, validate
from ..faults import Faults
from ..model import Article, Edition, Site
from ..scripts.site_words import Words

ISSUES = 3
BEIJING = dt.timezone(dt.timedelta(hours=8))  # an issue is dated from midnight where it is printed
KINDS = ("atom", "rss")


def latest(content: Path, site: Site, folders: list[str], drafts: bool, faults: Faults) -> Edition:
    """The latest issues, read and checked again (they were checked when they were built)."""
    issues = [load.load_issue(content, folder, site, faults) for folder in folders[-ISSUES:]]
    for issue in issues:
        if issue is not None:
            validate.check_issue(issue, drafts, faults)
    return Edition(site, [issue for issue in issues if issue is not None])


def stories(edition: Edition) -> list[Article]:
    """Each story once, by its head part: newest issue first, then in page order."""
    return [a for issue in reversed(edition.issues) for a in issue.articles() if not a.is_continuation]


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=BEIJING)


def published(article: Article) -> dt.datetime:
    return midnight(article.page.issue.date)


def story_html(article: Article, links: urls.Links, words: Words) -> str:
    """The whole story as HTML with full addresses: the head part, then each continuation under
    its page (the feed reader has no page to link to for the rest)."""
    html = []
    for number, part in enumerate(article.story):
        if number:
            html.append(f"<h2>{escape(words.page(part.page.shown))} {escape(part.page.name)}（{escape(words['continued'])}）</h2>")
        html.append(body.render(part.body, lambda src, page=part.page: links.absolute(urls.page_file(page, src)) or src))
    return "\n".join(html)
