"""The sitemap: every page of every script with its date, and its other scripts as alternates.

One sitemap.xml while the site is small; once it would pass the protocol's 50,000 addresses, a
sitemap index with a part per year (and more parts for a year that alone passes the limit), so
that a new issue rewrites only its year's part. The addresses come from the issues' records:
the sitemap is made without reading a single article, and a part's key is made of its issues'
digests, so that a build knows a part is unchanged without going through its addresses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterator
from dataclasses import dataclass

from .. import urls
from ..model import Issue

LIMIT = 50_000  # addresses in one file, as sitemaps.org allows


@dataclass(frozen=True)
class Entry:
    path: str  # in the source script; the template writes it for each script
    day: dt.date  # lastmod: the issue's date (the same content gives the same sitemap)


@dataclass(frozen=True)
class Listing:
    """Addresses of one date: an issue's pages, or the archive's pages dated by an issue."""

    day: dt.date
    paths: tuple[str, ...]
    digest: str  # of what made the paths (an issue's record keeps it)


@dataclass(frozen=True)
class Part:
    """One file of the sitemap: runs of its listings' addresses, [start:stop] of each."""

    name: str | None  # None: the whole sitemap in sitemap.xml
    runs: tuple[tuple[Listing, int, int], ...]

    @property
    def entries(self) -> Iterator[Entry]:
        for listing, start, stop in self.runs:
            for path in listing.paths[start:stop]:
                yield Entry(path, listing.day)

    @property
    def newest(self) -> dt.date:
        return max(listing.day for listing, _, _ in self.runs)

    def key(self) -> Hashable:
        return (self.name, tuple((listing.day, listing.digest, start, stop) for listing, start, stop in self.runs))


def listings(issues: list[Issue], listed: dict[str, tuple[tuple[str, ...], str]]) -> list[Listing]:
    """Each issue's pages, oldest first (`listed`: folder -> its paths and their digest), then each
    year's page of the archive (dated by its last issue, so it falls in its year's part), then the
    home page and the archive (dated by the latest issue, so they fall in the newest part, which a
    new issue rewrites anyway)."""
    if not issues:
        return []
    found = []
    for issue in issues:
        paths, digest = listed.get(issue.folder, ((), ""))
        home = "index.html" in paths  # the latest issue's: listed below, with the archive (looked for in C: a decade has 270,000 paths)
        found.append(Listing(issue.date, tuple(p for p in paths if p != "index.html") if home else paths, digest))
    last_of_year = {issue.date.year: issue.date for issue in issues}
    years = [Listing(day, (path := urls.archive_year_path(year),), path) for year, day in sorted(last_of_year.items())]
    return [*found, *years, Listing(issues[-1].date, ("index.html", "archive/index.html"), "home")]


def parts(found: list[Listing], scripts: int) -> list[Part]:
    """The sitemap's files: one Part named None when everything fits in one, else parts named
    "2021", "2021-2", ... (oldest first, each address written once per script)."""
    per_file = LIMIT // scripts
    if sum(len(listing.paths) for listing in found) <= per_file:
        return [Part(None, tuple((listing, 0, len(listing.paths)) for listing in found))]
    by_year: dict[int, list[Listing]] = {}
    for listing in found:
        by_year.setdefault(listing.day.year, []).append(listing)
    split = []
    for year, in_year in sorted(by_year.items()):
        files: list[list[tuple[Listing, int, int]]] = [[]]
        room = per_file
        for listing in in_year:
            start = 0
            while start < len(listing.paths):
                if room == 0:
                    files.append([])
                    room = per_file
                stop = min(len(listing.paths), start + room)
                files[-1].append((listing, start, stop))
                room -= stop - start
                start = stop
        split += [Part(str(year) if n == 1 else f"{year}-{n}", tuple(runs)) for n, runs in enumerate(files, 1) if runs]
    return split
