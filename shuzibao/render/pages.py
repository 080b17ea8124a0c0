"""Render the edition: every page of every script, as (output path, bytes), one page at a time.

Routes (routes.py) say which pages exist and what each shows; templates turn a route into HTML.
Nothing is written here, so a template fault never leaves a half-written site.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from markupsafe import Markup, escape

from .. import urls
from ..faults import Fault
from ..model import Article, Edition, Issue, Page, Site, Variant
from ..scripts.conversion import localize_site
from ..scripts.site_words import Words, words_for
from ..search import page_data
from . import feeds, opendata, story_html, structured
from .feeds import FeedStory
from .fragments import SharedFragments
from .routes import Catalogue, IssueDataRoute, Route, issue_routes, site_routes
from .story_parts import StoryParts


class Output(NamedTuple):
    path: str  # below the output folder
    data: bytes


@dataclass
class Selection:
    """Which pages to render: all of them, or those named (by path, the script's prefix left off)."""

    paths: set[str] | None = None

    def wants(self, path: str, variant: Variant) -> bool:
        return self.paths is None or path.removeprefix(variant.prefix) in self.paths


def make_environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        extensions=[SharedFragments],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # a changed template changes the build's environment, and so makes a new Renderer: no stat per page
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}  # JSON-LD as it reads
    return env


@dataclass
class Renderer:
    env: jinja2.Environment
    theme_versions: dict[str, str]  # theme file -> content hash, so browsers never keep a stale CSS
    preview: bool = False
    sites: dict[tuple[int, str], tuple[Site, Site]] = field(default_factory=dict)
    parts: StoryParts = field(default_factory=StoryParts)  # the stories' parts of the open data and feeds, kept for the preview's next build

    def __getstate__(self) -> dict[str, object]:
        """A spawned worker gets the recipe, and compiles the templates itself."""
        loader = self.env.loader
        assert isinstance(loader, jinja2.FileSystemLoader)
        return {"templates": loader.searchpath[0], "theme_versions": self.theme_versions, "preview": self.preview}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.env, self.theme_versions, self.preview = make_environment(Path(state["templates"])), state["theme_versions"], state["preview"]
        self.sites, self.parts = {}, StoryParts()

    def localized(self, site: Site, variant: Variant) -> Site:
        """The site's settings in a script, converted once per build (a Renderer serves one site)."""
        key = (id(site), variant.code)
        if key not in self.sites:
            self.sites[key] = (site, localize_site(site, variant))  # the site itself kept, so its id stays its own
        return self.sites[key][1]

    def forget_fragments(self) -> None:
        """Empty the shared pieces (render/fragments.py) before each unit of work: a preview's next
        build may have another site.yaml, and one issue's pieces are no use to the next."""
        self.env.shared_fragments.clear()  # type: ignore[attr-defined]  # made by SharedFragments

    def compile_templates(self) -> None:
        for name in self.env.list_templates(extensions=["html"]):
            self.env.get_template(name)

    def whole_archive(self, site: Site, catalogue: Catalogue, selection: Selection) -> Iterator[Output]:
        """What belongs to no single issue: the search fold table, and each script's archive-wide pages."""
        if selection.wants(page_data.FOLD_FILE, site.source):
            yield Output(page_data.FOLD_FILE, page_data.fold_table().encode("utf-8"))
        for variant in site.variants:
            yield from self.archive_wide(site, catalogue, variant, selection)

    def archive_wide(self, site: Site, catalogue: Catalogue, variant: Variant, selection: Selection) -> Iterator[Output]:
        """The pages about the whole archive (the archive itself, search, an empty home page) and
        the files about the whole site (404 page, robots.txt, sitemap)."""
        self.forget_fragments()
        shown, words = self.localized(site, variant), words_for(variant)
        for route in site_routes(catalogue, site, variant):
            if selection.wants(route.path, variant):
                yield Output(route.path, self.page(route, shown, variant, words))

    def feeds(self, site: Site, variant: Variant, stories: list[FeedStory], updated: dt.date) -> Iterator[Output]:
        """The script's Atom and RSS feeds of the latest issues' `stories`; only with base_url."""
        shown, words = self.localized(site, variant), words_for(variant)
        for kind in feeds.KINDS:
            path = urls.feed(variant, kind)
            links = urls.Links(path, variant, self.theme_versions, shown.base_url)
            entry = self.env.get_template(f"{kind}-entry.xml")
            entries = [self.feed_entry(entry, kind, story, words, links) for story in stories]
            xml = self.env.get_template(f"{kind}.xml").render(
                site=shown, variant=variant, w=words, url=links, stories=stories, entries=entries, updated=feeds.midnight(updated), rfc822=email.utils.format_datetime
            )
            yield Output(path, xml.encode("utf-8"))

    def feed_entry(self, entry: jinja2.Template, kind: str, story: FeedStory, words: Words, links: urls.Links) -> Markup:
        """A story's entry in a feed, kept for the preview's next build: a save remakes the entries
        of the stories it changed, not the three issues' whole feeds (its addresses are full, so the
        same in every feed of the script)."""
        def make() -> Markup:
            return Markup(entry.render(story=story, w=words, url=links, rfc822=email.utils.format_datetime))

        return self.parts.get(story.issue, ("feed entry", kind, links.variant, links.base_url, story), make)

    def feed_stories(self, shown: Issue, site: Site, variant: Variant) -> tuple[FeedStory, ...]:
        """The stories of an issue (already in `variant`'s script) as the feeds show them."""
        return feeds.stories(shown, self.localized(site, variant), variant, words_for(variant), self.parts)

    def issue(self, edition: Edition, index: int, shown: Issue, variant: Variant, selection: Selection) -> Iterator[Output]:
        """One issue's pages in one script, from its copy in that script (`shown`)."""
        self.forget_fragments()
        site, words = self.localized(edition.site, variant), words_for(variant)
        for route in issue_routes(edition, index, shown, variant):
            if selection.wants(route.path, variant):
                yield Output(route.path, self.route(route, site, variant, words))

    def route(self, route: Route, site: Site, variant: Variant, words: Words) -> bytes:
        """A route's file: the issue's open data, or a page from its template."""
        if isinstance(route, IssueDataRoute):
            links = urls.Links(route.path, variant, self.theme_versions, site.base_url)
            return opendata.issue_json(route.issue, site, variant, links, self.parts)
        return self.page(route, site, variant, words)

    def page(self, route: Route, site: Site, variant: Variant, words: Words) -> bytes:
        links = urls.Links(route.path, variant, self.theme_versions, site.base_url)
        html = self.env.get_template(route.template).render(
            site=site,
            variant=variant,
            w=words,
            url=links,
            body=lambda article, heading=2: Markup(self.parts.body(article, variant.code, heading, lambda: render_body(article, links, heading))),
            summary=lambda article: story_html.summary(article.body),
            first_image=lambda article: first_image(article, links),
            scan_card=lambda page: scan_card(page, links),
            article_ld=lambda article: structured.article_data(article, site, variant, words, links, first_image(article, links) or scan_card(article.page, links)),
            issue_ld=lambda issue: structured.issue_data(issue, site, variant, words, links),
            points=points,
            file_size=file_size,
            icp_register=urls.ICP_REGISTER,
            police_link=urls.police_register,
            preview=self.preview,
            **route.context(),
        )
        return html.encode("utf-8")


