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

from . import load, parallel, search, urls
from .faults import Fault, Faults
from .incremental import Changes, KeyBook, fingerprint, remove_pages, sync_files
from .load import DATE, ArticleCache, is_ignored
from .model import Edition, Issue, Site
from .jumps import check_issue
from .parallel import write
from .pipeline import Project, published_files, theme_versions
from .render import Catalogue, Output, Plan, Renderer, make_environment, template_fault
from .serve import LiveState

QUIET = 0.05  # seconds without a new event before a burst of saves counts as finished
INDEX_QUIET = 1.0  # seconds without a rebuild before the search index is made again


class Preview:
    """Builds `project` into `project.out`, a folder that only this preview writes."""

    def __init__(self, project: Project, live: LiveState, say: Callable[[str], None] = print):
        self.project, self.live, self.say = project, live, say
        self.cache = ArticleCache()
        self.book = KeyBook()
        self.files: dict[str, tuple[int, int]] = {}
        self.documents = project.out.parent / "search-documents"
        self.renderer: Renderer | None = None
        self.indexer = Indexer(project.out, self.documents, live)
        # The model as last loaded, an issue at a time, with each issue's faults.
        self.site: Site | None = None
        self.site_faults: list[Fault] = []
        self.issues: dict[str, Issue] = {}
        self.issue_faults: dict[str, list[Fault]] = {}

    def rebuild(self, changed: set[Path] | None = None) -> list[Fault]:
        """Bring the served folder up to date after a change to the files `changed` (None: any
        file may have changed); return the faults, if any."""
        faults = self._rebuild(self.touched_issues(changed))
        self.live.finished(faults)
        if faults:
            for fault in faults:
                self.say(str(fault))
            self.say(f"构建失败：{len(faults)} 处错误；预览仍显示上一次成功的构建。")
        return faults

    def touched_issues(self, changed: set[Path] | None) -> set[str] | None:
        """The issue folders the changed files belong to; None when a change reaches further."""
        if changed is None or self.site is None:
            return None
        folders = set()
        for path in changed:
            try:
                parts = path.resolve().relative_to(self.project.content.resolve()).parts
            except ValueError:
                continue  # templates and theme: the environment fingerprint sees those
            if not parts or not DATE.match(parts[0]):
                return None  # site.yaml, or something new at the top
            folders.add(parts[0])
        return folders

    def load(self, touched: set[str] | None) -> tuple[Edition, list[Fault]]:
        """The edition, reading again only the touched issues (or everything)."""
        content = self.project.content
        if touched is None or self.site is None:
            found = Faults()
            self.site = load.load_site(content, found)
            folders = load.issue_folders(content, self.site, found)
            self.site_faults = found.items
            self.issues, self.issue_faults = {}, {}
            touched = set(folders)
            self.cache.forget_missing(content)
        for folder in touched:
            self.reload_issue(folder)
        edition = Edition(self.site, sorted(self.issues.values(), key=lambda i: i.date))
        faults = self.site_faults + [f for folder in sorted(self.issue_faults) for f in self.issue_faults[folder]]
        return edition, sorted((f for f in faults if not f.warning), key=Fault.sort_key)

    def reload_issue(self, folder: str) -> None:
        self.issues.pop(folder, None)
        self.issue_faults.pop(folder, None)
        if not (self.project.content / folder).is_dir():
            return  # the issue was deleted
        found = Faults()
        assert self.site is not None
        issue = load.load_issue(self.project.content, folder, self.site, found, self.cache)
        if issue is not None:
            check_issue(issue, True, found)
            self.issues[folder] = issue
        self.issue_faults[folder] = found.items

    def _rebuild(self, touched: set[str] | None) -> list[Fault]:
        start = time.perf_counter()
        project = self.project
        edition, faults = self.load(touched)
        if faults:
            return faults
        environment = fingerprint(project.templates, project.theme, files=(project.content / "site.yaml",))
        if environment != self.book.environment or self.renderer is None:
            self.renderer = Renderer(make_environment(project.templates), theme_versions(project.theme), preview=True)
        changes, keys = self.book.changes(edition, environment, touched)
        try:
            if changes.everything:
                count = self.rebuild_everything(edition)
            else:
                count = self.rebuild_pages(edition, changes)
        except jinja2.TemplateError as error:
            return [template_fault(error)]
        except TemplateFaults as error:
            return error.faults
        self.book.commit(keys, environment)
        self.say(f"已更新 {count} 个页面，用时 {1000 * (time.perf_counter() - start):.0f} 毫秒")
        return []

    def rebuild_pages(self, edition: Edition, changes: Changes) -> int:
        """The pages whose keys changed: rendered first, then written while requests wait."""
        assert self.renderer is not None
        outputs = list(self.renderer.site(edition, changes.plan))
        pages = [o for o in outputs if o.kind == "page"]
        with self.live.lock.writing():
            for output in pages:
                write(output, self.project.out, self.documents)
            remove_pages(self.project.out, changes.removed, edition)
            sync_files(list(published_files(self.project, edition)), self.project.out, self.files)
        self.write_documents(edition, [o for o in outputs if o.kind == "search"], changes)
        return sum(1 for o in pages if o.path.endswith(".html"))

    def rebuild_everything(self, edition: Edition) -> int:
        """The first build, or after a template, theme or site.yaml change: every page, on every
        core, into a fresh folder that replaces the served one whole (search bundles carried over)."""
        assert self.renderer is not None
        work = self.project.out.parent
        fresh, documents = work / "next", work / "next-documents"
        for folder in (fresh, documents):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
        self.renderer.compile_templates()
        count = 0
        for output in self.renderer.whole_archive(edition.site, Catalogue.of(edition), Plan.everything()):
            write(output, fresh, documents)
            count += 1
        tasks = [parallel.Task(issue.folder, "", True, True) for issue in edition.issues]
        job = parallel.Job(self.project.content, edition.site, edition.issues, self.renderer, True, fresh, documents)
        outcomes = parallel.run(job, tasks, parallel.workers())
        faults = sorted({f for outcome in outcomes for f in outcome.faults if not f.warning}, key=Fault.sort_key)
        if faults:
            raise TemplateFaults(faults)
        files: dict[str, tuple[int, int]] = {}
        sync_files(list(published_files(self.project, edition)), fresh, files)
        with self.live.lock.writing():
            for variant in edition.site.variants:
                bundles = self.project.out / urls.search_bundles(variant)
                if bundles.is_dir():
                    (fresh / urls.search_bundles(variant)).parent.mkdir(parents=True, exist_ok=True)
                    bundles.rename(fresh / urls.search_bundles(variant))
            self.project.out.rename(work / "old")
            fresh.rename(self.project.out)
        shutil.rmtree(work / "old", ignore_errors=True)
        shutil.rmtree(self.documents, ignore_errors=True)
        documents.rename(self.documents)
        self.files = files
        self.indexer.request(self.shards(edition, None))
        return count + sum(outcome.pages for outcome in outcomes)

    def shards(self, edition: Edition, months: set[str] | None) -> list[tuple[Path, str]]:
        """The search shards to make again: of these months, or (None) of every month there is or was."""
        if months is None:
            months = Catalogue.of(edition).months | {p.name for v in edition.site.variants for p in (self.project.out / urls.search_bundles(v)).glob("*")}
        return [(self.documents / v.code / m, urls.search_bundle(v, m)) for v in edition.site.variants for m in sorted(months, reverse=True)]

    def write_documents(self, edition: Edition, documents: list[Output], changes: Changes) -> None:
        """Keep the search documents in step with the pages, then ask for the shards touched anew."""
        months = {search.shard_of(path) for path in changes.removed}
        for variant in edition.site.variants:
            for path in changes.removed:
                (self.documents / variant.code / search.shard_of(path) / path).unlink(missing_ok=True)
        for output in documents:
            write(output, self.project.out, self.documents)
            months.add(output.path.split("/")[1])
        if months:
            self.indexer.request(self.shards(edition, months))


class TemplateFaults(Exception):
    """Templates that broke on some issue, met by the worker processes."""

    def __init__(self, faults: list[Fault]):
        super().__init__(faults)
        self.faults = faults


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
            while True:  # wait for the saves to pause; only the newest request matters
                try:
                    jobs = self.wanted.get(timeout=INDEX_QUIET)
                except queue.Empty:
                    break
            made = [(documents, self.documents.parent / f"bundle-{n}", target) for n, (documents, target) in enumerate(jobs) if any(documents.rglob("*.html"))]
            for _, bundle, _ in made:
                shutil.rmtree(bundle, ignore_errors=True)
            if search.run_pagefind([(documents, bundle) for documents, bundle, _ in made], background=True):
                continue  # a half-written document: the next request indexes again
            with self.live.lock.writing():
                for _, target in jobs:  # a month left with no stories loses its shard
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


def watch(project: Project, poll: bool) -> tuple[queue.Queue[str], Observer]:
    events: queue.Queue[str] = queue.Queue()
    observer = PollingObserver(timeout=0.5) if poll else Observer()
    for folder in (project.content, project.templates, project.theme):
        observer.schedule(Watcher(events), str(folder), recursive=True)
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
