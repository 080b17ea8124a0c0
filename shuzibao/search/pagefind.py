"""Running Pagefind: one bundle per month (for every script), each made byte-identical from run to run."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pagefind_bin

from . import canonical

AT_ONCE = 1  # Pagefind processes at a time: a month's shard for every script takes up to about 1.3 GB


class Runs:
    """The Pagefind processes of one caller, so that it can stop them when it stops: Pagefind is a
    process of its own, which would go on indexing after the preview that started it (SIGTERM, or
    Ctrl-C sent to the preview alone)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self._stopped = False

    def run(self, command: list[str], background: bool) -> tuple[int, bytes]:
        """Pagefind's exit status and output; -1 once stopped (none is started then)."""
        with self._lock:  # held while starting, so that stop() misses none
            if self._stopped:
                return -1, "已停止".encode()
            lowest = (lambda: os.nice(19)) if background else None
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=lowest)
            self._running.add(process)
        try:
            output = process.communicate()[0]
        finally:
            with self._lock:
                self._running.discard(process)
        return process.returncode, output

    def stop(self) -> None:
        """End every Pagefind run of these, and start no other."""
        with self._lock:
            self._stopped = True
            running = list(self._running)
        for process in running:
            process.terminate()
        for process in running:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


def run_pagefind(
    jobs: list[tuple[Path, Path]],
    background: bool = False,
    runs: Runs | None = None,
    done: Callable[[], None] | None = None,
    prepare: Callable[[Path], None] | None = None,
) -> list[str]:
    """Index each (documents folder, bundle folder) pair, AT_ONCE at a time; return what failed.
    The documents are laid out in their folder by canonical.lay_out (`prepare`, given the folder,
    does it). A bundle is made canonical, and the next month's documents are laid out, while
    Pagefind indexes: Pagefind keeps one core busy, those the other. In the background (the
    preview), Pagefind runs at the lowest priority, so that it never slows down a rebuild or a
    page being served. `runs` lets the caller stop them; `done` is told of each bundle made."""
    runs, indexing = runs or Runs(), threading.BoundedSemaphore(AT_ONCE)
    failures = []
    if jobs and not background:
        give_back_memory()

    def index(job: tuple[Path, Path]) -> str | None:
        if prepare is not None:
            prepare(job[0])
        return _pagefind(job[0], job[1], background, runs, indexing)

    with ThreadPoolExecutor(AT_ONCE + 1) as pool:
        for failure in pool.map(index, jobs):
            if failure:
                failures.append(failure)
            if done is not None:
                done()
    return failures


def give_back_memory() -> None:
    """Before Pagefind's memory (up to 1.3 GB) is added to ours: return to the system what the
    rendering freed, and what making a bundle canonical took, which glibc keeps for reuse (20 MB
    and 14 MB of a year's build, whose peak is Pagefind's month plus ours). Where the C library
    is not glibc, nothing is done."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _pagefind(site: Path, out: Path, background: bool, runs: Runs, indexing: threading.BoundedSemaphore) -> str | None:
    command = [str(pagefind_bin.get_executable()), "--site", str(site), "--output-path", str(out), "--silent"]
    with indexing:
        status, output = runs.run(command, background)
    if status == 0 and background:  # at the lowest priority too, never holding the preview's interpreter while it rebuilds a save
        status, output = runs.run([sys.executable, "-P", canonical.__file__, str(out), str(site)], background)
    elif status == 0:  # a build has nothing else for its interpreter to do, and a second one would add to the peak beside Pagefind's
        canonical.canonicalize(out, canonical.pages_of(site))
        give_back_memory()  # what decoding the bundle took, before the month beside it peaks
    if status != 0:
        return f"{site.parent.name}/{site.name}: {output.decode('utf-8', 'replace').strip()[-500:]}"
    for unused in out.glob("pagefind-*ui*"):  # Pagefind's ready-made UIs: we have our own
        unused.unlink()
    (out / "pagefind-highlight.js").unlink(missing_ok=True)
    return None
