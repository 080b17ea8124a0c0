"""Render the edition: every page of every script, as (output path, bytes), one page at a time.

Routes say which pages exist and what each shows; templates turn a route into HTML. Nothing is
written here, so a template fault never leaves a half-written site.
"""

from __future__ import annotations

import calendar
import email.utils
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, NamedTuple

import jinja2
from markupsafe import Markup

from .. import urls
from ..content import article_body as body
from ..content import scans
from ..search import documents as search
from . import feeds, opendata, sitemap, structured
from ..scripts.conversion import localize_issue, localize_site
from ..faults import Fault
from ..model import Article, Edition, Issue, Page, Site, Variant
from ..scripts.site_words import Words, words_for


class Output(NamedTuple):
    kind: str  # "page": a file of the site; "search": a document for the search index
    path: str
    data: bytes


@dataclass
class Plan:
    """Which pages to render: all of them, or those named (by path, the script's prefix left off)."""

    paths: set[str] | None = None

    def wants(self, path: str, variant: Variant) -> bool:
        return self.paths is None or path.removeprefix(variant.prefix) in self.paths


@dataclass
class Route:
    path: str  # output path, the variant's prefix included
    template: str
    context: dict[str, Any] = field(default_factory=dict)


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


@dataclass
class Catalogue:
    """What the pages about the whole archive show of it, gathered from the issues' records
    without keeping the issues."""

    issues: list[Issue]  # oldest first; only their dates are read
    glossaries: list[dict[str, dict[str, str]]]  # the site's, then every article's own
    months: set[str] = field(default_factory=set)  # months with stories to search: the index's shards
    labels: set[str] = field(default_factory=set)  # every page label shown in the archive
    listed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # issue folder -> its pages for the sitemap


def archive_years(issues: list[Issue]) -> list[Year]:
    """Every issue by year and month, newest first, each month as a calendar (Monday first)."""
    by_month: dict[tuple[int, int], list[Issue]] = {}
    for issue in issues:
        by_month.setdefault((issue.date.year, issue.date.month), []).append(issue)
    years: dict[int, Year] = {}
    for (year, month), issues in sorted(by_month.items(), reverse=True):
        on_day = {i.date.day: i for i in issues}
        weeks = [[Day(d, on_day.get(d)) if d else None for d in week] for week in calendar.Calendar().monthdayscalendar(year, month)]
        years.setdefault(year, Year(year, [])).months.append(Month(year, month, weeks, issues))
    return list(years.values())


def neighbours(items: list[Any], index: int) -> tuple[Any, Any]:
    return (items[index - 1] if index > 0 else None, items[index + 1] if index + 1 < len(items) else None)


def site_routes(catalogue: Catalogue, site: Site, variant: Variant) -> Iterator[Route]:
    """The pages about the whole archive; and, once for all scripts, the files about the whole
    site (the 404 page, robots.txt and, with base_url, the sitemap)."""
    words = words_for(variant)
    yield Route(urls.archive(variant), "archive.html", {"years": archive_years(catalogue.issues)})
    search_page = {"phrases": search.glossary_phrases(catalogue.glossaries, variant), "scope": search.scope(catalogue.months, catalogue.labels, words)}
    yield Route(urls.search(variant), "search.html", search_page)
    if not catalogue.issues:
        yield Route(urls.home(variant), "home.html", {"issue": None})
    known = sorted({"archive", "search", "theme", "pagefind", "sitemaps", *(v.prefix.strip("/") for v in site.variants[1:])})
    yield Route(variant.prefix + urls.NOT_FOUND, "404.html", {"known": known})
    if variant is not site.source:
        return
    yield Route(urls.ROBOTS, "robots.txt", {})
    if site.base_url:
        parts = sitemap.parts(sitemap.entries(catalogue.issues, catalogue.listed), len(site.variants))
        if list(parts) != [None]:
            yield Route(urls.sitemap(), "sitemap-index.xml", {"parts": [(name, max(e.day for e in entries)) for name, entries in parts.items()]})
        for name, entries in parts.items():
            yield Route(urls.sitemap(name), "sitemap.xml", {"entries": entries})


