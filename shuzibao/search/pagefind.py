"""Running Pagefind: one bundle per script and month, each made byte-identical from run to run."""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pagefind_bin

from . import canonical

AT_ONCE = 1  # Pagefind runs one at a time: a month's shard takes about 1.1 GB (it uses every core itself)


def run_pagefind(jobs: list[tuple[Path, Path]], background: bool = False) -> list[str]:
    """Index each (documents folder, bundle folder) pair, AT_ONCE at a time; return what failed.
    In the background (the preview), Pagefind runs at the lowest priority, so that it never
    slows down a rebuild or a page being served."""
    with ThreadPoolExecutor(AT_ONCE) as pool:
        return [failure for failure in pool.map(lambda job: _pagefind(job[0], job[1], background), jobs) if failure]


def _pagefind(site: Path, out: Path, background: bool) -> str | None:
    lowest = (lambda: os.nice(19)) if background else None
    command = [str(pagefind_bin.get_executable()), "--site", str(site), "--output-path", str(out), "--silent"]
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=lowest)
    if done.returncode != 0:
        return f"{site.parent.name}/{site.name}: {done.stdout.decode('utf-8', 'replace').strip()[-500:]}"
    canonical.canonicalize(out)
    for unused in out.glob("pagefind-*ui*"):  # Pagefind's ready-made UIs: we have our own
        unused.unlink()
    (out / "pagefind-highlight.js").unlink(missing_ok=True)
    return None
