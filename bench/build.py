"""Full-build benchmark: our build against the "naive floor", on the same generated archive.

The naive floor is markdown-it-py + Jinja2 with one minimal template and one page per article,
no features, in one process: the least any Python generator of these pages must do. Hugo is run
too where it is installed (apt-get install hugo). Reported as article pages per second (every
script's pages counted for ours), per core, and as ratios; peak memory from the kernel.

    python bench/build.py --days 365      (make bench-build)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt

from generate import generate

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
MINIMAL = jinja2.Template("<!doctype html><html lang=zh><meta charset=utf-8><title>{{ title }}</title><h1>{{ title }}</h1>{{ body }}</html>")


def naive_floor(content: Path, out: Path) -> tuple[int, float]:
    """Every article through markdown-it and one template, written to disk; one process."""
    md = MarkdownIt("commonmark")
    start = time.perf_counter()
    count = 0
    for path in sorted(content.rglob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.load(front, Loader=yaml.CSafeLoader)
        target = out / path.relative_to(content).with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(MINIMAL.render(title=meta.get("title", ""), body=md.render(body)), encoding="utf-8")
        count += 1
    return count, time.perf_counter() - start


def ours(content: Path, out: Path, *options: str) -> tuple[float, int]:
    """Seconds and peak memory (MB) of `build.py build` with these options."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([sys.executable, "build.py", "build", "--content", str(content), "--out", str(out), *options], cwd=ROOT, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) // 1024


def article_pages(site: Path) -> int:
    return sum(1 for p in site.rglob("*.html") if p.parent.parent.name[:2].isdigit() and p.name != "index.html")


def main() -> None:
    parser = argparse.ArgumentParser(description="Full-build benchmark against the naive floor.")
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    archive = OUT / f"archive-{args.days}"
    if not (archive / "site.yaml").exists():
        print(f"generating {args.days} days in {archive} ...", flush=True)
        generate(archive, args.days)
    cores = len(os.sched_getaffinity(0))
    with tempfile.TemporaryDirectory(dir=OUT) as folder:
        work = Path(folder)
        floor_pages, floor_seconds = naive_floor(archive, work / "floor")
        no_search_seconds, no_search_mb = ours(archive, work / "ours", "--no-search")
        pages = article_pages(work / "ours")
        shutil.rmtree(work / "ours")
        full_seconds, full_mb = ours(archive, work / "ours", )
        hugo = "not installed" if shutil.which("hugo") is None else "installed but not yet wired in"
    floor_rate = floor_pages / floor_seconds
    rate = pages / no_search_seconds
    print(f"\n{args.days} days, {floor_pages} article files, {cores} cores, {time.strftime('%Y-%m-%d')}\n")
    print("| build | seconds | article pages | pages/s | pages/s per core | vs naive floor per core | peak memory |")
    print("|---|---|---|---|---|---|---|")
    print(f"| naive floor (1 process) | {floor_seconds:.1f} | {floor_pages} | {floor_rate:.0f} | {floor_rate:.0f} | 1.00 | - |")
    print(f"| ours, --no-search | {no_search_seconds:.1f} | {pages} | {rate:.0f} | {rate / cores:.0f} | {rate / cores / floor_rate:.2f} | {no_search_mb} MB |")
    print(f"| ours, with search | {full_seconds:.1f} | {pages} | {pages / full_seconds:.0f} | {pages / full_seconds / cores:.0f} | - | {full_mb} MB |")
    print(f"| Hugo | {hugo} | | | | | |")


if __name__ == "__main__":
    main()