LISTED = {"issue.html", "page.html", "home.html", "article.html"}  # what the sitemap lists of an issue


def issue_routes(edition: Edition, index: int, shown: Issue, variant: Variant) -> Iterator[Route]:
    """The pages of one issue, from its copy in the variant's script; the home page if it is the latest."""
    prev_issue, next_issue = neighbours(edition.issues, index)
    around = {"issue": shown, "prev_issue": prev_issue, "next_issue": next_issue}
    yield Route(urls.issue(variant, shown), "issue.html", around)
    for j, page in enumerate(shown.pages):
        prev_page, next_page = neighbours(shown.pages, j)
        context = {**around, "page": page, "prev_page": prev_page, "next_page": next_page}
        yield Route(urls.page(variant, page), "page.html", context)
        if index == len(edition.issues) - 1 and j == 0:  # the home page is the latest issue's first page
            yield Route(urls.home(variant), "home.html", context)
    in_order = list(shown.articles())
    for k, article in enumerate(in_order):
        prev_article, next_article = neighbours(in_order, k)
        context = {**around, "page": article.page, "article": article, "prev_article": prev_article, "next_article": next_article}
        yield Route(urls.article(variant, article), "article.html", context)
        for ref in article.moved_from:
            yield Route(urls.moved(variant, shown, ref), "moved.html", {"issue": shown, "page": article.page, "article": article})
    yield Route(urls.issue_data(variant, shown), "issue.json", around)


def make_environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}  # JSON-LD as it reads
    return env


@dataclass
class Renderer:
    env: jinja2.Environment
    theme_versions: dict[str, str]  # theme file -> content hash, so browsers never keep a stale CSS
    preview: bool = False
    sites: dict[tuple[int, str], tuple[Site, Site]] = field(default_factory=dict)

    def localized(self, site: Site, variant: Variant) -> Site:
        """The site's settings in a script, converted once per build (a Renderer serves one site)."""
        key = (id(site), variant.code)
        if key not in self.sites:
            self.sites[key] = (site, localize_site(site, variant))  # the site itself kept, so its id stays its own
        return self.sites[key][1]

    def compile_templates(self) -> None:
        for name in self.env.list_templates(extensions=["html"]):
            self.env.get_template(name)

    def whole_archive(self, site: Site, catalogue: Catalogue, plan: Plan) -> Iterator[Output]:
        """What belongs to no single issue: the search fold table, and each script's archive-wide pages."""
        if plan.wants(search.FOLD_FILE, site.source):
            yield Output("page", search.FOLD_FILE, search.fold_table().encode("utf-8"))
        for variant in site.variants:
            yield from self.archive_wide(site, catalogue, variant, plan)

    def archive_wide(self, site: Site, catalogue: Catalogue, variant: Variant, plan: Plan) -> Iterator[Output]:
        """The pages about the whole archive (the archive itself, search, an empty home page) and
        the files about the whole site (404 page, robots.txt, sitemap)."""
        shown, words = self.localized(site, variant), words_for(variant)
        for route in site_routes(catalogue, site, variant):
            if plan.wants(route.path, variant):
                yield Output("page", route.path, self.page(route, shown, variant, words))

    def feeds(self, latest: Edition, variant: Variant) -> Iterator[Output]:
        """The script's Atom and RSS feeds of the latest issues (feeds.py); only with base_url."""
        site, words = self.localized(latest.site, variant), words_for(variant)
        shown = Edition(site, [localize_issue(issue, latest.site, variant) for issue in latest.issues])
        for kind in feeds.KINDS:
            path = urls.feed(variant, kind)
            links = urls.Links(path, variant, self.theme_versions, site.base_url)
            xml = self.env.get_template(f"{kind}.xml").render(
                site=site,
                variant=variant,
                w=words,
                url=links,
                stories=feeds.stories(shown),
                updated=feeds.midnight(shown.issues[-1].date),
                published=feeds.published,
                rfc822=email.utils.format_datetime,
                summary=lambda article: body.summary(article.body),
                story_html=lambda article, links=links: feeds.story_html(article, links, words),
            )
            yield Output("page", path, xml.encode("utf-8"))

    def issue(self, edition: Edition, variant: Variant, index: int, plan: Plan, documents: str = "planned") -> Iterator[Output]:
        """One issue's pages in one script, and its search documents: those of the pages in the
        plan ("planned"), all of them ("all"), or none ("none")."""
        site, words = self.localized(edition.site, variant), words_for(variant)
        issue = edition.issues[index]
        shown = localize_issue(issue, edition.site, variant)
        for route in issue_routes(edition, index, shown, variant):
            if plan.wants(route.path, variant):
                yield Output("page", route.path, self.route(route, site, variant, words))
        if documents != "none":
            only = None if documents == "all" else plan.paths
            for path, data in search.index_documents(issue, shown, variant, words, only):
                yield Output("search", f"{variant.code}/{path}", data)

    def route(self, route: Route, site: Site, variant: Variant, words: Words) -> bytes:
        """A route's file: the issue's open data, or a page from its template."""
        if route.template == "issue.json":
            links = urls.Links(route.path, variant, self.theme_versions, site.base_url)
            return opendata.issue_json(route.context["issue"], site, variant, links)
        return self.page(route, site, variant, words)

    def page(self, route: Route, site: Site, variant: Variant, words: Words) -> bytes:
        links = urls.Links(route.path, variant, self.theme_versions, site.base_url)
        html = self.env.get_template(route.template).render(
            site=site,
            variant=variant,
            w=words,
            url=links,
            body=lambda article, heading=2: render_body(article, links, heading),
            summary=lambda article: body.summary(article.body),
            first_image=lambda article: first_image(article, links),
            scan_card=lambda page: scan_card(page, links),
            article_ld=lambda article: structured.article_data(article, site, variant, words, links, first_image(article, links) or scan_card(article.page, links)),
            issue_ld=lambda issue: structured.issue_data(issue, site, variant, words, links),
            points=points,
            file_size=scans.file_size,
            preview=self.preview,
            **route.context,
        )
        return html.encode("utf-8")


