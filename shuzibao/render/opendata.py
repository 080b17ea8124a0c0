"""Open data: every issue also as issue.json, for libraries and apps that reuse the edition.

One file per issue and script (`2021-12-10/issue.json`, `zh-hant/2021-12-10/issue.json`): the
issue, its pages (with the scan and PDF), each page's articles in reading order with their
headings, bylines, area on the scan, jumps, old addresses and text, both as paragraphs and as
the HTML the site shows. Every address in it is relative to the file itself. The format is
described in the README and versioned by its "format" field.
"""

from __future__ import annotations

import functools
import json
import urllib.parse
from typing import Any

from ..model import Article, Issue, Page, Site, Variant
from ..urls import Links
from . import story_html
from .story_parts import StoryParts

FORMAT = "shuzibao-issue/1"


def issue_json(issue: Issue, site: Site, variant: Variant, links: Links, parts: StoryParts) -> bytes:
    """The issue's open data; each article's entry is kept in `parts` (the preview rewrites the
    file for every story saved, and converts and renders only that story again)."""
    data = {
        "format": FORMAT,
        "paper": site.title,
        "language": variant.code,
        "date": issue.date.isoformat(),
        "number": issue.number,
        "url": links.issue(issue),
        "pages": [_page(page, links, parts) for page in issue.pages],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _page(page: Page, links: Links, parts: StoryParts) -> dict[str, Any]:
    scan, pdf = page.scan, page.pdf
    return {
        "label": page.label,
        "shown": page.shown,
        "name": page.name,
        "editor": page.editor,
        "url": links.page(page),
        "scan": {"url": links.page_file(page, scan.name), "width": scan.width, "height": scan.height, "bytes": scan.size} if scan else None,
        "pdf": {"url": links.page_file(page, pdf.name), "bytes": pdf.size} if pdf else None,
        "articles": [parts.get(page.issue.folder, _key(article, links), functools.partial(_article, article, links, parts)) for article in page.articles],
    }


def _ref(article: Article | None) -> str | None:
    return None if article is None else f"{article.page.label}/{article.slug}"


def _key(article: Article, links: Links) -> tuple[str, ...]:
    """What an article's entry is made of, beyond the site: its file, its jumps, and the script."""
    jumps = (_ref(article.jump_in.source if article.jump_in else None), _ref(article.jump_out.target if article.jump_out else None))
    return ("issue.json", links.variant.code, article.path, article.digest, *(ref or "" for ref in jumps))


def _article(article: Article, links: Links, parts: StoryParts) -> dict[str, Any]:
    return {
        "slug": article.slug,
        "url": links.article(article),
        "title": article.title,
        "headline": article.headline,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "authors": list(article.authors),
        "photographers": list(article.photographers),
        "area": [list(point) for point in article.area] if article.area else None,
        "continues": _ref(article.jump_in.source if article.jump_in else None),
        "continued_on": _ref(article.jump_out.target if article.jump_out else None),
        "moved_from": list(article.moved_from),
        "paragraphs": story_html.paragraphs(article.body),
        "html": parts.body(article, links.variant.code, 2, lambda: story_html.render(article.body, lambda src: links.page_file(article.page, urllib.parse.unquote(src)))),
    }
