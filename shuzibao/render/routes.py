"""Routes: every page of the site, as a typed description of what its template shows.

A route is a page's address and the values its template gets, as the fields of a dataclass.
Each field says what the template shows of its value (`shows(...)`): an article page shows its
story whole and only the headlines of its neighbours, a page (版) only the labels of the pages
before and after it. The page's key, what a cached build compares to know whether the page
changed (build/page_keys.py), is made from the same fields, so a field a template is given
cannot be left out of its key. What every page shows (the site, the templates, the theme) is
the build cache's environment instead.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, TypeVar

from .. import urls
from ..model import Article, Edition, Issue, Page, Site, Variant
from ..scripts.site_words import words_for
from ..search import page_data
from . import sitemap

# The theme files a page read offline uses (not search.js: search needs the network; not the
# preview's area picker; not the sharing card, which only other sites fetch).
OFFLINE_THEME = ("site.css", "favicon.svg", "reader.js", "viewer.js", "offline.js", "listen.js")
# What the service worker keeps from the start: those, and search.js, so that a search page read
# before says offline that search needs the network (its index is never kept).
WORKER_THEME = (*OFFLINE_THEME, "search.js")

T = TypeVar("T")


def shows(key: Callable[[Any], Hashable]) -> Any:
    """A route field whose template shows `key(value)` of its value."""
    return field(metadata={"key": key})


@dataclass(frozen=True)
class Route:
    path: str  # output path, the variant's prefix included
    template: ClassVar[str]
    listed: ClassVar[bool] = False  # the sitemap lists it

    def context(self) -> dict[str, Any]:
        """What the template is given: the route's fields."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "path"}

    def key(self) -> Hashable:
        """Everything the template shows, beyond the site, templates and theme."""
        shown = []
        for f in fields(self):
            if f.name != "path":
                if "key" not in f.metadata:
                    raise TypeError(f"{type(self).__name__}.{f.name}: a route field must say what its page shows of it, with shows()")
                shown.append(f.metadata["key"](getattr(self, f.name)))
        return (type(self).__name__, *shown)


# --- what a template shows of a value -----------------------------------------------------------


def as_is(value: Hashable) -> Hashable:
    return value


def as_tuple(values: Sequence[Any]) -> Hashable:
    return tuple(values)


def _ref(article: Article | None) -> Hashable:
    return None if article is None else (article.page.label, article.slug)


def teaser(article: Article | None) -> Hashable:
    """What a listing, or a neighbour's link, shows of an article."""
    if article is None:
        return None
    jumps = (_ref(article.jump_in.source) if article.jump_in else None, _ref(article.jump_out.target) if article.jump_out else None)
    return (article.path, article.kicker, article.headline, article.subtitle, article.authors, article.photographers, article.draft, article.area, jumps)


def frame(issue: Issue) -> Hashable:
    """What every page of an issue shows of it: its date, number and page strip, and the pages'
    scans and PDFs (the page grid shows the scans; a scan's digest names its copies)."""
    return (issue.date, issue.number, tuple((p.label, p.name, p.editor, p.scan and (p.scan.name, p.scan.digest), p.pdf) for p in issue.pages))


def listing(issue: Issue) -> Hashable:
    """The issue page: the frame and every page's articles."""
    return (frame(issue), tuple(tuple(teaser(a) for a in p.articles) for p in issue.pages))


def whole_issue(issue: Issue) -> Hashable:
    """The issue's open data: the frame and every article whole."""
    return (frame(issue), tuple((teaser(a), a.digest) for a in issue.articles()))


def date_of(issue: Issue | None) -> Hashable:
    return None if issue is None else issue.date


def label_of(page: Page | None) -> Hashable:
    return None if page is None else page.label


def page_listing(page: Page) -> Hashable:
    return (page.label, tuple(teaser(a) for a in page.articles))


def photos(article: Article) -> Hashable:
    """The digests of the photos an article shows: their copies' names carry them."""
    shown = article.page.photos
    return tuple((name, shown[name].digest) for name in article.images if name in shown)


def clip_of(article: Article) -> Hashable:
    """The digest of the article's clip (剪报): its files' names carry it."""
    return article.clip.digest if article.clip else None


def whole_story(article: Article) -> Hashable:
    """An article page: the article, and every part of its story whole, with its page, photos and clip."""
    return (teaser(article), tuple((p.digest, p.page.label, p.page.name, teaser(p), photos(p), clip_of(p)) for p in article.story))


def offline_files(issue: Issue) -> Hashable:
    """The issue's list of files to read it offline: every page of the issue shows nothing beyond
    the whole issue, its photos and clips (and the neighbours' dates, fields of their own), so
    this is also what the sizes of those pages depend on."""
    return (whole_issue(issue), tuple((photos(a), clip_of(a)) for a in issue.articles()))


# --- the routes ----------------------------------------------------------------------------------


@dataclass
class Day:
    day: int
    issue: Issue | None


@dataclass
class Month:
    year: int
    month: int
    weeks: list[list[Day | None]]
    issues: list[Issue]


@dataclass
class Year:
    year: int
    months: list[Month]


