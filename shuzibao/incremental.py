"""The preview's incremental rebuild: render again only the pages whose inputs changed.

Every page has a key: a tuple of exactly what its template shows (an article page shows its
story's text, its neighbours' headlines, the issue's page strip...). A rebuild loads the tree
(re-parsing only changed files), computes every key, and renders the pages whose key changed, in
every script; pages that no longer exist are removed. A change to a template, the theme or
site.yaml changes every key. Tests compare the result with a full build after every kind of edit.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Hashable

from .model import Article, Edition, Issue, Page, Variant
from .render import Catalogue, Plan, Route, issue_routes, site_routes


def _ref(article: Article | None) -> Hashable:
    return None if article is None else (article.page.label, article.slug)


def teaser(article: Article | None) -> Hashable:
    """What a listing, or a neighbour's link, shows of an article."""
    if article is None:
        return None
    jumps = (_ref(article.jump_in.source) if article.jump_in else None, _ref(article.jump_out.target) if article.jump_out else None)
    return (article.path, article.kicker, article.headline, article.subtitle, article.authors, article.photographers, article.draft, jumps)


def frame(issue: Issue) -> Hashable:
    """What every page of an issue shows of it: its date, number and page strip."""
    return (issue.date, issue.number, tuple((p.label, p.name, p.editor) for p in issue.pages))


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
    if c.get("issue") is None:
        return "empty"
    around = (frame(c["issue"]), _date(c["prev_issue"]), _date(c["next_issue"]))
    if route.template == "issue.html":
        return around + (tuple(tuple(teaser(a) for a in p.articles) for p in c["issue"].pages),)
    if route.template in ("page.html", "home.html"):
        page = c["page"]
        return around + (route.template, page.label, tuple(teaser(a) for a in page.articles), _label(c["prev_page"]), _label(c["next_page"]))
    article = c["article"]
    story = tuple((p.digest, p.page.label, p.page.name, teaser(p)) for p in article.story)
    return around + (teaser(article), story, teaser(c["prev_article"]), teaser(c["next_article"]))


def site_keys(catalogue: Catalogue, source: Variant) -> dict[str, Hashable]:
    """The keys of the pages about the whole archive (source script's paths)."""
    return {r.path: route_key(r) for r in site_routes(catalogue, source)}


def issue_keys(edition: Edition, index: int) -> dict[str, Hashable]:
    """The keys of one issue's pages (and of the home page, for the latest issue)."""
    issue = edition.issues[index]
    return {r.path: route_key(r) for r in issue_routes(edition, index, issue, edition.site.source)}


def fingerprint(*folders: Path, files: tuple[Path, ...] = ()) -> str:
    """Names, sizes and times of every file below the folders: what a template or theme change touches."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()) + list(files):
        if path.exists():
            stat = path.stat()
            digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dataclass
class Changes:
    plan: Plan
    removed: set[str] = field(default_factory=set)  # paths (source script) of pages that are gone
    everything: bool = False


@dataclass
class KeyBook:
    """The keys of the pages last written, by issue ("" for the archive-wide pages).

    A rebuild recomputes the keys of the issues it reloaded, their neighbours (whose previous and
    next links may have changed) and the archive-wide pages; or of everything."""

    by_unit: dict[str, dict[str, Hashable]] = field(default_factory=dict)
    environment: str = ""  # fingerprint of templates, theme and site.yaml

    def changes(self, edition: Edition, environment: str, touched: set[str] | None) -> tuple[Changes, dict[str, dict[str, Hashable] | None]]:
        """What to render for `edition`, given the issue folders touched (None: anything may have
        changed); and the keys to remember once it is written (None for an issue that is gone)."""
        everything = environment != self.environment  # a template, the theme or site.yaml
        folders = [issue.folder for issue in edition.issues]
        if everything or touched is None:
            units = (set(folders) | set(self.by_unit)) - {""}
        else:
            units = self._neighbourhood(touched, folders)
        fresh: dict[str, dict[str, Hashable]] = {"": site_keys(Catalogue.of(edition), edition.site.source)}
        for index, folder in enumerate(folders):
            if folder in units:
                fresh[folder] = issue_keys(edition, index)
        # A page only moves between the units recomputed together (the home page, between the
        # latest issue and the one before it), so comparing those units is enough.
        old = {path: key for unit in units | {""} for path, key in self.by_unit.get(unit, {}).items()}
        new = {path: key for keys in fresh.values() for path, key in keys.items()}
        changed = set(new) if everything else {path for path, key in new.items() if old.get(path) != key}
        removed = set(old) - set(new)
        issues = {folder for folder, keys in fresh.items() if folder and set(keys) & changed}
        remember: dict[str, dict[str, Hashable] | None] = {unit: fresh.get(unit) for unit in units | {""}}
        return Changes(Plan(None if everything else changed, None if everything else issues), removed, everything), remember

    def _neighbourhood(self, touched: set[str], folders: list[str]) -> set[str]:
        units = set(touched)
        for order in (folders, sorted(u for u in self.by_unit if u)):
            for index, folder in enumerate(order):
                if folder in touched:
                    units.update(order[max(0, index - 1) : index + 2])
        return units

    def commit(self, remember: dict[str, dict[str, Hashable] | None], environment: str) -> None:
        for unit, keys in remember.items():
            if keys is None:
                self.by_unit.pop(unit, None)
            else:
                self.by_unit[unit] = keys
        self.environment = environment


def remove_pages(folder: Path, paths: set[str], edition: Edition) -> int:
    """Delete pages that no longer exist, in every script."""
    count = 0
    for variant in edition.site.variants:
        for path in paths:
            target = folder / (variant.prefix + path)
            if target.is_file():
                target.unlink()
                count += 1
    return count


def sync_files(published: list[tuple[Path, str]], folder: Path, known: dict[str, tuple[int, int]]) -> None:
    """Copy published files (theme, images) that are new or changed; delete those that are gone."""
    current = {}
    for source, path in published:
        stat = source.stat()
        current[path] = (stat.st_mtime_ns, stat.st_size)
        if known.get(path) != current[path]:
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, folder / path)
    for path in set(known) - set(current):
        (folder / path).unlink(missing_ok=True)
    known.clear()
    known.update(current)

