"""The benchmark: our build against the naive floor and Hugo on one generated archive, in one run.

    make bench                 a year of a daily (365 issues, about 23,000 articles)
    make bench YEARS=10        a decade

The naive floor is markdown-it-py + Jinja2 with one minimal template, one page per article, no
features, in one process: the least any Python generator of these pages must do. Hugo runs on the
same article files with an equally minimal template where it is installed (apt-get install hugo).
Then our build: cold without and with search, a cached build with nothing to do, publishing one
more issue into the archive, a change of the masthead (site.yaml: every page rendered again, the
search bundles taken as published), the first search in Chromium, the preview's save-to-page time
(the newest issue's article, with base_url), and the bytes and files published per day. Each row
shows issue 17's target beside its figure.
Speeds are article pages per second (every script's pages counted for ours) and ratios; memory is
the peak of the whole process tree, read from /proc. The table goes into the README.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import conversion
import jinja2
import published
import yaml
from generate import generate
from markdown_it import MarkdownIt
from preview import time_saves

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
MINIMAL = "<!doctype html><html lang=zh><meta charset=utf-8><title>{{ title }}</title><h1>{{ title }}</h1>{{ body }}</html>"
HUGO_SINGLE = "<!doctype html><html lang=zh><meta charset=utf-8><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}</html>"
CHROMIUM = Path("/usr/bin/chromium")


def naive_floor(content: Path, out: Path) -> tuple[int, float]:
    """Every article through markdown-it and one template, written to disk; one process."""
    md, template = MarkdownIt("commonmark"), jinja2.Template(MINIMAL)
    start = time.perf_counter()
    count = 0
    for path in sorted(content.rglob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.load(front, Loader=yaml.CSafeLoader)
        target = out / path.relative_to(content).with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(template.render(title=meta.get("title", ""), body=md.render(body)), encoding="utf-8")
        count += 1
    return count, time.perf_counter() - start


def measured(command: list[str]) -> tuple[float, int, str]:
    """Seconds, peak memory of the process and all its children (MB), and its output. The disk is
    settled first, so that no run pays for the writes (or deletions) of the one before."""
    os.sync()
    time.sleep(1)
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]
    threading.Thread(target=watch_memory, args=(process, peak), daemon=True).start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output}")
    return seconds, peak[0] // 1024, output


def watch_memory(process: subprocess.Popen[str], peak: list[int]) -> None:
    while process.poll() is None:
        peak[0] = max(peak[0], tree_rss_kb(process.pid))
        time.sleep(0.05)


def tree_rss_kb(root: int) -> int:
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            status = Path(entry.path, "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        parents[pid] = int(fields["PPid"])
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total, family = 0, {root}
    for pid in sorted(parents):  # children have larger numbers than their parents, almost always
        if pid == root or parents[pid] in family:
            family.add(pid)
            total += rss.get(pid, 0)
    return total


def ours(content: Path, out: Path, *options: str) -> tuple[float, int, str]:
    """A build by the command line. The old site a full build replaced is deleted after it, in
    the background (not in the time, as a newsroom does not wait for it): the next run waits
    until it is gone, so that no run pays for the one before."""
    from shuzibao.build.publishing import work_folders  # on the path since `conversion` put it there

    result = measured([sys.executable, "build.py", "build", "--content", str(content), "--out", str(out), *options])
    while work_folders(out.resolve()):
        time.sleep(0.5)
    return result


def hugo(content: Path, work: Path) -> tuple[float, int, int] | None:
    """Hugo on the same article files, one minimal template; None where Hugo is not installed."""
    binary = shutil.which("hugo")
    if binary is None:
        return None
    site = work / "hugo-site"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (site / "layouts" / "_default" / "list.html").write_text("<!doctype html><title>{{ .Title }}</title>")
    (site / "config.yaml").write_text(
        f'baseURL: "https://example.com/"\ncontentDir: "{content}"\ndisableKinds: [taxonomy, term, RSS, sitemap, robotsTXT, "404"]\n'
    )
    seconds, peak, _ = measured([binary, "--quiet", "-s", str(site), "-d", str(work / "hugo-out")])
    pages = sum(1 for p in (work / "hugo-out").glob("*/*/*/index.html"))
    return seconds, peak, pages


def article_pages(site: Path) -> int:
    """Article pages of every script: YYYY-MM-DD/NN/slug.html, at the root or under a script's folder."""
    return sum(1 for pattern in ("[0-9]*/*/*.html", "zh-*/[0-9]*/*/*.html") for p in site.glob(pattern) if p.name != "index.html")