def calendar_days(year: Year) -> Hashable:
    return (year.year, tuple((m.month, tuple(i.date for i in m.issues)) for m in year.months))


@dataclass(frozen=True)
class ArchiveRoute(Route):
    """A year of the archive: its months' calendars, the list of every year, and the latest issue
    marked when it is in this year. archive/index.html is the latest year's; a page of the
    archive holds at most twelve calendars, however long the archive grows."""

    template = "archive.html"
    year: Year | None = shows(lambda y: None if y is None else calendar_days(y))  # None: no issue yet
    years: list[int] = shows(as_tuple)  # newest first
    latest: Issue | None = shows(date_of)  # only when it is in this year


@dataclass(frozen=True)
class SearchRoute(Route):
    template = "search.html"
    phrases: str = shows(as_is)  # JSON: glossary forms -> source phrases
    scope: str = shows(as_is)  # JSON: the shards and the pages to filter by
    newest: str | None = shows(as_is)  # the newest shard, fetched as the page opens: most searches start there


@dataclass(frozen=True)
class EmptyHomeRoute(Route):
    """The home page of an edition with no issue yet."""

    template = "home.html"
    issue: None = shows(as_is)


@dataclass(frozen=True)
class NotFoundRoute(Route):
    template = "404.html"
    known: list[str] = shows(as_tuple)  # the site's own top folders, the only ones a base is made of


@dataclass(frozen=True)
class RobotsRoute(Route):
    template = "robots.txt"


@dataclass(frozen=True)
class SitemapIndexRoute(Route):
    template = "sitemap-index.xml"
    parts: list[tuple[str | None, Any]] = shows(as_tuple)  # (part name, its newest day)


@dataclass(frozen=True)
class SitemapRoute(Route):
    template = "sitemap.xml"
    part: sitemap.Part = shows(sitemap.Part.key)


@dataclass(frozen=True)
class IssueRoute(Route):
    template = "issue.html"
    listed = True
    issue: Issue = shows(listing)
    prev_issue: Issue | None = shows(date_of)
    next_issue: Issue | None = shows(date_of)


@dataclass(frozen=True)
class PageRoute(Route):
    template = "page.html"
    listed = True
    issue: Issue = shows(frame)
    prev_issue: Issue | None = shows(date_of)
    next_issue: Issue | None = shows(date_of)
    page: Page = shows(page_listing)
    prev_page: Page | None = shows(label_of)
    next_page: Page | None = shows(label_of)


@dataclass(frozen=True)
class HomeRoute(PageRoute):
    """The home page: the latest issue's first page."""

    template = "home.html"


@dataclass(frozen=True)
class ArticleRoute(Route):
    template = "article.html"
    listed = True
    issue: Issue = shows(frame)
    prev_issue: Issue | None = shows(date_of)
    next_issue: Issue | None = shows(date_of)
    page: Page = shows(label_of)  # its name and scan are in the frame
    article: Article = shows(whole_story)
    prev_article: Article | None = shows(teaser)
    next_article: Article | None = shows(teaser)


@dataclass(frozen=True)
class MovedRoute(Route):
    """An old address of a moved article: a redirect to where it is now."""

    template = "moved.html"
    article: Article = shows(teaser)


@dataclass(frozen=True)
class OfflineListRoute(Route):
    """The files a reader saves to read the issue offline, with their sizes (render/offline.py):
    its pages in the script, the home page while it is the latest, the copies of its scans,
    photos and clips a phone uses, and the theme. Written by the worker once the issue's pages
    are (their sizes are in it), so it is not among issue_routes."""

    template = "offline.json"
    issue: Issue = shows(offline_files)
    prev_issue: Issue | None = shows(date_of)
    next_issue: Issue | None = shows(date_of)  # None: the latest issue, whose list holds the home page


@dataclass(frozen=True)
class OfflinePageRoute(Route):
    """The page the service worker shows for a page not saved, which also lists the saved issues."""

    template = "offline.html"


@dataclass(frozen=True)
class WorkerRoute(Route):
    """The service worker (theme/offline-worker.js, with what it keeps of the site from the start:
    each script's offline page, each script's search page (so that offline it says search needs
    the network) and the theme)."""

    template = "sw.js"
    offline_pages: tuple[str, ...] = shows(as_tuple)
    search_pages: tuple[str, ...] = shows(as_tuple)
    theme: tuple[str, ...] = shows(as_tuple)  # the theme files a saved page uses (render/offline.py), and search.js


@dataclass(frozen=True)
class IssueDataRoute(Route):
    """The issue as open data (opendata.py), every article whole and no neighbours."""

    template = "issue.json"
    issue: Issue = shows(whole_issue)


@dataclass
class Catalogue:
    """What the pages about the whole archive show of it, gathered from the issues' records
    without keeping the issues."""

    issues: list[Issue]  # oldest first; only their dates are read
    glossaries: list[dict[str, dict[str, str]]]  # the site's, then every article's own
    scripts: int  # how many the site is published in: a sitemap address names each script's page
    months: set[str] = field(default_factory=set)  # months with stories to search: the index's shards
    labels: set[str] = field(default_factory=set)  # every page label shown in the archive
    listed: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)  # issue folder -> its pages for the sitemap, and their digest
    # Made once a build, not for the keys and again for each script: at ten years the calendar
    # and the sitemap's 270,000 addresses took a quarter of a preview's save.
    @functools.cached_property
    def years(self) -> list[Year]:
        return archive_years(self.issues)

    @functools.cached_property
    def sitemap_parts(self) -> list[sitemap.Part]:
        return sitemap.parts(sitemap.listings(self.issues, self.listed), self.scripts)


