"""The build, top to bottom. Each phase is timed.

inventory site.yaml, the list of issues, a stamp of each issue's files, the build cache if it fits;
          then the plan (plan.py): which issues to read, and for what
render    each issue to read, in a worker (worker.py): load, validate (drafts, jumps, areas,
          moves), render every script, write into the staging folder; then, from the issues'
          records, the pages about the whole archive and the feeds
copy      the theme and the asset folders
index     the search shards of the months touched
write     the staging folder replaces the output (a full build) or is merged into it (a cached
          one), only when all of the above succeeded; then the cache is written
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .. import urls
from ..content import load, validate
from ..content.article_body import Bodies
from ..faults import ContentError, Fault, Faults
from ..model import Edition, Issue, Site
from ..render import feeds
from ..render.pages import Renderer, Selection, make_environment, template_fault
from ..render.routes import Catalogue
from ..scripts import memory
from ..search.documents import shard_of
from ..search.page_data import FOLD_FILE
from ..search.pagefind import run_pagefind
from . import cache, plan, publishing, shard_reuse, worker
from .page_keys import digest, site_keys
from .staging import NotOurFolder, Staging, output_token

PACKAGE = Path(__file__).parent.parent  # shuzibao/: its source is part of every cache's key


@dataclass
class Project:
    """Where the build reads from and writes to."""

    content: Path
    out: Path
    templates: Path
    theme: Path
    images: Path  # the cache of page scans' resized copies, shared by every build (scan_copies.py)


@dataclass
class Session:
    """What a caller that builds again and again (the preview) keeps between builds."""

    cache: cache.BuildCache | None = None  # the last build's record, kept in memory, not re-read
    touched: set[str] | None = None  # issue folders changed since (None: look at every issue)
    documents: Path | None = None  # where to keep the search documents, updated page by page
    renderer: Renderer | None = None  # compiled templates, kept while the environment stays the same
    bodies: Bodies | None = None  # the stories' bodies read, kept for the next build (content/article_body.py)
    guard: Callable[[], AbstractContextManager[object]] = contextlib.nullcontext  # held while the output changes
    keep_search: bool = False  # a full build keeps the old output's search bundles (made in the background)


Progress = Callable[[str, int, int], None]  # a phase ("issues", "search"), how many of its steps are done, of how many


def quiet(phase: str, done: int, total: int) -> None:
    """No progress shown."""


@dataclass
class Report:
    issues: int = 0
    pages: int = 0
    articles: int = 0
    files: int = 0
    scans_made: int = 0  # page scans whose resized copies were made, not found in the image cache
    conversions_recalled: int = 0  # batches of text taken from the last build's conversions, not OpenCC's
    warnings: list[Fault] = field(default_factory=list)
    cached: bool = False  # only what changed since the cached build was done
    months: set[str] = field(default_factory=set)  # whose search documents were made
    shards_indexed: int = 0  # search bundles Pagefind made
    shards_reused: int = 0  # search bundles taken as published: their documents had not changed
    documents_known: int = 0  # issues whose search documents were not made again: nothing they are made from changed
    timings: dict[str, float] = field(default_factory=dict)
    progress: Progress = quiet  # told of each issue done and each search shard made

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


@contextmanager
def phase(report: Report, name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    report.timings[name] = report.timings.get(name, 0.0) + time.perf_counter() - start


def load_edition(content: Path, drafts: bool, report: Report) -> Edition:
    """The whole edition in memory, loaded and validated, for tests and tools (builds and checks
    go an issue at a time); raise ContentError with every fault of the tree."""
    faults = Faults()
    if not content.is_dir():
        raise ContentError([Fault(str(content), None, "内容文件夹不存在：请用 --content 指定含 site.yaml 的文件夹")])
    with phase(report, "load"):
        site = load.load_site(content, faults)
        issues = load.load_issues(content, site, faults)
    with phase(report, "validate"):
        for issue in issues:
            validate.check_issue(issue, drafts, faults)
    report.warnings = faults.warnings
    if faults.errors:
        raise ContentError(faults.errors)
    report.issues, report.pages = len(issues), sum(len(i.pages) for i in issues)
    report.articles = sum(1 for i in issues for _ in i.articles())
    return Edition(site, issues)


def theme_files(theme: Path) -> list[Path]:
    return sorted(p for p in theme.rglob("*") if p.is_file() and not load.is_ignored(p.name))


def theme_versions(theme: Path) -> dict[str, str]:
    return {p.relative_to(theme).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()[:10] for p in theme_files(theme)}


def check(content: Path, drafts: bool, jobs: int | None = None, start_method: str | None = None, strict: bool = False) -> Report:
    """Every issue read and checked, on every core, an issue at a time; nothing rendered, nothing
    written. Raises ContentError with every fault of the tree."""
    report, faults = Report(), Faults()
    if not content.is_dir():
        raise ContentError([Fault(str(content), None, "内容文件夹不存在：请用 --content 指定含 site.yaml 的文件夹")])
    with phase(report, "check"):
        site = load.load_site(content, faults)
        folders = load.issue_folders(content, site, faults)
        load.asset_files(content, site, faults)
        job = worker.Job(content, site, dated(folders), drafts, rendering=None)
        workers = worker.Workers(worker.workers() if jobs is None else jobs, start_method)
        outcomes = worker.run(job, [plan.Task(f, "", False, plan.Documents.NONE) for f in folders], workers)
    faults.items += [fault for outcome in outcomes for fault in outcome.faults]
    if faults.errors:
        raise ContentError(sorted(set(faults.errors), key=Fault.sort_key))
    summarise(report, faults, [o.record for o in outcomes if o.record is not None])
    if strict and report.warnings:
        raise ContentError(report.warnings)
    return report


def summarise(report: Report, faults: Faults, records: list[cache.IssueRecord]) -> None:
    report.warnings = sorted({*faults.warnings, *(w for r in records for w in r.warnings)}, key=Fault.sort_key)  # each once
    report.issues, report.pages, report.articles = len(records), sum(r.pages for r in records), sum(r.articles for r in records)


def dated(folders: list[str]) -> list[Issue]:
    """Every issue as a dated stand-in: what a neighbour's link and the archive need of it. A
    folder named like a date that is none (2021-02-30) is left out: loading it says so."""
    issues = []
    for folder in folders:
        try:
            issues.append(Issue(dt.date.fromisoformat(folder)))
        except ValueError:
            continue
    return issues


@dataclass
class Inventory:
    """What the build knows before reading any article."""

    site: Site
    folders: list[str]  # issue folders, oldest first
    assets: list[str]  # the asset folders' files
    stamps: dict[str, str]  # issue folder -> stamp of its files
    program: str  # digest of our program, its libraries and the options (cache.program)
    environment: str  # digest of everything every page depends on
    place: Path  # of the build cache
    old: cache.BuildCache | None  # the last build's record, when it fits this one
    use_cache: bool = True  # False: nothing kept from the last build is taken (--no-cache)
    issues: list[Issue] = field(init=False)  # dated stand-ins, made once

    def __post_init__(self) -> None:
        self.issues = dated(self.folders)


def build(
    project: Project,
    *,
    drafts: bool = False,
    preview: bool = False,
    search: bool = True,
    jobs: int | None = None,
    use_cache: bool = True,
    session: Session | None = None,
    start_method: str | None = None,
    strict: bool = False,
    progress: Progress = quiet,
    discard_later: bool = False,
) -> Report:
    """Build the site into `project.out`: in full, or (with a cache that fits) only what changed.

    Either way every issue that has to be read is loaded, checked and rendered by a worker
    process (`jobs`, default every core), and nothing reaches the output unless all succeeded.
    With a `session` (the preview), the cache stays in memory between builds instead of in its file.
    With `strict`, a warning fails the build as a fault does; `progress` is told of the work done.
    With `discard_later`, the old output a full build replaced is deleted after it returns, in the
    background (the command line's: the site is published already; publishing.discard)."""
    remembering, session = session is not None, session or Session()
    report, faults = Report(progress=progress), Faults()
    with session.guard():
        publishing.recover(project.out.resolve())  # what a build that was killed left behind
    with phase(report, "inventory"):
        stock = take_inventory(project, faults, (drafts, preview, search), session if remembering else None, use_cache)
        # A full build with search makes whole months' documents (its work folder starts empty);
        # the preview keeps its documents and rewrites those of the pages it rewrites.
        documents = plan.Documents.ALL if search else plan.Documents.RENDERED if session.documents is not None else plan.Documents.NONE
        record = shard_reuse.read(project.out, output_token(project.out)) if search else shard_reuse.Record()
        keys = shard_reuse.documents_keys(stock.site, stock.stamps, stock.program) if search else {}
        known = shard_reuse.known_documents(project.out, record, keys) if stock.old is None and use_cache else {}  # a template or masthead change
        todo = plan.plan(stock.old, stock.folders, stock.stamps, documents, not faults.errors, bool(stock.site.base_url), set(known))
        report.documents_known = len(known)
    old = stock.old
    renderer = session.renderer if session.renderer and old is not None else Renderer(make_environment(project.templates), theme_versions(project.theme), preview)
    try:
        carry = (urls.SEARCH_BUNDLES,) if session.keep_search else ()
        with Staging(project.out, old.token if old else None, old is not None, session.guard, carry, discard_later) as stage:
            with phase(report, "render"):
                renderer.compile_templates()  # a syntax fault shows once, before any worker starts
                workers = worker.Workers(worker.workers() if jobs is None else jobs, start_method)
                new, packed = render_issues(project, stock, todo, renderer, stage, faults, report, drafts, workers, session.bodies)
                packed |= {folder: made for folder, made in known.items() if made}
                render_archive(stock, new, renderer, stage)
            summarise(report, faults, list(new.issues.values()))
            if strict and report.warnings:  # as MkDocs' --strict: a warning stops the build, nothing is published
                raise ContentError(report.warnings)
            with phase(report, "copy"):
                new.assets = copy_files(project, stock.assets, stage, old)
            report.months = plan.touched_months(old, todo, new)
            bundles: dict[str, str] = {}
            if search:
                with phase(report, "index"):
                    bundles = index_search(stage, stock, new, packed, report, record.bundles)
            if session.documents is not None:
                shard_reuse.keep_documents(stage.scratch, session.documents, stock.site, stage.removed, afresh=old is None)
            if not remembering:
                cache.forget(stock.place)  # until the output is whole again
        if remembering:
            session.cache, session.renderer = new, renderer
        else:
            cache.write(stock.place, new)
        if search:
            shard_reuse.write(project.out, stage.token, shard_reuse.Record(bundles, shard_reuse.entries(record, keys, packed, report.months if old else None)))
    except NotOurFolder as e:
        raise ContentError([Fault(str(e), None, "输出文件夹已存在且不是本工具生成的；为防误删，请换一个 --out 或先清空它")]) from None
    except jinja2.TemplateError as e:
        raise ContentError([template_fault(e)]) from None
    report.files, report.cached = stage.files, old is not None
    return report


def take_inventory(project: Project, faults: Faults, options: tuple[object, ...], session: Session | None, use_cache: bool) -> Inventory:
    """Read site.yaml and the list of issues, and find the cache that fits, if any: the session's
    (in memory) or the file's. Stamp every issue, or with a session that knows what was touched,
    only those (the others keep their cached stamps)."""
    if not project.content.is_dir():
        raise ContentError([Fault(str(project.content), None, "内容文件夹不存在：请用 --content 指定含 site.yaml 的文件夹")])
    site = load.load_site(project.content, faults)
    folders = load.issue_folders(project.content, site, faults)
    assets = load.asset_files(project.content, site, faults)
    program = cache.program(PACKAGE, options)
    environment = cache.environment(program, [project.templates, project.theme], [project.content / "site.yaml"])
    place, token = cache.location(project.out), output_token(project.out)
    old = session.cache if session and session.cache and (session.cache.environment, session.cache.token) == (environment, token) else None
    if old is None and use_cache and not (session and session.cache):
        old = cache.read(place, environment, token)
    stamps = {}
    for folder in folders:
        trusted = old is not None and session is not None and session.touched is not None and folder not in session.touched and folder in old.issues
        stamps[folder] = old.issues[folder].stamp if trusted and old is not None else cache.issue_stamp(project.content / folder)
    return Inventory(site, folders, assets, stamps, program, environment, place, old, use_cache)


def render_issues(
    project: Project, stock: Inventory, todo: plan.Plan, renderer: Renderer, stage: Staging, faults: Faults, report: Report, drafts: bool, workers: worker.Workers,
    bodies: Bodies | None,
) -> tuple[cache.BuildCache, dict[str, str]]:
    """Read, check and render the issues of the plan; raise ContentError with every fault found;
    return the new cache's records, and the digests of the issues' search documents packed."""
    published = stage.out if stage.merge else None  # issue 18: the offline lists' sizes of the pages a cached build keeps
    conversions = cache.conversions_location(project.out)
    rendering = worker.Rendering(renderer, stage.folder, stage.scratch, project.images, published, project.theme, conversions, stock.use_cache)
    job = worker.Job(project.content, stock.site, stock.issues, drafts, rendering, bodies)
    done = iter(range(1, len(todo.tasks) + 1))
    outcomes = worker.run(job, todo.tasks, workers, each=lambda _: report.progress("issues", next(done), len(todo.tasks)))
    faults.items += [fault for outcome in outcomes for fault in outcome.faults]
    if faults.errors:
        raise ContentError(sorted(set(faults.errors), key=Fault.sort_key))
    fresh = {o.folder: o.record for o in outcomes if o.record is not None}
    new = cache.BuildCache(stock.environment, stage.token, plan.gather(stock.old, stock.folders, fresh, feeds=bool(stock.site.base_url)))
    stage.files += sum(outcome.pages for outcome in outcomes)
    report.scans_made = sum(outcome.scans_made for outcome in outcomes)
    report.conversions_recalled = sum(outcome.recalled for outcome in outcomes)
    if stock.old is None:  # a full build: a preview's save looks at no other issue's file
        memory.prune(conversions, stock.folders)
    stage.removed = plan.removed_pages(stock.old, new, {o.folder for o in outcomes}, todo.gone, stock.site)
    return new, {o.folder: o.documents for o in outcomes if o.documents is not None}


def render_archive(stock: Inventory, new: cache.BuildCache, renderer: Renderer, stage: Staging) -> None:
    """The pages about the whole archive and the whole site whose digests changed, and the feeds
    when one of the latest issues changed: all made from the issues' records."""
    records = new.issues.values()
    glossaries = [stock.site.glossary, *[g for r in records for g in r.glossaries]]
    labels = {label for r in records for label in r.labels}
    catalogue = Catalogue(stock.issues, glossaries, len(stock.site.variants), plan.searchable_months(new.issues), labels, {f: (r.listed, r.listing) for f, r in new.issues.items()})
    new.archive_keys = site_keys(catalogue, stock.site)
    latest = plan.feed_folders(stock.folders)
    feed_paths = [urls.feed(stock.site.source, kind) for kind in feeds.KINDS]
    if stock.site.base_url and latest:
        new.archive_keys.update(dict.fromkeys(feed_paths, digest(tuple((f, stock.stamps[f]) for f in latest))))
    old_keys = stock.old.archive_keys if stock.old else {}
    wanted = {path for path, key in new.archive_keys.items() if old_keys.get(path) != key}
    if stock.old is None:
        wanted.add(FOLD_FILE)
    for output in renderer.whole_archive(stock.site, catalogue, Selection(wanted)):
        stage.write(output.path, output.data)
    if wanted.intersection(feed_paths):
        for variant in stock.site.variants:
            stories = [story for f in reversed(latest) for story in (new.issues[f].feed or {}).get(variant.code, ())]
            for output in renderer.feeds(stock.site, variant, stories, dt.date.fromisoformat(latest[-1])):
                stage.write(output.path, output.data)
    stage.removed |= {v.prefix + path for v in stock.site.variants for path in set(old_keys) - set(new.archive_keys)}


def copy_files(project: Project, assets: list[str], stage: Staging, old: cache.BuildCache | None) -> dict[str, tuple[int, int]]:
    """The theme (in a full build: a theme change makes one), and the asset folders' files that
    are new or changed; returns the assets' stamps for the cache."""
    if old is None:
        for path in theme_files(project.theme):
            stage.copy(path, urls.theme(path.relative_to(project.theme).as_posix()))
    stamps = {}
    for name in assets:
        stat = (project.content / name).stat()
        stamps[name] = (stat.st_mtime_ns, stat.st_size)
        if old is None or old.assets.get(name) != stamps[name]:
            stage.copy(project.content / name, name)
    if old is not None:
        stage.removed |= set(old.assets) - set(stamps)
    return stamps


def index_search(stage: Staging, stock: Inventory, new: cache.BuildCache, packed: dict[str, str], report: Report, known: dict[str, str]) -> dict[str, str]:
    """One Pagefind bundle per month, for every script (search/documents.py), for the months
    touched (`report.months`: all in a full build) but those whose documents (`packed`: issue ->
    digest) are those of their published bundle (`known`: bundle -> digest, shard_reuse.py); the
    shards of months left with no story are removed. Returns every bundle's digest, for the record."""
    old = stock.old
    new.shards = plan.searchable_months(new.issues)
    months = report.months & new.shards
    making = shard_reuse.indexer()
    shards = {urls.search_bundle(m) for m in new.shards}
    digests = {bundle: digest for bundle, digest in known.items() if bundle in shards}
    jobs, packs, reused = [], {}, set()
    for month in sorted(months, reverse=True):
        issues = {folder: digest for folder, digest in packed.items() if shard_of(folder) == month}
        if not issues:
            continue
        documents, bundle = stage.scratch / month, urls.search_bundle(month)
        digests[bundle] = shard_reuse.month_digest(issues, making)
        if known.get(bundle) == digests[bundle] and (stage.out / bundle).is_dir():
            reused.add(bundle)  # as published: a cached build leaves it, a full one links it
            stage.files += 0 if stage.merge else shard_reuse.link_tree(stage.out / bundle, stage.folder / bundle)
        else:
            jobs.append((documents, stage.folder / bundle))
            packs[documents] = [shard_reuse.pack_of(stage.scratch, folder) for folder in sorted(issues)]
    made = iter(range(1, len(jobs) + 1))
    failures = run_pagefind(jobs, done=lambda: report.progress("search", next(made), len(jobs)), prepare=lambda documents: shard_reuse.unpack(packs[documents], documents))
    if failures:
        raise SearchFailed(failures)
    stage.files += sum(1 for _, bundle in jobs for p in bundle.rglob("*") if p.is_file())
    emptied = old.shards - new.shards if old else set()
    stage.removed |= {urls.search_bundle(m) for m in months | emptied} - reused
    report.shards_indexed, report.shards_reused = len(jobs), len(reused)
    return digests


class SearchFailed(Exception):
    """Pagefind did not finish: a fault of the machine or the program, never of the content."""