def publish_one_issue(archive: Path, out: Path, work: Path) -> tuple[float, int, str]:
    """The archive's last day published into the archive without it: the worst day of a month,
    for that month's search shard is the fullest. The site is first brought to the day before."""
    last = max(p.name for p in archive.iterdir() if p.is_dir())
    shutil.move(archive / last, work / last)
    try:
        ours(archive, out)  # the site as it was the night before
    finally:
        shutil.move(work / last, archive / last)
    return ours(archive, out)


SHOWN = "document.querySelectorAll('li.result').length > 0 && !document.querySelector('ol.results').hasAttribute('aria-busy') || document.querySelector('.search-status').textContent.includes('没有')"


def first_search(site: Path, query: str, runs: int = 3) -> tuple[float, float, float] | None:
    """A reader's first search, each run in a fresh browser context (nothing cached): the kilobytes
    the search fetched from opening the page; the milliseconds from pressing Enter on the search
    page (opened a moment before) to its first screen of results; and from pressing Enter in the
    search box of the home page (opened a moment before) to the same screen, the search page's
    own load included. Medians of `runs`."""
    if not CHROMIUM.exists():
        return None
    sys.path.insert(0, str(ROOT / "tests"))
    from playwright.sync_api import sync_playwright

    from conftest import serve_under

    typed: list[float] = []
    arrived: list[float] = []
    sizes: list[int] = []  # the bytes of the last run's search, from opening the page
    with sync_playwright() as playwright, serve_under(site, "/paper/") as base:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        for _ in range(runs):
            context = browser.new_context()
            page = context.new_page()
            sizes.clear()
            page.on("requestfinished", lambda request: sizes.append(max(0, request.sizes()["responseBodySize"])) if "/pagefind/" in request.url or "fold.json" in request.url else None)
            page.goto(f"{base}search/index.html")
            page.wait_for_load_state("networkidle")
            start = time.perf_counter()
            page.fill("#search-q", query)
            page.press("#search-q", "Enter")
            page.wait_for_function(SHOWN, polling="raf")
            typed.append(time.perf_counter() - start)
            page.wait_for_load_state("networkidle")
            context.close()
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{base}index.html")
            page.wait_for_load_state("networkidle")
            start = time.perf_counter()
            page.fill("form.search-box input[name=q]", query)
            page.press("form.search-box input[name=q]", "Enter")
            page.wait_for_url("**/search/index.html?q=*", wait_until="commit")
            page.wait_for_function(SHOWN, polling="raf")
            arrived.append(time.perf_counter() - start)
            context.close()
        browser.close()
    return sum(sizes) / 1024, statistics.median(typed) * 1000, statistics.median(arrived) * 1000


def masthead_changed(archive: Path, out: Path) -> tuple[float, int, str]:
    """A cached build after the paper's title changed in site.yaml: what a masthead, template or
    theme change costs (every page rendered again; the search documents are the same)."""
    settings = archive / "site.yaml"
    before = settings.read_text(encoding="utf-8")
    settings.write_text(before.replace("title: 基准日报", "title: 基准晚报"), encoding="utf-8")
    try:
        return ours(archive, out)
    finally:
        settings.write_text(before, encoding="utf-8")


