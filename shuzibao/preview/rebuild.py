"""The editors' preview: build, serve, watch, rebuild what changed, reload the open pages.

The preview is the published build's own engine (pipeline.build) run again and again with a
session: the build cache stays in memory, the watcher says which issues were touched so that
no other issue is even looked at, and the changed files are moved into the served folder while
requests wait. So a save costs the same in a year's archive as in a decade's, and the preview
holds no more of the archive in memory than a build does.

One builder thread does all the building, so builds never overlap. File events (from watchdog,
or polling with --poll) are debounced: a burst of saves, a rename dance or a git checkout
becomes one rebuild. A failed build keeps the last good pages on screen, prints the faults and
shows them over every page until a build succeeds. Search is re-indexed in the background.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import queue
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from .. import urls
from ..build import cache
from ..build.pipeline import Project, Session, build
from ..content.load import is_ignored
from ..content.schema import DATE
from ..faults import ContentError, Fault
from ..search.pagefind import run_pagefind
from .server import LiveState

QUIET = 0.05  # seconds without a new event before a burst of saves counts as finished
INDEX_QUIET = 1.0  # seconds without a rebuild before the search index is made again


class Preview:
    """Builds `project` (drafts in) into `project.out`, a folder that only this preview writes."""

    def __init__(self, project: Project, live: LiveState, say: Callable[[str], None] = print):
        self.project, self.live, self.say = project, live, say
        self.documents = project.out.parent / "search-documents"
        self.session = Session(documents=self.documents, guard=live.lock.writing, keep_search=True)
        self.indexer = Indexer(project.out, self.documents, live)
        self.failed: set[str] | None = set()  # issues touched by failed builds: looked at again until one succeeds

    def rebuild(self, changed: set[Path] | None = None) -> list[Fault]:
        """Bring the served folder up to date after a change to the files `changed` (None: any
        file may have changed); return the faults, if any."""
        start = time.perf_counter()
        touched = self.touched_issues(changed)
        self.session.touched = None if touched is None or self.failed is None else touched | self.failed
        try:
            report = build(self.project, drafts=True, preview=True, search=False, session=self.session)
        except ContentError as error:
            self.failed = None if self.session.touched is None else self.session.touched
            faults, warnings = error.faults, None
        else:
            self.failed = set()
            faults, warnings = [], report.warnings
            self.say(f"已更新 {report.files} 个页面，用时 {1000 * (time.perf_counter() - start):.0f} 毫秒")
            if report.warnings != self.live.warnings:  # said once, not again on every save
                for warning in report.warnings:
                    self.say(str(warning))
            if report.months:
                self.indexer.request([(self.documents / v.code / m, urls.search_bundle(v, m)) for v in report.variants for m in sorted(report.months, reverse=True)])
        self.live.finished(faults, warnings)
        if faults:
            for fault in faults:
                self.say(str(fault))
            self.say(f"构建失败：{len(faults)} 处错误；预览仍显示上一次成功的构建。")
        return faults

    def touched_issues(self, changed: set[Path] | None) -> set[str] | None:
        """The issue folders the changed files belong to; None when a change reaches further."""
        if changed is None:
            return None
        folders = set()
        for path in changed:
            try:
                parts = path.resolve().relative_to(self.project.content.resolve()).parts
            except ValueError:
                continue  # templates and theme: the build's environment digest sees those
            if not parts or not DATE.match(parts[0]):
                return None  # site.yaml, or something new at the top
            folders.add(parts[0])
        return folders

    def save_cache(self) -> None:
        """Keep the session's cache on disk, so that the next preview of the same tree starts fast."""
        if self.session.cache is not None:
            cache.write(cache.location(self.project.out), self.session.cache)


