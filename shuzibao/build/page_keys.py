"""Page keys: a digest of what each page shows, so that a build renders again only the pages that changed.

Every page has a key: what its template shows, beyond what every page shows (the site, the
templates, the theme: the build cache's environment). The key comes from the page's route
(render/routes.py), the same typed description the page is rendered from. The build keeps a
digest of each key; a cached build renders the pages whose digest changed, in every script.
Tests compare the result with a full build after every kind of edit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable

from ..model import Edition, Site
from ..render.routes import Catalogue, issue_routes, site_routes


def digest(key: Hashable) -> str:
    """A short, stable digest of a key (keys hold only strings, numbers, dates and tuples of them)."""
    return hashlib.blake2b(repr(key).encode("utf-8"), digest_size=12).hexdigest()


def site_keys(catalogue: Catalogue, site: Site) -> dict[str, str]:
    """The digests of the pages about the whole archive and the whole site (source script's paths)."""
    return {r.path: digest(r.key()) for r in site_routes(catalogue, site, site.source)}


def issue_keys(edition: Edition, index: int) -> tuple[dict[str, str], tuple[str, ...]]:
    """The digests of one issue's pages (and of the home page, for the latest issue), and the
    paths of those the sitemap lists (not its open data, not the redirects of moved articles)."""
    issue = edition.issues[index]
    routes = list(issue_routes(edition, index, issue, edition.site.source))
    return {r.path: digest(r.key()) for r in routes}, tuple(r.path for r in routes if r.listed)
