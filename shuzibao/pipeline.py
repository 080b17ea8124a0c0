"""The build, top to bottom: load, validate, render, write. Each phase is timed.

load      read the content tree into the model (faults collected, nothing written)
validate  drop drafts, link jumps, check typed markers
render    every page of every script, as bytes
write     into a fresh folder, swapped into place at the end
"""

from __future__ import annotations

import hashlib
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import jinja2

from . import jumps, load, parallel, urls
from .search import run_pagefind
from .faults import ContentError, Fault, Faults
from .model import Edition, Issue
from .output import NotOurFolder, Staging
from .render import Renderer, count_pages, make_environment, template_fault


@dataclass
class Project:
    """Where the build reads from and writes to."""

    content: Path
    out: Path
    templates: Path
    theme: Path


@dataclass
class Report:
    issues: int = 0
    pages: int = 0
    articles: int = 0
    files: int = 0
    warnings: list[Fault] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


@contextmanager
def phase(report: Report, name: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    report.timings[name] = report.timings.get(name, 0.0) + time.perf_counter() - start


def load_edition(content: Path, drafts: bool, report: Report, cache: load.ArticleCache | None = None) -> Edition:
    """Load and validate; raise ContentError with every fault of the tree."""
    faults = Faults()
    if not content.is_dir():
        raise ContentError([Fault(str(content), None, "内容文件夹不存在：请用 --content 指定含 site.yaml 的文件夹")])
    with phase(report, "load"):
        site = load.load_site(content, faults)
        issues = load.load_issues(content, site, faults, cache)
    with phase(report, "validate"):
        for issue in issues:
            check_issue(issue, drafts, faults)
    edition = Edition(site, issues)
    report.warnings = faults.warnings
    if faults.errors:
        raise ContentError(faults.errors)
    report.issues, report.pages, report.articles = count_pages(edition)
    return edition


def check_issue(issue: Issue, drafts: bool, faults: Faults) -> None:
    """What can only be checked once an issue's files are all read: its jumps and markers."""
    left_out = drop_drafts(issue) if not drafts else set()
    jumps.link_jumps(issue, left_out, faults)


def drop_drafts(issue: Issue) -> set[str]:
    """Take draft articles out of the issue; return their paths, for clearer jump faults."""
    left_out = set()
    for page in issue.pages:
        left_out.update(a.path for a in page.articles if a.draft)
        page.articles = [a for a in page.articles if not a.draft]
    return left_out


def theme_files(theme: Path) -> list[Path]:
    return sorted(p for p in theme.rglob("*") if p.is_file() and not load.is_ignored(p.name))


def theme_versions(theme: Path) -> dict[str, str]:
    return {p.relative_to(theme).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()[:10] for p in theme_files(theme)}


def published_files(project: Project, edition: Edition) -> Iterator[tuple[Path, str]]:
    """Files copied as they are: the theme, page scans and images, declared asset folders."""
    for path in theme_files(project.theme):
        yield path, urls.theme(path.relative_to(project.theme).as_posix())
    for issue in edition.issues:
        for page in issue.pages:
            for name in page.files:
                yield project.content / issue.folder / page.label / name, urls.page_file(page, name)
    for folder in edition.site.assets:
        for path in sorted((project.content / folder).rglob("*")):
            if path.is_file() and not load.is_ignored(path.name):
                yield path, path.relative_to(project.content).as_posix()


def build(project: Project, *, drafts: bool = False, preview: bool = False, search: bool = True, jobs: int | None = None) -> Report:
    """A full build into a fresh folder, swapped in at the end; `jobs` processes render (default: every core)."""
    jobs = parallel.workers() if jobs is None else jobs
    report = Report()
    edition = load_edition(project.content, drafts, report)
    renderer = Renderer(make_environment(project.templates), theme_versions(project.theme), preview)
    try:
        with Staging(project.out) as stage:
            with phase(report, "render"):
                files, faults = parallel.render_site(renderer, edition, stage.folder, stage.scratch, search, jobs)
                if faults:
                    raise ContentError(faults)
                stage.files += files
            with phase(report, "copy"):
                for source, path in published_files(project, edition):
                    stage.copy(source, path)
            if search:
                with phase(report, "index"):
                    index_search(stage, edition)
            report.files = stage.files
    except NotOurFolder as e:
        raise ContentError([Fault(str(e), None, "输出文件夹已存在且不是本工具生成的；为防误删，请换一个 --out 或先清空它")]) from None
    except jinja2.TemplateError as e:
        raise ContentError([template_fault(e)]) from None
    return report


def index_search(stage: Staging, edition: Edition) -> None:
    """One Pagefind bundle per script, each from that script's documents."""
    jobs = []
    for variant in edition.site.variants:
        documents = stage.scratch / variant.code
        if documents.is_dir():
            jobs.append((documents, stage.folder / urls.search_bundle(variant)))
    failures = run_pagefind(jobs)
    if failures:
        raise SearchFailed(failures)
    stage.files += sum(1 for _, bundle in jobs for p in bundle.rglob("*") if p.is_file())


class SearchFailed(Exception):
    """Pagefind did not finish: a fault of the machine or the program, never of the content."""
