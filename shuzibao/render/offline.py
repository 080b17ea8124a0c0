"""An issue's list of files to read it offline (offline.json), for the service worker.

The issue page's 离线保存本期 hands this list to the service worker (theme/offline-worker.js),
which fetches every file in it into a cache of its own: the issue's pages in the script (the
issue page, every page (版) and article, the home page while the issue is the latest), the copies
a phone uses of its page scans, photos and clips (the widest a phone is offered, and the page
thumbnails; the worker stands a saved copy in for another width of the same image), and the theme.
The sizes are the files' own, so the page can say how big the download is before it starts. One
per issue and script, beside the issue page; every url is relative to the file itself:

    {"format": "shuzibao-offline/1", "paper": "太原日报", "script": "简体", "language": "zh-Hans",
     "date": "2021-12-10", "title": "2021年12月10日 星期五", "url": "index.html", "bytes": 2345678,
     "files": [{"url": "index.html", "bytes": 23456}, {"url": "01/page-6e1ecb723a-800w.webp", ...}, ...]}
"""

from __future__ import annotations

import json
from collections.abc import Callable

from .. import urls
from ..model import Page, Rendition, Site
from ..scripts.site_words import Words
from .routes import OFFLINE_THEME, OfflineListRoute

FORMAT = "shuzibao-offline/1"


def entries(route: OfflineListRoute, site: Site, links: urls.Links) -> list[tuple[str, str]]:
    """Every file to save, as (output path, link from the list), pages first, each once."""
    issue, variant = route.issue, links.variant
    pages = [urls.issue(variant, issue), *([urls.home(variant)] if route.next_issue is None else [])]
    for page in issue.pages:
        pages += [urls.page(variant, page), *(urls.article(variant, a) for a in page.articles)]
    found = [(path, links.to(path)) for path in pages]
    for page in issue.pages:
        found += [(urls.page_file(page, name), links.page_file(page, name)) for name in phone_images(page)]
    found += [(urls.theme(name), links.theme(name)) for name in OFFLINE_THEME if name in links.theme_versions]
    if site.logo:
        found.append((site.logo, links.site_file(site.logo)))
    return list(dict(found).items())  # each once, in the order first met


def phone_images(page: Page) -> list[str]:
    """The images of a page and its articles as a phone shows them: the scan's widest phone copy
    and its thumbnail, each photo's widest phone copy (a photo without copies as it is), each clip's
    phone size; WebP where it was kept, as the pages offer it first."""
    names = []
    scan = page.scan
    if scan is not None and scan.renditions:
        names += [_offered(scan.for_phones[-1]), *([_offered(scan.thumb)] if scan.thumb else [])]
    for name in dict.fromkeys(name for article in page.articles for name in article.images):
        photo = page.photos.get(name)
        names.append(_offered(photo.for_phones[-1]) if photo is not None and photo.renditions else name)
    names += [_offered(article.clip.phone) for article in page.articles if article.clip]
    return names


def _offered(copy: Rendition) -> str:
    return copy.webp or copy.jpeg


def manifest(route: OfflineListRoute, site: Site, words: Words, links: urls.Links, size: Callable[[str], int]) -> bytes:
    """The list as JSON; `size` gives the bytes of a file by its output path."""
    listed = [(link, size(path)) for path, link in entries(route, site, links)]
    issue, variant = route.issue, links.variant
    data = {
        "format": FORMAT,
        "paper": site.title,
        "script": variant.label,
        "language": variant.code,
        "date": issue.date.isoformat(),
        "title": words.date(issue.date),
        "url": links.issue(issue),
        "bytes": sum(n for _, n in listed),
        "files": [{"url": link, "bytes": n} for link, n in listed],
    }
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