def render_body(article: Article, links: urls.Links, heading: int) -> str:
    page = article.page
    return story_html.render(
        article.body, lambda src: links.page_file(page, urllib.parse.unquote(src)), heading, lambda src, alt: photo_picture(page, urllib.parse.unquote(src), alt, links)
    )


PHOTO_SIZES = "(min-width: 42rem) 38rem, calc(100vw - 2rem)"  # the text column: 40rem less its margins
PHONE = "(max-width: 47.99em)"  # as the scans': a phone chooses among the narrow copies only


def photo_picture(page: Page, name: str, alt: str, links: urls.Links) -> str | None:
    """An article photo as its resized copies: a phone's few, every copy for wider screens, WebP
    where it was kept, and its size, so that the text does not move as it loads. None for a photo
    without copies (an SVG or GIF, or one too large to decode), which is shown as it is."""
    photo = page.photos.get(name)
    if photo is None or not photo.renditions:
        return None
    phones, every = photo.for_phones, photo.renditions
    sources = []
    if photo.webp:
        sources.append(f'<source media="{PHONE}" type="image/webp" srcset="{links.srcset(page, phones, webp=True)}" sizes="calc(100vw - 2rem)">')
    sources.append(f'<source media="{PHONE}" srcset="{links.srcset(page, phones)}" sizes="calc(100vw - 2rem)">')
    if photo.webp:
        sources.append(f'<source type="image/webp" srcset="{links.srcset(page, every, webp=True)}" sizes="{PHOTO_SIZES}">')
    fallback = photo.card or every[0]
    img = (
        f'<img src="{links.page_file(page, fallback.jpeg)}" srcset="{links.srcset(page, every)}" sizes="{PHOTO_SIZES}" '
        f'width="{photo.width}" height="{photo.height}" alt="{escape(alt)}" loading="lazy" decoding="async">'
    )
    return "<picture>" + "".join(sources) + img + "</picture>"


def first_image(article: Article, links: urls.Links) -> str | None:
    """The article's first photo as a full address, for sharing cards (JPEG, PNG or WebP only)."""
    for name in article.images:
        if name.lower().endswith((".jpg", ".jpeg", ".png", ".webp")):
            return links.absolute(urls.page_file_url(article.page, name))
    return None


def scan_card(page: Page, links: urls.Links) -> str | None:
    """The page scan's copy for sharing cards, as a full address."""
    card = page.scan.card if page.scan else None
    return links.absolute(urls.page_file_url(page, card.jpeg)) if card else None


def points(area: tuple[tuple[float, float], ...]) -> str:
    """An area's points as SVG writes them: "120,340 610,340 610,980"."""
    return " ".join(f"{x:g},{y:g}" for x, y in area)


def file_size(size: int) -> str:
    """A file's size as readers read it: 860 KB, 1.2 MB."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


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
