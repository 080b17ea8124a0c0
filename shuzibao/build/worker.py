"""Builds on every core: an issue at a time, each loaded, checked and rendered by a worker process.

A worker reads its issue's files itself, checks it, works out what each of its pages shows (the
page keys of page_keys.py), renders in every script the pages whose keys differ from the last
build's, writes them and its search documents into the staging folders, and sends back only a
small record (which, for the latest issues, holds their stories for the feeds). So the build's memory holds one issue per worker, never the archive, and the output
does not depend on which worker did what. Workers are forked where the system can, so they share
the build's templates and settings without copying them; elsewhere they are spawned (see
`start_method`).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .. import urls
from ..content import load, validate
from ..content.article_body import Bodies
from ..faults import Fault, Faults
from ..model import Edition, Issue, Page, Site, Variant
from ..render import offline
from ..render.feeds import FeedStory
from ..render.pages import Output, Renderer, Selection, template_fault
from ..render.routes import OfflineListRoute, offline_list_route
from ..scripts import memory
from ..scripts.conversion import localize_issue
from ..scripts.site_words import words_for
from ..search.documents import index_documents
from . import clips, scan_copies, shard_reuse
from .cache import IssueRecord
from .page_keys import digest, issue_keys
from .plan import Documents, Task


def workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def write(output: Output, folder: Path) -> None:
    target = folder / output.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(output.data)


@dataclass
class Outcome:
    folder: str
    record: IssueRecord | None  # None when the issue has faults
    faults: list[Fault]
    pages: int  # files written
    scans_made: int = 0  # page scans whose copies were made (not found in the image cache)
    recalled: int = 0  # conversions taken from the last build's (scripts/memory.py), not made by OpenCC
    documents: str | None = None  # the digest of its search documents, when they were packed (shard_reuse.py)


@dataclass
class Rendering:
    """Where a rendering job puts what it makes."""

    renderer: Renderer
    folder: Path  # staging: pages and page files
    scratch: Path  # search documents
    images: Path  # the cache of page scans' copies (scan_copies.py)
    published: Path | None = None  # the output a cached build changes: the pages it keeps are there, for the offline lists' sizes
    theme: Path | None = None  # the theme's folder, for the offline lists' sizes
    conversions: Path | None = None  # where each issue's conversions are kept for the next build (None: not kept)
    recall: bool = True  # take the last build's conversions (not with --no-cache)


@dataclass
class Job:
    """What every task shares: set once in each worker, which a Pool passes no other way."""

    content: Path
    site: Site
    issues: list[Issue]  # every issue, oldest first, as dated stand-ins for the neighbours' links
    drafts: bool
    rendering: Rendering | None  # None: check only
    bodies: Bodies | None = None  # the preview's bodies read by its last builds
    positions: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        self.positions = {issue.folder: index for index, issue in enumerate(self.issues)}


_job: Job | None = None


def start_method() -> str:
    """Fork where the system has it (workers share the build's compiled templates); spawn on
    Windows and macOS, whose workers get the job by pickling (a Renderer pickles as its recipe)."""
    return "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


@dataclass(frozen=True)
class Workers:
    count: int  # processes
    method: str | None = None  # "fork" or "spawn"; None: start_method()


def run(job: Job, tasks: list[Task], workers: Workers, each: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Every task, on the workers (in this process for small builds), in the tasks' order; `each`
    is told of every outcome as it comes."""
    if workers.count <= 1 or len(tasks) < 2 * workers.count:
        _start(job)
        return _told((_run(task) for task in tasks), each)
    with multiprocessing.get_context(workers.method or start_method()).Pool(workers.count, initializer=_start, initargs=(job,)) as pool:
        return _told(pool.imap(_run, tasks, chunksize=1), each)


def _told(outcomes: Iterable[Outcome], each: Callable[[Outcome], None] | None) -> list[Outcome]:
    kept = []
    for outcome in outcomes:
        kept.append(outcome)
        if each is not None:
            each(outcome)
    return kept


def _start(job: Job) -> None:
    global _job
    _job = job


def _run(task: Task) -> Outcome:
    assert _job is not None
    job = _job
    faults = Faults()
    issue = load.load_issue(job.content, task.folder, job.site, faults, job.bodies)
    if issue is not None:
        validate.check_issue(issue, job.drafts, faults)
    index = job.positions.get(task.folder)
    if issue is None or faults.errors or index is None:
        return Outcome(task.folder, None, faults.items, 0)
    rendering = job.rendering
    made = _prepare_scans(job.content, issue, rendering.images, faults) if rendering is not None else 0
    if rendering is not None:
        _prepare_photos(job.content, issue, rendering.images, faults)
        _prepare_clips(job.content, issue, rendering.images, faults)
    if faults.errors:
        return Outcome(task.folder, None, faults.items, 0)
    issues = list(job.issues)
    issues[index] = issue
    edition = Edition(job.site, issues)
    keys, listed = issue_keys(edition, index)
    offline_list = offline_list_route(edition, index, issue, job.site.source)  # written by the worker, not among issue_routes
    keys[offline_list.path] = digest(offline_list.key())
    written, feed, recalled, documents = 0, None, 0, None
    try:
        if rendering is not None and (task.render or task.documents is not Documents.NONE or task.feed):
            written, feed, recalled, documents = _write_issue(job.content, rendering, task, edition, index, keys)
    except jinja2.TemplateError as error:
        return Outcome(task.folder, None, [template_fault(error)], 0)
    return Outcome(task.folder, _record(task, issue, keys, listed, faults, feed), [], written, made, recalled, documents)


def _prepare_scans(content: Path, issue: Issue, images: Path, faults: Faults) -> int:
    """Each page scan's digest (its pages' keys hold it) and copies; the number made now."""
    made = 0
    for page in issue.pages:
        if page.scan is None:
            continue
        try:
            made += scan_copies.prepare(page.scan, content / issue.folder / page.label / page.scan.name, images)
        except scan_copies.Undecodable as error:  # the scan's fault; one of the image cache's is the machine's (exit 3)
            faults.add(f"{issue.folder}/{page.label}/page.yaml", page.scan.line, str(error))
    return made


def _prepare_photos(content: Path, issue: Issue, images: Path, faults: Faults) -> None:
    """The resized copies of the photos the articles show (made and cached as scans' are), and
    their digests, which the article pages' keys hold. A photo that cannot have copies is
    published as it is, with a warning."""
    for page in issue.pages:
        shown = sorted({name for article in page.articles for name in article.images})
        for name in shown:
            source = content / issue.folder / page.label / name
            photo, why_not = scan_copies.read_photo(name, source)
            try:
                if photo is not None:
                    scan_copies.prepare(photo, source, images)
                    page.photos[name] = photo
            except scan_copies.Undecodable as error:
                why_not = f"{str(error).replace('版面图', '照片', 1)}；已按原样发布，没有缩小的副本"
            if why_not:
                faults.warn(f"{issue.folder}/{page.label}/{name}", None, why_not)


def _prepare_clips(content: Path, issue: Issue, images: Path, faults: Faults) -> int:
    """Each story's clip (剪报) from its page scan, made and cached as the scans' copies are; the
    number cut now. A scan whose copies could not be made has its fault said already."""
    made = 0
    for page in issue.pages:
        if page.scan is None or not page.scan.renditions:
            continue
        try:
            made += clips.prepare(page, content / issue.folder / page.label / page.scan.name, images)
        except scan_copies.Undecodable as error:  # replaced since its copies were made
            faults.add(f"{issue.folder}/{page.label}/page.yaml", page.scan.line, str(error))
    return made


def _write_issue(
    content: Path, rendering: Rendering, task: Task, edition: Edition, index: int, keys: dict[str, str]
) -> tuple[int, dict[str, tuple[FeedStory, ...]] | None, int, str | None]:
    """The issue's pages whose keys changed, in every script, its search documents as the task
    asks, and (when it is rendered) its page scans and images; the number of files, the issue's
    stories for the feeds when the task asks for them, the conversions taken from memory, and
    the digest of the documents packed (all of them: its month may be indexed again)."""
    changed = {path for path, key in keys.items() if task.old_keys.get(path) != key} if task.render else set()
    written = 0
    feed: dict[str, tuple[FeedStory, ...]] | None = {} if task.feed else None
    site, issue = edition.site, edition.issues[index]
    offline_lists, rendered = [], {}  # written once the page files are in place: their sizes are in them
    copies, memories = [], {}
    for variant in site.variants:
        if variant.opencc is not None and rendering.conversions is not None:
            known = memory.load(rendering.conversions, task.folder, variant.code) if rendering.recall else memory.Memory()
            memories[variant.code] = known
        shown = localize_issue(issue, site, variant, memories.get(variant.code))
        copies.append((variant, shown, words_for(variant)))
        for output in rendering.renderer.issue(edition, index, shown, variant, Selection(changed)):
            write(output, rendering.folder)
            rendered[output.path] = len(output.data)
            written += 1
        offline_list = offline_list_route(edition, index, shown, variant)
        if offline_list.path.removeprefix(variant.prefix) in changed:
            offline_lists.append((variant, offline_list))
        if feed is not None:
            feed[variant.code] = rendering.renderer.feed_stories(shown, site, variant)
    documents = None
    if task.documents is Documents.ALL:
        made = [(path.split("/", 1)[1], data) for path, data in index_documents(issue, copies)]  # within the month's folder
        documents = shard_reuse.pack(made, shard_reuse.pack_of(rendering.scratch, task.folder)) if made else None
    elif task.documents is Documents.RENDERED:
        for path, data in index_documents(issue, copies, changed):
            write(Output(path, data), rendering.scratch)
    for page in issue.pages if task.render else []:
        folder = rendering.folder / urls.page_folder(page)
        if page.scan is not None:
            written += scan_copies.publish(page.scan, rendering.images, folder)
        for photo in page.photos.values():
            written += scan_copies.publish(photo, rendering.images, folder)
        for article in page.articles:
            written += clips.publish(article.clip, rendering.images, folder) if article.clip else 0
        for name in page.files:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(content / task.folder / page.label / name, folder / name)
            written += 1
    for variant, offline_list in offline_lists:
        _write_offline_list(offline_list, variant, content, rendering, site, rendered)
        written += 1
    for code, kept in memories.items():  # the bodies are converted by now: every page and document is made
        assert rendering.conversions is not None
        memory.save(rendering.conversions, task.folder, code, kept, whole=task.render and not task.old_keys)
    return written, feed, sum(kept.recalled for kept in memories.values()), documents


def _write_offline_list(route: OfflineListRoute, variant: Variant, content: Path, rendering: Rendering, site: Site, rendered: dict[str, int]) -> None:
    """The issue's offline list in one script, with the size of each file: a page rendered now
    by its bytes, an image published now or a page a cached build keeps by its file, a theme file
    or the logo by its source."""

    def size(path: str) -> int:
        if path in rendered:
            return rendered[path]
        places = [rendering.folder / path, *([rendering.published / path] if rendering.published else [])]
        if path.startswith("theme/") and rendering.theme is not None:
            places.append(rendering.theme / path.removeprefix("theme/"))
        places.append(content / path)  # the logo, published at the root from beside site.yaml
        return next(place.stat().st_size for place in places if place.is_file())

    shown = rendering.renderer.localized(site, variant)
    links = urls.Links(route.path, variant, rendering.renderer.theme_versions, shown.base_url)
    write(Output(route.path, offline.manifest(route, shown, words_for(variant), links, size)), rendering.folder)


def _record(task: Task, issue: Issue, keys: dict[str, str], listed: tuple[str, ...], faults: Faults, feed: dict[str, tuple[FeedStory, ...]] | None) -> IssueRecord:
    articles = list(issue.articles())
    return IssueRecord(
        stamp=task.stamp,
        keys=keys,
        listed=listed,
        listing=digest(listed),
        glossaries=issue.glossaries,
        labels=tuple(page.shown for page in issue.pages),
        searchable=any(not a.is_continuation for a in articles),
        files=tuple(urls.page_file(page, name) for page in issue.pages for name in page.files + (page.scan.files() if page.scan else ()) + _photo_files(page) + _clip_files(page)),
        pages=len(issue.pages),
        articles=len(articles),
        warnings=faults.warnings,
        feed=feed,
    )


def _photo_files(page: Page) -> tuple[str, ...]:
    return tuple(name for photo in page.photos.values() for name in photo.files())


def _clip_files(page: Page) -> tuple[str, ...]:
    return tuple(name for article in page.articles if article.clip for name in article.clip.files())