def preview_save(archive: Path) -> float:
    """Median milliseconds from saving an article of the newest issue to the server showing it."""
    last_day = max(p.name for p in archive.iterdir() if p.is_dir())
    return statistics.median(time_saves(archive, f"{last_day}/02/a03.md")) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description="Our build against the naive floor and Hugo, on a generated archive.")
    parser.add_argument("--days", type=int, default=365, help="issues in the generated archive (default: a year)")
    parser.add_argument("--no-preview", action="store_true", help="skip the preview's timing (its first build is a full one)")
    args = parser.parse_args()
    archive = OUT / f"archive-{args.days}"
    if not (archive / "site.yaml").exists():
        print(f"generating {args.days} days in {archive} ...", flush=True)
        generate(archive, args.days)
    cores = len(os.sched_getaffinity(0))
    rows: list[tuple[str, str, str, str]] = []
    years = "ten years" if args.days >= 3650 else "one year" if args.days >= 365 else f"{args.days} days"
    work = OUT / f"work-{args.days}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        print("naive floor ...", flush=True)
        os.sync()
        floor_pages, floor_seconds = naive_floor(archive, work / "floor")
        floor_rate = floor_pages / floor_seconds
        rows.append(("naive floor, 1 process", f"{floor_seconds:.1f} s, {floor_pages} pages, {floor_rate:.0f} pages/s", "the baseline", "-"))
        print("Hugo ...", flush=True)
        hugo_result = hugo(archive, work)
        if hugo_result:
            hugo_seconds, hugo_mb, hugo_pages = hugo_result
            rows.append((f"Hugo {hugo_version()}, {cores} cores", f"{hugo_seconds:.1f} s, {hugo_pages} pages, {hugo_pages / hugo_seconds:.0f} pages/s, {hugo_mb} MB", "-", "-"))
        print("ours, cold, without search ...", flush=True)
        seconds, mb, _ = ours(archive, work / "plain", "--no-search", "--no-cache")
        pages = article_pages(work / "plain")
        rate = pages / seconds
        versus = f"{rate / cores / floor_rate:.2f}x the floor per core"
        if hugo_result:
            versus += f", {rate / (hugo_pages / hugo_seconds):.2f}x Hugo"
        rows.append((f"ours, full build, --no-search, {cores} cores", f"{seconds:.1f} s, {pages} pages (every script), {rate:.0f} pages/s, {mb} MB", versus, "≥ 1.00x floor per core and Hugo"))
        plain_seconds = seconds
        print("ours, cold, with search ...", flush=True)
        seconds, mb, _ = ours(archive, work / "site", "--no-cache")
        rows.append(("ours, full build with search", f"{seconds:.1f} s, {mb} MB", f"{seconds / plain_seconds:.2f}x the build without search", "≤ 1.5x without search; < 1,536 MB"))
        print("ours, nothing changed ...", flush=True)
        seconds, mb, _ = ours(archive, work / "site")
        rows.append(("ours, cached build, nothing changed", f"{seconds:.1f} s, {mb} MB", "-", "-"))
        print("ours, masthead changed ...", flush=True)
        seconds, mb, _ = masthead_changed(archive, work / "site")
        rows.append(("ours, masthead changed in site.yaml (with search)", f"{seconds:.1f} s, {mb} MB", f"{seconds / plain_seconds:.2f}x the build without search", "< 360 s at ten years"))
        print("ours, one more issue ...", flush=True)
        seconds, mb, output = publish_one_issue(archive, work / "site", work)
        written = output.split("写入 ")[-1].split(" ")[0]
        rows.append(("ours, publish one more issue (with search), the 31st of a month", f"{seconds:.1f} s, {mb} MB", f"{written} files written", "< 30 s, flat"))
        for query in ("发展", "冰雪"):
            found = first_search(work / "site", query)
            if found:
                kilobytes, typed, arrived = found
                measured = f"{kilobytes:.0f} KB; typed {typed:.0f} ms; from another page {arrived:.0f} ms"
                how = "Enter on the search page, or in the home page's search box (search page's load included) → the first screen of results"
                rows.append((f"first search for {query} in Chromium", measured, how, "< 1,024 KB and < 500 ms"))
        if not args.no_preview:
            print("preview ...", flush=True)
            rows.append(("preview: save the newest issue's article → page served (base_url on)", f"{preview_save(archive):.0f} ms", "median of 5 saves", f"< 300 ms at {years}"))
        bytes_per_day = published.table(work / "site")
    finally:
        shutil.rmtree(work, ignore_errors=True)  # kept until the end: deleting is slow on some disks, and would slow the next run
    articles = sum(1 for _ in archive.rglob("*.md"))
    print(f"\n{args.days} issues, {articles} article files, {cores} cores, {time.strftime('%Y-%m-%d')}\n")
    print("| run | measured | compared | target (issue 17) |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\nPublished per day, by part (bench/published.py):\n")
    print("\n".join(bytes_per_day))
    # Conversion (issue 19): stock OpenCC against ours, accuracy on the held-out sentences and time
    # (bench/conversion.py, also `make bench-conversion`).
    print()
    print(conversion.table())


def hugo_version() -> str:
    output = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout
    return output.split()[1].split("+")[0] if output else "?"


if __name__ == "__main__":
    main()