class Indexer:
    """Runs Pagefind in the background and swaps each new bundle in whole; requests coalesce."""

    def __init__(self, out: Path, documents: Path, live: LiveState):
        self.out, self.documents, self.live = out, documents, live
        self.wanted: queue.Queue[list[tuple[Path, str]]] = queue.Queue()
        for leftover in documents.parent.glob("bundle-*"):  # from a preview stopped while it indexed
            shutil.rmtree(leftover, ignore_errors=True)
        threading.Thread(target=self.run, daemon=True).start()

    def request(self, jobs: list[tuple[Path, str]]) -> None:
        self.wanted.put(jobs)

    def run(self) -> None:
        while True:
            wanted = {target: documents for documents, target in self.wanted.get()}
            while True:  # wait for the saves to pause, gathering every shard asked for meanwhile
                try:
                    wanted.update((target, documents) for documents, target in self.wanted.get(timeout=INDEX_QUIET))
                except queue.Empty:
                    break
            made = [(documents, self.documents.parent / f"bundle-{n}", target) for n, (target, documents) in enumerate(sorted(wanted.items())) if any(documents.rglob("*.html"))]
            for _, bundle, _ in made:
                shutil.rmtree(bundle, ignore_errors=True)
            if run_pagefind([(documents, bundle) for documents, bundle, _ in made], background=True):
                continue  # a half-written document: the next request indexes again
            with self.live.lock.writing():
                for target in wanted:  # a month left with no stories loses its shard
                    shutil.rmtree(self.out / target, ignore_errors=True)
                for _, bundle, target in made:
                    (self.out / target).parent.mkdir(parents=True, exist_ok=True)
                    bundle.rename(self.out / target)


class Watcher(FileSystemEventHandler):
    """Turns file events into a queue of 'something changed' for the builder."""

    def __init__(self, events: queue.Queue[str]):
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = [str(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        if event.event_type in ("opened", "closed_no_write") or all(is_ignored(Path(p).name) for p in paths):
            return
        for path in paths:  # a rename touches where it came from and where it went
            self.events.put(path)


# The events that can change the site. Asking only for these keeps opens and reads (of every
# folder while watches are set up, of every file during a build) out of the kernel's queue, which
# would otherwise overflow on a decade's archive and lose saves.
CHANGES = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent, DirCreatedEvent, DirDeletedEvent, DirMovedEvent]


def watch(project: Project, poll: bool) -> tuple[queue.Queue[str], BaseObserver]:
    events: queue.Queue[str] = queue.Queue()
    observer = PollingObserver(timeout=0.5) if poll else Observer()
    for folder in (project.content, project.templates, project.theme):
        observer.schedule(Watcher(events), str(folder), recursive=True, event_filter=CHANGES)
    observer.start()
    return events, observer


def build_forever(preview: Preview, events: queue.Queue[str]) -> None:
    """Wait for a change, wait for the burst to end, rebuild what it touched; for ever."""
    while True:
        changed = {Path(events.get())}
        deadline = time.monotonic() + 2.0  # a steady stream of events still gets a rebuild
        while time.monotonic() < deadline:
            try:
                changed.add(Path(events.get(timeout=QUIET)))
            except queue.Empty:
                break
        try:
            preview.rebuild(changed)
        except Exception as error:  # never let the preview die: report and keep serving
            preview.live.finished([Fault("(预览)", None, f"内部错误：{type(error).__name__}: {error}")])
            print(f"内部错误（程序的问题）：{type(error).__name__}: {error}", file=sys.stderr)


@contextlib.contextmanager
def preview_folder(content: Path, base: Path) -> Iterator[Path]:
    """The preview's own folder for this content tree, kept between runs in the user's cache
    folder (`base`) so that the next preview starts from its build cache instead of building everything.
    A second preview of the same tree at the same time gets a temporary folder instead."""
    name = hashlib.blake2b(str(content.resolve()).encode(), digest_size=8).hexdigest()
    folder = base / f"preview-{name}"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            temporary = Path(tempfile.mkdtemp(prefix="shuzibao-preview-"))
            try:
                yield temporary
            finally:
                shutil.rmtree(temporary, ignore_errors=True)
            return
        yield folder
