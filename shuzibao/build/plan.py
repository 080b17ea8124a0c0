"""The planning of a build: which issues to read and for what, which records to keep, what to remove.

Pure functions of the last build's cache and the tree's stamps, apart from the orchestration in
pipeline.py, so that each rule can be tested on its own (tests/test_plan.py). Without a cache,
every issue is read, rendered and indexed. With one, only what the change reaches:
- the issues added or edited are rendered (the worker writes only their pages whose keys
  changed), and so are the neighbours of an issue added or removed (their "previous/next issue"
  links);
- for search, every issue of a month with a change gives all its documents, for that month's
  shard is made again (or, in the preview, the pages rendered give theirs);
- the latest issues give their stories for the feeds, which only their records keep.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum

from ..model import Site
from ..render.feeds import ISSUES as FEED_ISSUES
from ..search.documents import shard_of
from .cache import BuildCache, IssueRecord


class Documents(Enum):
    """Which search documents a worker makes of an issue."""

    ALL = "all"  # every story's: its month's shard is made again
    RENDERED = "rendered"  # those of the pages rendered (the preview keeps its documents page by page)
    NONE = "none"


@dataclass
class Task:
    """What a worker does with one issue."""

    folder: str  # the issue
    stamp: str  # of its files, kept in its record
    render: bool  # write its pages whose keys differ from `old_keys` (all of them when empty)
    documents: Documents  # which of its search documents to make
    feed: bool = False  # make its stories for the feeds (one of the latest issues)
    old_keys: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    tasks: list[Task]
    changed: set[str]  # issues added, edited or removed since the cached build (every issue without one)
    gone: set[str]  # issues removed since the cached build


def changed_folders(old: BuildCache, folders: list[str], stamps: dict[str, str]) -> set[str]:
    """Issues added, edited or removed since the cached build."""
    return {f for f in folders if f not in old.issues or old.issues[f].stamp != stamps[f]} | (set(old.issues) - set(folders))


def feed_folders(folders: list[str]) -> list[str]:
    """The issues whose stories the feeds show: the latest ones."""
    return folders[-FEED_ISSUES:]


def plan(old: BuildCache | None, folders: list[str], stamps: dict[str, str], documents: Documents, render: bool, feeds: bool, known: set[str] | None = None) -> Plan:
    """The tasks of a build, in the issues' order. `documents` is what a full build makes
    (ALL: whole months' documents; RENDERED: those of the pages rendered), but for the issues
    whose documents are `known` (shard_reuse.py); `render` False only checks (site.yaml has
    faults); `feeds` whether the site has feeds (it has base_url)."""
    latest = set(feed_folders(folders)) if feeds and render else set()
    if old is None:
        wanted = documents if render else Documents.NONE
        return Plan([Task(f, stamps[f], render, Documents.NONE if f in (known or ()) else wanted, f in latest) for f in folders], set(folders), set())
    changed = changed_folders(old, folders, stamps)
    gone = set(old.issues) - set(folders)
    rendered = changed - gone
    for order, moved in ((folders, changed - set(old.issues)), (sorted(old.issues), gone)):
        for index, folder in enumerate(order):
            if folder in moved:
                rendered.update(order[max(0, index - 1) : index + 2])
    months = {shard_of(f) for f in changed} if documents is Documents.ALL else set()
    # A latest issue read for nothing else but its feed stories: it was not among the latest before.
    unfed = {f for f in latest if f in old.issues and old.issues[f].feed is None}

    def wants(folder: str) -> Documents:
        if not render:
            return Documents.NONE
        if shard_of(folder) in months:
            return Documents.ALL
        return Documents.RENDERED if documents is Documents.RENDERED and folder in rendered else Documents.NONE

    tasks = [
        Task(f, stamps[f], render and f in rendered, wants(f), f in latest, old.issues[f].keys if f in old.issues else {})
        for f in folders
        if f in rendered or shard_of(f) in months or f in unfed
    ]
    return Plan(tasks, changed, gone)


def gather(old: BuildCache | None, folders: list[str], fresh: dict[str, IssueRecord], feeds: bool) -> dict[str, IssueRecord]:
    """Every issue's record: fresh for the issues read, from the cache for the others. Only the
    latest issues' records keep their feed stories (the archive's would fill the cache)."""
    kept = old.issues if old is not None else {}
    records = {f: fresh[f] if f in fresh else kept[f] for f in folders if f in fresh or f in kept}
    latest = set(feed_folders(folders)) if feeds else set()
    return {f: r if f in latest or r.feed is None else dataclasses.replace(r, feed=None) for f, r in records.items()}


def searchable_months(records: dict[str, IssueRecord]) -> set[str]:
    """The months with a story to search: the search shards."""
    return {shard_of(f) for f, record in records.items() if record.searchable}


def touched_months(old: BuildCache | None, plan: Plan, new: BuildCache) -> set[str]:
    """The months whose search shards are made again: every searchable month in a full build,
    the months with a change in a cached one."""
    return searchable_months(new.issues) if old is None else {shard_of(f) for f in plan.changed}


def removed_pages(old: BuildCache | None, new: BuildCache, read: set[str], gone: set[str], site: Site) -> set[str]:
    """Output paths to delete from the output: pages and page files of the issues read that are no
    longer made, and whole folders of the issues that are gone, in every script."""
    if old is None:
        return set()
    before = {p for f in read | gone if f in old.issues for p in old.issues[f].keys}
    after = {p for f in read if f in new.issues for p in new.issues[f].keys}
    paths = {v.prefix + p for v in site.variants for p in before - after}
    paths |= {v.prefix + f for v in site.variants for f in gone}
    paths |= {p for f in read if f in old.issues for p in set(old.issues[f].files) - set(new.issues[f].files if f in new.issues else ())}
    return paths