def render_body(article: Article, links: urls.Links, heading: int) -> Markup:
    html = body.render(article.body, lambda src: links.page_file(article.page, src), heading)
    return Markup(html)


def first_image(article: Article, links: urls.Links) -> str | None:
    """The article's first photo as a full address, for sharing cards (JPEG, PNG or WebP only)."""
    for src, _ in body.image_sources(article.body, 0):
        if src.lower().endswith((".jpg", ".jpeg", ".png", ".webp")):
            return links.absolute(urls.page_file(article.page, src))
    return None


def scan_card(page: Page, links: urls.Links) -> str | None:
    """The page scan's copy for sharing cards, as a full address."""
    card = page.scan.card if page.scan else None
    return links.absolute(urls.page_file(page, card.jpeg)) if card else None


def points(area: tuple[tuple[float, float], ...]) -> str:
    """An area's points as SVG writes them: "120,340 610,340 610,980"."""
    return " ".join(f"{x:g},{y:g}" for x, y in area)


def count_pages(edition: Edition) -> tuple[int, int, int]:
    """Issues, pages (版) and articles, for the build's summary line."""
    pages: list[Page] = [p for i in edition.issues for p in i.pages]
    return len(edition.issues), len(pages), sum(len(p.articles) for p in pages)


def template_fault(error: jinja2.TemplateError) -> Fault:
    """A broken template, as `templates/x.html:line: message`."""
    name = getattr(error, "filename", None) or getattr(error, "name", None)
    line = getattr(error, "lineno", None)
    trace = error.__traceback__
    while trace is not None:  # runtime faults: the innermost template frame knows the line
        frame = trace.tb_frame
        if frame.f_code.co_filename.endswith(".html"):
            name, line = frame.f_code.co_filename, trace.tb_lineno
        trace = trace.tb_next
    where = Path(name).name if name else "?"
    return Fault(f"templates/{where}", line, f"模板错误：{error}")
