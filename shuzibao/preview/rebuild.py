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

The watched folders may be deleted, restored or replaced (a checkout renames the old one away and
puts a new one in its place): the builder looks every RENEW seconds and watches the folder now at
that path, with a full rebuild. The preview's folders in the user's cache are pruned to KEEP.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import queue
import re
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
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from .. import urls
from ..build import cache
from ..build.pipeline import Project, Session, build
from ..content.article_body import Bodies
from ..content.load import is_ignored
from ..content.schema import DATE
from ..faults import ContentError, Fault
from ..search.canonical import lay_out
from ..search.pagefind import Runs, run_pagefind
from . import locks
from .server import LiveState

QUIET = 0.02  # seconds without a new event before a burst of saves counts as finished (a save's events come within 2 ms)
INDEX_QUIET = 1.0  # seconds without a rebuild before the search index is made again
RENEW = 0.5  # seconds between looks at whether a watched folder was deleted or replaced
KEEP = 3  # preview folders kept in the user's cache: each holds a whole site, gigabytes for an archive
PREVIEW_NAME = re.compile(r"preview-[0-9a-f]{16}")  # a preview's folder; anything else named preview-* is a removal cut short


class Preview:
    """Builds `project` (drafts in) into `project.out`, a folder that only this preview writes."""

    def __init__(self, project: Project, live: LiveState, say: Callable[[str], None] = print):
        self.project, self.live, self.say = project, live, say
        self.documents = project.out.parent / "search-documents"
        self.session = Session(documents=self.documents, guard=live.lock.writing, keep_search=True, bodies=Bodies())
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
                self.indexer.request([(self.documents / m, urls.search_bundle(m)) for m in sorted(report.months, reverse=True)])
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

    def close(self) -> None:
        """Stop indexing (no Pagefind is left running) and keep the session's cache on disk, so
        that the next preview of the same tree starts fast."""
        self.indexer.stop()
        if self.session.cache is not None:
            cache.write(cache.location(self.project.out), self.session.cache)


class Indexer:
    """Runs Pagefind in the background and swaps each new bundle in whole; requests coalesce."""

    def __init__(self, out: Path, documents: Path, live: LiveState):
        self.out, self.documents, self.live = out, documents, live
        self.wanted: queue.Queue[list[tuple[Path, str]]] = queue.Queue()
        self.runs = Runs()
        self.laid_out = documents.parent / "laid-out"  # a month's documents as Pagefind reads them, by month: its faults name it
        for leftover in [*documents.parent.glob("bundle-*"), self.laid_out]:  # from a preview stopped while it indexed
            shutil.rmtree(leftover, ignore_errors=True)
        threading.Thread(target=self.run, daemon=True).start()

    def request(self, jobs: list[tuple[Path, str]]) -> None:
        self.wanted.put(jobs)

    def stop(self) -> None:
        self.runs.stop()

    def run(self) -> None:
        while True:
            jobs = self.wanted.get()
            try:
                self.index(jobs)
            except Exception as error:  # search lags, the preview goes on: said in one line, tried again on the next save
                print(f"搜索索引未能更新（程序的问题）：{type(error).__name__}: {error}", file=sys.stderr, flush=True)

    def index(self, jobs: list[tuple[Path, str]]) -> None:
        """Make the shards asked for by `jobs` and by every request until the saves pause."""
        wanted = {target: documents for documents, target in jobs}
        while True:  # wait for the saves to pause, gathering every shard asked for meanwhile
            try:
                wanted.update((target, documents) for documents, target in self.wanted.get(timeout=INDEX_QUIET))
            except queue.Empty:
                break
        made = [(documents, self.documents.parent / f"bundle-{n}", target) for n, (target, documents) in enumerate(sorted(wanted.items())) if any(documents.rglob("*.html"))]
        kept = {self.laid_out / documents.name: documents for documents, _, _ in made}
        for _, bundle, _ in made:
            shutil.rmtree(bundle, ignore_errors=True)
        try:
            pairs = list(zip(kept, (bundle for _, bundle, _ in made), strict=True))
            failed = run_pagefind(pairs, background=True, runs=self.runs, prepare=lambda site: lay_out(_kept_documents(kept[site]), site))
        finally:
            shutil.rmtree(self.laid_out, ignore_errors=True)
        if failed:
            return  # a half-written document, or stopped: the next request indexes again
        with self.live.lock.writing():
            for target in wanted:  # a month left with no stories loses its shard
                shutil.rmtree(self.out / target, ignore_errors=True)
            for _, bundle, target in made:
                (self.out / target).parent.mkdir(parents=True, exist_ok=True)
                bundle.rename(self.out / target)


def _kept_documents(folder: Path) -> list[tuple[str, bytes]]:
    """A month's search documents, kept as files by their paths, to be laid out for Pagefind."""
    documents = []
    for path in folder.rglob("*.html"):
        with contextlib.suppress(FileNotFoundError):  # removed by a save meanwhile, which asks for the month again
            documents.append((path.relative_to(folder).as_posix(), path.read_bytes()))
    return documents


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


