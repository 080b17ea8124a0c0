"""Page keys: what each page shows, so that a build renders again only the pages that changed.

Every page has a key: a tuple of exactly what its template shows (an article page shows its
story's text, its neighbours' headlines, the issue's page strip...), beyond what every page
shows (the site, the templates, the theme: the build cache's environment). The build keeps a
digest of each key; a cached build renders the pages whose digest changed, in every script.
Tests compare the result with a full build after every kind of edit.
"""

from __future__ import annotations

from typing import Hashable

from ..model import Article, Edition, Issue, Page, Site
from ..render.pages import LISTED, Catalogue, Route, issue_routes, site_routes


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


def _date(issue: Issue | None) -> Hashable:
    return None if issue is None else issue.date


def _label(page: Page | None) -> Hashable:
    return None if page is None else page.label


def route_key(route: Route) -> Hashable:
    """Everything the route's template shows, beyond the site, templates and theme."""
    c = route.context
    if route.template == "archive.html":
        return tuple((m.year, m.month, tuple(i.date for i in m.issues)) for y in c["years"] for m in y.months)
    if route.template == "search.html":
        return (c["phrases"], c["scope"])
    if route.template in ("404.html", "robots.txt"):
        return route.template  # the site's settings and the templates: the environment
    if route.template == "sitemap.xml":
        return tuple((e.path, e.day) for e in c["entries"])
    if route.template == "sitemap-index.xml":
        return tuple(c["parts"])
    if route.template == "moved.html":
        return (route.template, teaser(c["article"]))
    if c.get("issue") is None:
        return "empty"
    around = (frame(c["issue"]), _date(c["prev_issue"]), _date(c["next_issue"]))
    if route.template == "issue.html":
        return around + (tuple(tuple(teaser(a) for a in p.articles) for p in c["issue"].pages),)
    if route.template == "issue.json":  # every article whole, and no neighbours
        return (route.template, frame(c["issue"]), tuple((teaser(a), a.digest) for a in c["issue"].articles()))
    if route.template in ("page.html", "home.html"):
        page = c["page"]
        return around + (route.template, page.label, tuple(teaser(a) for a in page.articles), _label(c["prev_page"]), _label(c["next_page"]))
    article = c["article"]
    story = tuple((p.digest, p.page.label, p.page.name, teaser(p)) for p in article.story)
    return around + (teaser(article), story, teaser(c["prev_article"]), teaser(c["next_article"]))


def site_keys(catalogue: Catalogue, site: Site) -> dict[str, Hashable]:
    """The keys of the pages about the whole archive and the whole site (source script's paths)."""
    return {r.path: route_key(r) for r in site_routes(catalogue, site, site.source)}


def issue_keys(edition: Edition, index: int) -> tuple[dict[str, Hashable], tuple[str, ...]]:
    """The keys of one issue's pages (and of the home page, for the latest issue), and the paths
    of those the sitemap lists (not its open data, not the redirects of moved articles)."""
    issue = edition.issues[index]
    routes = list(issue_routes(edition, index, issue, edition.site.source))
    return {r.path: route_key(r) for r in routes}, tuple(r.path for r in routes if r.template in LISTED)
