"""The sitemap: every page of every script with its date, and its other scripts as alternates.

One sitemap.xml while the site is small; once it would pass the protocol's 50,000 addresses, a
sitemap index with a part per year (and more parts for a year that alone passes the limit), so
that a new issue rewrites only its year's part. The addresses come from the issues' records:
the sitemap is made without reading a single article.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import urls
from ..model import Issue

LIMIT = 50_000  # addresses in one file, as sitemaps.org allows


@dataclass(frozen=True)
class Entry:
    path: str  # in the source script; the template writes it for each script
    day: dt.date  # lastmod: the issue's date (the same content gives the same sitemap)


def entries(issues: list[Issue], listed: dict[str, tuple[str, ...]]) -> list[Entry]:
    """Each issue's pages, oldest first, then each year's page of the archive (dated by its last
    issue, so it falls in its year's part), then the home page and the archive (dated by the latest
    issue, so they fall in the newest part, which a new issue rewrites anyway)."""
    if not issues:
        return []
    found = [Entry(path, issue.date) for issue in issues for path in listed.get(issue.folder, ()) if path != "index.html"]
    last_of_year = {issue.date.year: issue.date for issue in issues}
    years = [Entry(urls.archive_year_path(year), day) for year, day in sorted(last_of_year.items())]
    return [*found, *years, Entry("index.html", issues[-1].date), Entry("archive/index.html", issues[-1].date)]


def parts(found: list[Entry], scripts: int) -> dict[str | None, list[Entry]]:
    """The sitemap's files: {None: everything} when it fits in one, else {"2021": [...], "2021-2": [...]}
    (oldest first, each entry one address per script)."""
    per_file = LIMIT // scripts
    if len(found) <= per_file:
        return {None: found}
    by_year: dict[int, list[Entry]] = {}
    for entry in found:
        by_year.setdefault(entry.day.year, []).append(entry)
    split: dict[str | None, list[Entry]] = {}
    for year, year_entries in sorted(by_year.items()):
        for n, start in enumerate(range(0, len(year_entries), per_file), 1):
            split[str(year) if n == 1 else f"{year}-{n}"] = year_entries[start : start + per_file]
    return split