class Watching:
    """The watches on the content, templates and theme folders, and the queue their events go to.

    watchdog stops watching a folder that is deleted (and one put back at its path is not
    watched), and goes on watching one renamed away, under its old name. `renew` sees both: a
    watch whose emitter stopped, or a folder at the path that is not the one watched."""

    def __init__(self, project: Project, poll: bool):
        self.events: queue.Queue[str] = queue.Queue()
        self.observer: BaseObserver = PollingObserver(timeout=0.5) if poll else Observer()
        self.watched: dict[Path, tuple[ObservedWatch, tuple[int, int]] | None] = dict.fromkeys([project.content, project.templates, project.theme])
        for folder in self.watched:
            self.watch(folder)
        self.observer.start()

    def watch(self, folder: Path) -> bool:
        """Watch the folder at this path, if there is one now."""
        try:
            seen = identity(folder)
            self.watched[folder] = (self.observer.schedule(Watcher(self.events), str(folder), recursive=True, event_filter=CHANGES), seen)
        except OSError:  # gone again already: looked at on the next renew
            return False
        return True

    def renew(self) -> None:
        """Watch again each folder deleted, restored or replaced since it was watched; queue an
        event for it, so that the builder rebuilds everything (or says that it is missing)."""
        for folder, current in list(self.watched.items()):
            if current is not None:
                watch, seen = current
                if self.alive(watch) and identity_or_none(folder) == seen:
                    continue
                self.observer.unschedule(watch)
                self.watched[folder] = None
                self.events.put(str(folder))
            if folder.is_dir() and self.watch(folder):
                self.events.put(str(folder))

    def alive(self, watch: ObservedWatch) -> bool:
        return any(emitter.watch == watch and emitter.is_alive() for emitter in self.observer.emitters)

    def stop(self) -> None:
        self.observer.stop()


def identity(folder: Path) -> tuple[int, int]:
    """What tells a folder from another put at the same path; OSError when there is none."""
    status = folder.stat()
    if not folder.is_dir():
        raise NotADirectoryError(str(folder))
    return status.st_dev, status.st_ino


def identity_or_none(folder: Path) -> tuple[int, int] | None:
    try:
        return identity(folder)
    except OSError:
        return None


def build_forever(preview: Preview, watching: Watching) -> None:
    """Wait for a change, wait for the burst to end, rebuild what it touched; for ever. While no
    change comes, look every RENEW seconds at whether a watched folder was deleted or replaced."""
    while True:
        try:
            changed = {Path(watching.events.get(timeout=RENEW))}
        except queue.Empty:
            watching.renew()
            continue
        deadline = time.monotonic() + 2.0  # a steady stream of events still gets a rebuild
        while time.monotonic() < deadline:
            try:
                changed.add(Path(watching.events.get(timeout=QUIET)))
            except queue.Empty:
                break
        try:
            preview.rebuild(changed)
        except Exception as error:  # never let the preview die: report and keep serving
            preview.live.finished([Fault("(预览)", None, f"内部错误：{type(error).__name__}: {error}")])
            print(f"内部错误（程序的问题）：{type(error).__name__}: {error}", file=sys.stderr)
        watching.renew()


@contextlib.contextmanager
def preview_folder(content: Path, base: Path) -> Iterator[Path]:
    """The preview's own folder for this content tree, kept between runs in the user's cache
    folder (`base`) so that the next preview starts from its build cache instead of building everything.
    A second preview of the same tree at the same time gets a temporary folder instead. The
    lock file says that the folder is in use, and its time when it was last used."""
    name = hashlib.blake2b(str(content.resolve()).encode(), digest_size=8).hexdigest()
    folder = base / f"preview-{name}"
    lock = hold(folder)
    if lock is None:
        temporary = Path(tempfile.mkdtemp(prefix="shuzibao-preview-"))
        try:
            yield temporary
        finally:
            shutil.rmtree(temporary, ignore_errors=True)
        return
    with lock:
        os.utime(folder / "lock")
        try:
            yield folder
        finally:
            with contextlib.suppress(OSError):  # removed meanwhile by hand: nothing to mark
                os.utime(folder / "lock")


def hold(folder: Path) -> locks.Held | None:
    """The folder's lock, made if need be and taken; None when a running preview holds it."""
    while True:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "lock").touch()
        try:
            lock = locks.acquire(folder / "lock")
        except FileNotFoundError:  # a prune renamed the folder away just now: make it again
            continue
        if lock is None:
            return None
        if lock.still_there(folder / lock.path.name):
            return lock
        lock.release()  # a prune renamed the folder away between the two steps: make it again


def prune_previews(base: Path, keep: int = KEEP) -> None:
    """Remove all but the `keep` most recently used preview folders in `base` (the one in use is
    the most recent), never one a running preview holds; and what a removal cut short left."""
    folders = sorted((f for f in base.glob("preview-*") if PREVIEW_NAME.fullmatch(f.name)), key=last_used, reverse=True)
    for folder in folders[keep:]:
        remove_preview(folder)
    for leftover in base.glob("preview-*"):
        if not PREVIEW_NAME.fullmatch(leftover.name):
            shutil.rmtree(leftover, ignore_errors=True)


def last_used(folder: Path) -> float:
    for path in (folder / "lock", folder):
        try:
            return path.stat().st_mtime
        except OSError:
            continue
    return 0.0


def remove_preview(folder: Path) -> bool:
    """Remove a preview's folder unless a running preview holds its lock; True if removed. It is
    renamed away under the lock first, so that a preview starting meanwhile makes a new one."""
    try:
        lock = locks.acquire(folder / "lock") if folder.is_dir() else None
        if lock is None:  # in use, or gone already
            return False
        with lock:
            away = folder.with_name(f"{folder.name}.removing-{os.getpid()}")
            folder.rename(away)
    except OSError:  # gone meanwhile
        return False
    shutil.rmtree(away, ignore_errors=True)
    return True
