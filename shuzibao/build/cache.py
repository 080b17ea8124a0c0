"""The build cache: what the last build made, so that the next one does work in proportion to the change.

It lives beside the output (dist/ -> .dist.cache) and records, for every issue, a stamp of its
files and a digest of what each of its pages shows (see page_keys.py), and what the pages about
the whole archive and the search shards were made from. A build trusts it only if everything the
cache was made with is unchanged: this program and its libraries, the templates, the theme,
site.yaml, the options, and the output folder itself (a token in the output's marker file, so
that a replaced or hand-edited dist/ is never patched). Anything else, a missing, unreadable or
stale cache included, means a full build, which writes a fresh cache. The cache is removed
before a build starts changing the output and written again only once it has finished, so an
interrupted build leaves no cache that lies.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import hashlib
import importlib.metadata
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..faults import Fault
from ..render.feeds import FeedStory

FORMAT = 5  # bump when the cache's own layout changes
LIBRARIES = ("Jinja2", "markdown-it-py", "opencc", "pagefind-bin", "Pillow", "PyYAML")


@dataclass
class IssueRecord:
    """What the build keeps of an issue once its pages are written."""

    stamp: str  # names, sizes and times of the issue's files
    keys: dict[str, str]  # page path (source script) -> digest of what the page shows
    listed: tuple[str, ...]  # the paths the sitemap lists
    listing: str  # their digest: the sitemap's key, without its addresses
    glossaries: list[dict[str, dict[str, str]]]  # its articles' own, for the search page
    labels: tuple[str, ...]  # its pages' labels as shown, for the search page's filter
    searchable: bool  # has a story to index: its month is a search shard
    files: tuple[str, ...]  # page scans and images, as output paths
    pages: int
    articles: int
    warnings: list[Fault] = field(default_factory=list)  # shown again by every build
    feed: dict[str, tuple[FeedStory, ...]] | None = None  # variant code -> its stories, for the latest issues only


@dataclass
class BuildCache:
    environment: str
    token: str  # also in the output's marker file
    issues: dict[str, IssueRecord] = field(default_factory=dict)
    archive_keys: dict[str, str] = field(default_factory=dict)  # the archive-wide pages' digests
    shards: set[str] = field(default_factory=set)  # months with a search bundle
    assets: dict[str, tuple[int, int]] = field(default_factory=dict)  # asset file -> (time, size)


def location(out: Path) -> Path:
    out = out.resolve()
    return out.parent / f".{out.name}.cache"


def conversions_location(out: Path) -> Path:
    """Where the conversions of the last build are kept (scripts/memory.py): dist/ -> .dist.conversions/."""
    out = out.resolve()
    return out.parent / f".{out.name}.conversions"


def program(package: Path, options: tuple[object, ...]) -> str:
    """What every output of a build depends on: the program (its version and its own source, so
    that a developer's edit counts too), the libraries and the build options."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(repr((FORMAT, __version__, sys.version, options)).encode())
    for library in LIBRARIES:
        try:
            hasher.update(f"{library}={importlib.metadata.version(library)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            hasher.update(f"{library}=?\n".encode())
    modules = sorted([*package.rglob("*.py"), *package.glob("scripts/dictionaries/*.txt")])  # every module, and the conversion dictionaries
    _add_files(hasher, [(p, p.relative_to(package)) for p in modules])
    return hasher.hexdigest()


def environment(program: str, folders: list[Path], files: list[Path]) -> str:
    """Everything that makes every page different when it changes: the program (`program`), the
    templates and theme (`folders`) and site.yaml (`files`)."""
    hasher = hashlib.blake2b(program.encode(), digest_size=16)
    looks = [(p, p.relative_to(folder)) for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()]
    _add_files(hasher, [*looks, *((f, Path(f.name)) for f in files)])
    return hasher.hexdigest()


def _add_files(hasher: Any, named: list[tuple[Path, Path]]) -> None:
    for path, name in named:  # named within their folder: a moved tree is the same tree
        hasher.update(f"{name.as_posix()}|".encode())
        hasher.update(path.read_bytes() if path.is_file() else b"(none)")


def issue_stamp(folder: Path) -> str:
    """Names, sizes and modification times of every file in an issue folder: what an edit changes."""
    hasher = hashlib.blake2b(digest_size=12)
    stack = [folder]
    while stack:
        for entry in sorted(os.scandir(stack.pop()), key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            else:
                stat = entry.stat(follow_symlinks=False)  # a link is a fault of its own, dangling or not
                hasher.update(f"{entry.path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return hasher.hexdigest()


def read(path: Path, environment: str, token: str | None) -> BuildCache | None:
    """The cache, if it is whole and was made for this environment and this very output folder.

    The cache is data, read as JSON into plain records: a file beside the output that anyone can
    write must not be able to run code (as a pickle could)."""
    try:
        cache = _from_data(json.loads(gzip.decompress(path.read_bytes())))
    except (OSError, ValueError, KeyError, TypeError, EOFError, gzip.BadGzipFile):  # missing, truncated, garbled, another layout: a full build
        return None
    if cache.environment != environment or token is None or cache.token != token:
        return None
    return cache


def write(path: Path, cache: BuildCache) -> None:
    temporary = path.with_name(path.name + ".tmp")
    data = json.dumps(_to_data(cache), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    temporary.write_bytes(gzip.compress(data, compresslevel=1, mtime=0))
    os.replace(temporary, path)


def _to_data(cache: BuildCache) -> dict[str, Any]:
    issues = {folder: {**dataclasses.asdict(record), "feed": _feed_data(record.feed)} for folder, record in cache.issues.items()}
    return {
        "format": FORMAT,
        "environment": cache.environment,
        "token": cache.token,
        "issues": issues,
        "archive_keys": cache.archive_keys,
        "shards": sorted(cache.shards),
        "assets": cache.assets,
    }


def _feed_data(feed: dict[str, tuple[FeedStory, ...]] | None) -> dict[str, list[dict[str, Any]]] | None:
    if feed is None:
        return None
    return {code: [{**dataclasses.asdict(story), "published": story.published.isoformat()} for story in stories] for code, stories in feed.items()}


def _from_data(data: dict[str, Any]) -> BuildCache:
    if data["format"] != FORMAT:
        raise ValueError("another layout")
    return BuildCache(
        environment=str(data["environment"]),
        token=str(data["token"]),
        issues={folder: _record(value) for folder, value in data["issues"].items()},
        archive_keys={str(k): str(v) for k, v in data["archive_keys"].items()},
        shards=set(data["shards"]),
        assets={str(k): (int(v[0]), int(v[1])) for k, v in data["assets"].items()},
    )


def _record(value: dict[str, Any]) -> IssueRecord:
    feed = value["feed"]
    stories = {code: tuple(_story(s) for s in items) for code, items in feed.items()} if feed is not None else None
    return IssueRecord(
        stamp=str(value["stamp"]),
        keys={str(k): str(v) for k, v in value["keys"].items()},
        listed=tuple(value["listed"]),
        listing=str(value["listing"]),
        glossaries=list(value["glossaries"]),
        labels=tuple(value["labels"]),
        searchable=bool(value["searchable"]),
        files=tuple(value["files"]),
        pages=int(value["pages"]),
        articles=int(value["articles"]),
        warnings=[Fault(w["path"], w["line"], w["message"], bool(w["warning"])) for w in value["warnings"]],
        feed=stories,
    )


def _story(value: dict[str, Any]) -> FeedStory:
    return FeedStory(**{**value, "authors": tuple(value["authors"]), "published": dt.datetime.fromisoformat(value["published"])})


def forget(path: Path) -> None:
    path.unlink(missing_ok=True)
