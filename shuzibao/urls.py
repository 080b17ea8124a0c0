"""Every address in the site, and the one way to link between them: relative links.

Output paths are POSIX paths below the output folder. A variant's pages live under its prefix;
files shared by all scripts (theme, page scans, images) live once at the root. Links name
`index.html` explicitly so that the site also works from a folder opened with file://.
"""

from __future__ import annotations

import re
import urllib.parse

from .model import Article, Issue, Page, Rendition, Site, Variant


def home(variant: Variant) -> str:
    return f"{variant.prefix}index.html"


def archive(variant: Variant) -> str:
    return f"{variant.prefix}archive/index.html"


def archive_year_path(year: int) -> str:
    """A year of the archive (its calendars), in the source script: archive/2021/index.html."""
    return f"archive/{year}/index.html"


def archive_year(variant: Variant, year: int) -> str:
    return variant.prefix + archive_year_path(year)


def search(variant: Variant) -> str:
    return f"{variant.prefix}search/index.html"


SEARCH_BUNDLES = "pagefind/"  # the search shards, one index for every script (search/documents.py)


def search_bundle(shard: str) -> str:
    """Pagefind's files for the index of one month."""
    return f"{SEARCH_BUNDLES}{shard}/"


FEEDS = {"atom": "feed.xml", "rss": "rss.xml"}


def feed(variant: Variant, kind: str) -> str:
    """The script's feed of the latest issues, by its kind: "atom" or "rss"."""
    return variant.prefix + FEEDS[kind]


def sitemap(part: str | None = None) -> str:
    """The sitemap, or one part of it when it is split (by year: "2021", "2021-2")."""
    return "sitemap.xml" if part is None else f"sitemaps/{part}.xml"


ICP_REGISTER = "https://beian.miit.gov.cn/"  # where the rules ask the ICP number to link
POLICE_REGISTER = "https://beian.mps.gov.cn/#/query/webSearch?code={}"  # the record's own page, by its number


def police_register(number: str) -> str | None:
    """The register's page of a 公安备案号 (晋公网安备 14010502000123号 -> its digits), if it has any."""
    digits = re.sub(r"\D", "", number)
    return POLICE_REGISTER.format(digits) if digits else None


ROBOTS = "robots.txt"
NOT_FOUND = "404.html"
FOLDERS = ("archive", "search", "theme", "pagefind", "sitemaps")  # the site's own top folders, besides issues


def site_folders(site: Site) -> set[str]:
    """Every top folder the site makes: its own and each other script's; no asset folder may take one."""
    return {*FOLDERS, *(v.prefix.strip("/") for v in site.variants[1:])}


# --- reading offline (issue 18): the service worker, the offline page, each issue's list of files

WORKER = "sw.js"  # at the site's root, so that its scope holds every script's pages, under any sub-path


def offline_page(variant: Variant) -> str:
    """What the service worker shows for a page that was not saved, and the list of saved issues."""
    return f"{variant.prefix}offline.html"


def offline_list(variant: Variant, issue: Issue) -> str:
    """The files a reader saves to read the issue offline, with their sizes (render/offline.py)."""
    return f"{variant.prefix}{issue.folder}/offline.json"


def issue(variant: Variant, issue: Issue) -> str:
    return f"{variant.prefix}{issue.folder}/index.html"


def issue_data(variant: Variant, issue: Issue) -> str:
    """The issue as open data (opendata.py)."""
    return f"{variant.prefix}{issue.folder}/issue.json"


def moved(variant: Variant, issue: Issue, ref: str) -> str:
    """An old address of a moved article, "02/old-name": a redirect to where it is now."""
    return f"{variant.prefix}{issue.folder}/{ref}.html"


def page(variant: Variant, page: Page) -> str:
    return f"{variant.prefix}{page.issue.folder}/{page.label}/index.html"


def article(variant: Variant, article: Article) -> str:
    return f"{variant.prefix}{article.page.issue.folder}/{article.page.label}/{article.slug}.html"


def page_folder(page: Page) -> str:
    """Where a page's images and PDFs are: one copy for every script."""
    return f"{page.issue.folder}/{page.label}"


def page_file(page: Page, name: str) -> str:
    """An image or PDF beside a page's articles, by its file name."""
    return f"{page_folder(page)}/{name}"


def page_file_url(page: Page, name: str) -> str:
    """The same as it stands in a URL: a file may be called 照片 1.jpg."""
    return page_file(page, urllib.parse.quote(name, safe=PATH_SAFE))


PATH_SAFE = "!$&'()*+,;=:@-._~"  # what RFC 3986 lets a path segment hold as it is


def theme(name: str) -> str:
    return f"theme/{name}"


