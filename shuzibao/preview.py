"""The editors' preview: build, serve, watch, rebuild what changed, reload the open pages.

One builder thread does all the building, so builds never overlap. File events (from watchdog,
or polling with --poll) are debounced: a burst of saves, a rename dance or a git checkout
becomes one rebuild. A failed build keeps the last good pages on screen, prints the faults and
shows them over every page until a build succeeds. Search is re-indexed in the background.
"""

from __future__ import annotations

import queue
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import jinja2
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from . import search, urls
from .faults import ContentError, Fault
from .incremental import KeyBook, fingerprint, remove_pages, sync_files
from .load import ArticleCache, is_ignored
from .model import Edition
from .pipeline import Project, Report, load_edition, published_files, template_fault, theme_versions
from .render import Renderer, make_environment
from .serve import LiveState

QUIET = 0.15  # seconds without a new event before a burst counts as finished


class Preview:
    """Builds `project` into `project.out`, a folder that only this preview writes."""

    def __init__(self, project: Project, live: LiveState, say: Callable[[str], None] = print):
        self.project, self.live, self.say = project, live, say
        self.cache = ArticleCache()
        self.book = KeyBook()
        self.files: dict[str, tuple[int, int]] = {}
        self.documents = project.out.parent / "search-documents"
        self.renderer: Renderer | None = None
        self.environment = ""
        self.indexer = Indexer(project.out, self.documents, live)

    def rebuild(self) -> list[Fault]:
        """Bring the served folder up to date with the content; return the faults, if any."""
        faults = self._rebuild()
        self.live.finished(faults)
        if faults:
            for fault in faults:
                self.say(str(fault))
            self.say(f"构建失败：{len(faults)} 处错误；预览仍显示上一次成功的构建。")
        return faults

    def _rebuild(self) -> list[Fault]:
        start = time.perf_counter()
        project = self.project
        try:
            edition = load_edition(project.content, True, Report(), cache=self.cache)
        except ContentError as error:
            return error.faults
        environment = fingerprint(project.templates, project.theme, files=(project.content / "site.yaml",))
        if environment != self.environment or self.renderer is None:
            self.renderer = Renderer(make_environment(project.templates), theme_versions(project.theme), preview=True)
        changes, keys = self.book.changes(edition, environment)
        try:
            outputs = list(self.renderer.site(edition, changes.plan))
        except jinja2.TemplateError as error:
            return [template_fault(error, project.templates)]
        pages = [o for o in outputs if o.kind == "page"]
        with self.live.lock.writing():
            for output in pages:
                target = project.out / output.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(output.data)
            remove_pages(project.out, changes.removed, edition)
            sync_files(list(published_files(project, edition)), project.out, self.files)
        self.write_documents(edition, [o for o in outputs if o.kind == "search"], changes.everything, changes.plan.issues)
        self.book.commit(keys, environment)
        self.environment = environment
        self.cache.forget_missing(project.content)
        count = sum(1 for o in pages if o.path.endswith(".html"))
        self.say(f"已更新 {count} 个页面，用时 {1000 * (time.perf_counter() - start):.0f} 毫秒")
        return []

    def write_documents(self, edition: Edition, documents: list, everything: bool, issues: set[str] | None) -> None:  # type: ignore[type-arg]
        """Keep the search documents in step with the pages, then ask for a new index."""
        current = {issue.folder for issue in edition.issues}
        for variant in edition.site.variants:
            folder = self.documents / variant.code
            if everything:
                shutil.rmtree(folder, ignore_errors=True)
            elif folder.is_dir():
                for issue_folder in folder.iterdir():
                    if issue_folder.name not in current or (issues is not None and issue_folder.name in issues):
                        shutil.rmtree(issue_folder)
        for output in documents:
            target = self.documents / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(output.data)
        if documents or everything:
            self.indexer.request([(self.documents / v.code, urls.search_bundle(v)) for v in edition.site.variants])


class Indexer:
    """Runs Pagefind in the background and swaps each new bundle in whole; requests coalesce."""

    def __init__(self, out: Path, documents: Path, live: LiveState):
        self.out, self.documents, self.live = out, documents, live
        self.wanted: queue.Queue[list[tuple[Path, str]]] = queue.Queue()
        threading.Thread(target=self.run, daemon=True).start()

    def request(self, jobs: list[tuple[Path, str]]) -> None:
        self.wanted.put(jobs)

    def run(self) -> None:
        while True:
            jobs = self.wanted.get()
            while not self.wanted.empty():  # only the newest request matters
                jobs = self.wanted.get()
            fresh = [(documents, self.documents.parent / f"bundle-{n}") for n, (documents, _) in enumerate(jobs) if documents.is_dir()]
            for _, bundle in fresh:
                shutil.rmtree(bundle, ignore_errors=True)
            if search.run_pagefind(fresh):
                continue  # a half-written document: the next request indexes again
            with self.live.lock.writing():
                for (_, bundle), (_, target) in zip(fresh, jobs):
                    shutil.rmtree(self.out / target, ignore_errors=True)
                    bundle.rename(self.out / target)


class Watcher(FileSystemEventHandler):
    """Turns file events into a queue of 'something changed' for the builder."""

    def __init__(self, events: queue.Queue[str]):
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
        if event.event_type in ("opened", "closed_no_write") or all(is_ignored(Path(p).name) for p in paths if p):
            return
        self.events.put(paths[0])


def watch(project: Project, poll: bool) -> tuple[queue.Queue[str], Observer]:
    events: queue.Queue[str] = queue.Queue()
    observer = PollingObserver(timeout=0.5) if poll else Observer()
    for folder in (project.content, project.templates, project.theme):
        observer.schedule(Watcher(events), str(folder), recursive=True)
    observer.start()
    return events, observer


def build_forever(preview: Preview, events: queue.Queue[str]) -> None:
    """Wait for a change, wait for the burst to end, rebuild; for ever."""
    while True:
        events.get()
        deadline = time.monotonic() + 2.0  # a steady stream of events still gets a rebuild
        while time.monotonic() < deadline:
            try:
                events.get(timeout=QUIET)
            except queue.Empty:
                break
        try:
            preview.rebuild()
        except Exception as error:  # never let the preview die: report and keep serving
            preview.live.finished([Fault("(预览)", None, f"内部错误：{type(error).__name__}: {error}")])
            print(f"内部错误（程序的问题）：{type(error).__name__}: {error}", file=sys.stderr)
