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

import hashlib
import importlib.metadata
import os
import pickle
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..faults import Fault
from ..render.feeds import FeedStory

FORMAT = 3  # bump when the cache's own layout changes
LIBRARIES = ("Jinja2", "markdown-it-py", "opencc", "pagefind-bin", "Pillow", "PyYAML")


@dataclass
class IssueRecord:
    """What the build keeps of an issue once its pages are written."""

    stamp: str  # names, sizes and times of the issue's files
    keys: dict[str, str]  # page path (source script) -> digest of what the page shows
    listed: tuple[str, ...]  # the paths the sitemap lists
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


def environment(package: Path, folders: list[Path], files: list[Path], options: tuple[object, ...]) -> str:
    """Everything that makes every page different when it changes: the program (its version and
    its own source, so that a developer's edit counts too), the libraries, the templates and
    theme (`folders`), site.yaml (`files`) and the build options."""
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(repr((FORMAT, __version__, sys.version, options)).encode())
    for library in LIBRARIES:
        try:
            hasher.update(f"{library}={importlib.metadata.version(library)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            hasher.update(f"{library}=?\n".encode())
    program = sorted(package.rglob("*.py"))  # every module, subpackages included
    paths = program + sorted(p for folder in folders for p in folder.rglob("*") if p.is_file()) + files
    for path in paths:
        hasher.update(f"{path.as_posix()}|".encode())
        hasher.update(path.read_bytes() if path.is_file() else b"(none)")
    return hasher.hexdigest()


def issue_stamp(folder: Path) -> str:
    """Names, sizes and modification times of every file in an issue folder: what an edit changes."""
    hasher = hashlib.blake2b(digest_size=12)
    stack = [folder]
    while stack:
        for entry in sorted(os.scandir(stack.pop()), key=lambda e: e.name):
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            else:
                stat = entry.stat()
                hasher.update(f"{entry.path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return hasher.hexdigest()


def read(path: Path, environment: str, token: str | None) -> BuildCache | None:
    """The cache, if it is whole and was made for this environment and this very output folder."""
    try:
        cache = pickle.loads(path.read_bytes())
    except Exception:  # missing, truncated, garbled or from another layout: a full build
        return None
    if not isinstance(cache, BuildCache) or cache.environment != environment or token is None or cache.token != token:
        return None
    return cache


def write(path: Path, cache: BuildCache) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_bytes(pickle.dumps(cache, protocol=pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, path)


def forget(path: Path) -> None:
    path.unlink(missing_ok=True)
