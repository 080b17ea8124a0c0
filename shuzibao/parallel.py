"""Full builds on every core: one task per issue and script, run by worker processes.

Workers are forked from the build, so they share its model and templates without copying them;
each renders its issue and writes the files itself into the staging folder, and sends back only
how many it wrote. The output does not depend on which worker did what.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import jinja2

from .faults import Fault
from .model import Edition
from .render import Output, Plan, Renderer, template_fault

# The worker's copy of the build, set once when the worker starts (a Pool passes it no other way).
_job: tuple[Renderer, Edition, Path, Path] | None = None


def workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def write(output: Output, folder: Path, scratch: Path) -> None:
    """A page into the site, a search document into the work folder."""
    target = (folder if output.kind == "page" else scratch) / output.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(output.data)


def render_site(renderer: Renderer, edition: Edition, folder: Path, scratch: Path, search: bool, jobs: int) -> tuple[int, list[Fault]]:
    """Every page of every script into `folder` (search documents into `scratch`): the number of
    files written and the template faults met. Templates are compiled first, so that a syntax
    fault shows once, before any worker starts."""
    renderer.compile_templates()
    files = 0
    for output in renderer.whole_archive(edition, Plan.everything()):
        write(output, folder, scratch)
        files += 1
    pages, faults = render_issues(renderer, edition, folder, scratch, search, jobs)
    return files + pages, faults


def render_issues(renderer: Renderer, edition: Edition, folder: Path, scratch: Path, search: bool, jobs: int) -> tuple[int, list[Fault]]:
    """Render every issue in every script into `folder`; the number of pages written, and the
    template faults met (a template that breaks on some data, found where it broke)."""
    tasks = [(v, i, search) for v in range(len(edition.site.variants)) for i in range(len(edition.issues))]
    if jobs <= 1 or len(tasks) < 2 * jobs or "fork" not in multiprocessing.get_all_start_methods():
        _start(renderer, edition, folder, scratch)
        results = list(map(_render, tasks))
    else:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=_start, initargs=(renderer, edition, folder, scratch)) as pool:
            results = list(pool.imap_unordered(_render, tasks, chunksize=4))
    faults = sorted({fault for _, fault in results if fault is not None}, key=Fault.sort_key)
    return sum(pages for pages, _ in results), faults


def _start(renderer: Renderer, edition: Edition, folder: Path, scratch: Path) -> None:
    global _job
    _job = (renderer, edition, folder, scratch)


def _render(task: tuple[int, int, bool]) -> tuple[int, Fault | None]:
    assert _job is not None
    renderer, edition, folder, scratch = _job
    variant_index, issue_index, search = task
    pages = 0
    try:
        for output in renderer.issue(edition, edition.site.variants[variant_index], issue_index, Plan.everything(), search):
            write(output, folder, scratch)
            pages += output.kind == "page"
    except jinja2.TemplateError as error:
        return pages, template_fault(error)
    return pages, None