def in_variant(path: str, source: Variant, target: Variant) -> str:
    """The same page in another script."""
    return target.prefix + path.removeprefix(source.prefix)


def relative(here: str, target: str) -> str:
    """The link from page `here` to output path `target`, both clean paths below the output root.

    (posixpath.relpath does the same but asks the operating system for the working folder on every
    call; a full build makes millions of links.)"""
    path, hash_, fragment = target.partition("#")
    folders = here.split("/")[:-1]
    parts = path.split("/")
    common = 0
    while common < len(folders) and common < len(parts) - 1 and folders[common] == parts[common]:
        common += 1
    link = "/".join([".."] * (len(folders) - common) + parts[common:])
    return (link or ".") + hash_ + fragment


class Links:
    """The URL helper a template gets: every method returns a link relative to the page `here`."""

    def __init__(self, here: str, variant: Variant, theme_versions: dict[str, str] | None = None, base_url: str | None = None):
        self.here = here
        self.variant = variant
        self.theme_versions = theme_versions or {}
        self.base_url = base_url

    def absolute(self, path: str | None = None) -> str | None:
        """The full address of an output path (this page by default), when site.yaml gives base_url."""
        return None if self.base_url is None else self.base_url + (self.here if path is None else path)

    def absolute_switch(self, target: Variant) -> str | None:
        return self.absolute(in_variant(self.here, self.variant, target))

    def to(self, path: str) -> str:
        return relative(self.here, path)

    def folder(self) -> str:
        """The folder of this page: pages in one folder have the same relative links."""
        return self.here.rpartition("/")[0]

    def home(self) -> str:
        return self.to(home(self.variant))

    def home_path(self) -> str:
        return home(self.variant)

    def archive(self) -> str:
        return self.to(archive(self.variant))

    def archive_year(self, year: int) -> str:
        return self.to(archive_year(self.variant, year))

    def search(self) -> str:
        return self.to(search(self.variant))

    def bundles(self) -> str:
        return SEARCH_BUNDLES

    def root(self) -> str:
        """The variant's own root folder, as a link ending in / (./ at the root itself)."""
        return self.to(self.variant.prefix + "index.html").removesuffix("index.html") or "./"

    def issue(self, target: Issue) -> str:
        return self.to(issue(self.variant, target))

    def issue_path(self, target: Issue) -> str:
        return issue(self.variant, target)

    def sitemap(self, part: str | None = None) -> str | None:
        return self.absolute(sitemap(part))

    def issue_data(self, target: Issue) -> str:
        return self.to(issue_data(self.variant, target))

    def feed(self, kind: str) -> str:
        return self.to(feed(self.variant, kind))

    def page(self, target: Page) -> str:
        return self.to(page(self.variant, target))

    def article(self, target: Article) -> str:
        return self.to(article(self.variant, target))

    def article_path(self, target: Article) -> str:
        return article(self.variant, target)

    def page_file(self, target: Page, name: str) -> str:
        return self.to(page_file_url(target, name))

    def srcset(self, target: Page, renditions: tuple[Rendition, ...], webp: bool = False) -> str:
        """A scan's copies for srcset; with `webp`, each width's WebP where it was kept."""
        return ", ".join(f"{self.page_file(target, (r.webp or r.jpeg) if webp else r.jpeg)} {r.width}w" for r in renditions)

    def area(self, article: Article) -> str:
        """The article's area on its page's scan."""
        return self.page(article.page) + "#area-" + article.slug

    def worker(self) -> str:
        return self.to(WORKER)

    def offline_page(self) -> str:
        return self.to(offline_page(self.variant))

    def offline_list(self, target: Issue) -> str:
        return self.to(offline_list(self.variant, target))

    def themes(self, names: tuple[str, ...]) -> list[str]:
        """The links of those of the theme files `names` that the theme has, each with its version."""
        return [self.theme(name) for name in names if name in self.theme_versions]

    def clip_card(self, article: Article) -> str | None:
        """The article's clip (剪报) for sharing cards, as a full address, if it has one."""
        return self.absolute(page_file_url(article.page, article.clip.card.jpeg)) if article.clip else None

    def site_file(self, name: str) -> str:
        """A file published at the site's root from beside site.yaml (the masthead logo)."""
        return self.to(urllib.parse.quote(name, safe=PATH_SAFE))

    def theme_path(self, name: str) -> str:
        return theme(name)

    def theme(self, name: str) -> str:
        """A theme file, with its content hash as a query so that a changed file is fetched anew."""
        version = self.theme_versions.get(name)
        return self.to(theme(name)) + (f"?v={version}" if version else "")

    def switch(self, target: Variant) -> str:
        """This same page in the script `target`."""
        return self.to(in_variant(self.here, self.variant, target))