def archive_years(issues: list[Issue]) -> list[Year]:
    """Every issue by year and month, newest first, each month as a calendar (Monday first)."""
    by_month: dict[tuple[int, int], list[Issue]] = {}
    for issue in issues:
        by_month.setdefault((issue.date.year, issue.date.month), []).append(issue)
    years: dict[int, Year] = {}
    for (year, month), in_month in sorted(by_month.items(), reverse=True):
        on_day = {i.date.day: i for i in in_month}
        weeks = [[Day(d, on_day.get(d)) if d else None for d in week] for week in calendar.Calendar().monthdayscalendar(year, month)]
        years.setdefault(year, Year(year, [])).months.append(Month(year, month, weeks, in_month))
    return list(years.values())


def archive_routes(issues: list[Issue], years: list[Year], variant: Variant) -> Iterator[ArchiveRoute]:
    """A page per year of the archive (`years`, its calendar), and archive/index.html: the latest
    year's page again, so that the archive's old address keeps working and opens on this year."""
    numbers = [y.year for y in years]
    latest = issues[-1] if issues else None
    for year in years:
        shown_latest = latest if latest is not None and latest.date.year == year.year else None
        if year is years[0]:
            yield ArchiveRoute(urls.archive(variant), year, numbers, shown_latest)
        yield ArchiveRoute(urls.archive_year(variant, year.year), year, numbers, shown_latest)
    if not years:
        yield ArchiveRoute(urls.archive(variant), None, [], None)


def neighbours(items: Sequence[T], index: int) -> tuple[T | None, T | None]:
    return (items[index - 1] if index > 0 else None, items[index + 1] if index + 1 < len(items) else None)


def site_routes(catalogue: Catalogue, site: Site, variant: Variant) -> Iterator[Route]:
    """The pages about the whole archive; and, once for all scripts, the files about the whole
    site (the 404 page, robots.txt and, with base_url, the sitemap)."""
    words = words_for(variant)
    yield from archive_routes(catalogue.issues, catalogue.years, variant)
    phrases = page_data.glossary_phrases(catalogue.glossaries, variant)
    yield SearchRoute(urls.search(variant), phrases, page_data.scope(catalogue.months, catalogue.labels, words), max(catalogue.months, default=None))
    if not catalogue.issues:
        yield EmptyHomeRoute(urls.home(variant), None)
    yield NotFoundRoute(variant.prefix + urls.NOT_FOUND, sorted(urls.site_folders(site)))
    yield OfflinePageRoute(urls.offline_page(variant))
    if variant is not site.source:
        return
    yield RobotsRoute(urls.ROBOTS)
    yield WorkerRoute(urls.WORKER, tuple(urls.offline_page(v) for v in site.variants), tuple(urls.search(v) for v in site.variants), WORKER_THEME)
    if site.base_url:
        parts = catalogue.sitemap_parts
        if [part.name for part in parts] != [None]:
            yield SitemapIndexRoute(urls.sitemap(), [(part.name, part.newest) for part in parts])
        for part in parts:
            yield SitemapRoute(urls.sitemap(part.name), part)


def issue_routes(edition: Edition, index: int, shown: Issue, variant: Variant) -> Iterator[Route]:
    """The pages of one issue, from its copy in the variant's script; the home page if it is the latest."""
    prev_issue, next_issue = neighbours(edition.issues, index)
    yield IssueRoute(urls.issue(variant, shown), shown, prev_issue, next_issue)
    for j, page in enumerate(shown.pages):
        prev_page, next_page = neighbours(shown.pages, j)
        yield PageRoute(urls.page(variant, page), shown, prev_issue, next_issue, page, prev_page, next_page)
        if index == len(edition.issues) - 1 and j == 0:  # the home page is the latest issue's first page
            yield HomeRoute(urls.home(variant), shown, prev_issue, next_issue, page, prev_page, next_page)
    in_order = list(shown.articles())
    for k, article in enumerate(in_order):
        prev_article, next_article = neighbours(in_order, k)
        yield ArticleRoute(urls.article(variant, article), shown, prev_issue, next_issue, article.page, article, prev_article, next_article)
        for ref in article.moved_from:
            yield MovedRoute(urls.moved(variant, shown, ref), article)
    yield IssueDataRoute(urls.issue_data(variant, shown), shown)


def offline_list_route(edition: Edition, index: int, shown: Issue, variant: Variant) -> OfflineListRoute:
    """The issue's list of files to read it offline, from its copy in the variant's script."""
    prev_issue, next_issue = neighbours(edition.issues, index)
    return OfflineListRoute(urls.offline_list(variant, shown), shown, prev_issue, next_issue)
