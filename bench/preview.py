"""Preview benchmark: from saving an article to the rebuilt page being served.

Runs the real `build.py serve` on the sample edition and on a generated archive of N days
(8 pages x 8 articles a day), saves one article five times in each, and times how long until the
server answers with the new text. Prints a table with the ratio of the two, which the README keeps.

    python bench/preview.py --days 365
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from generate import generate

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def start(content: Path) -> tuple[subprocess.Popen[str], str, list[str]]:
    process = subprocess.Popen(
        [sys.executable, "build.py", "serve", "--content", str(content), "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
    )
    lines: list[str] = []
    output = process.stdout
    assert output is not None  # stdout=PIPE
    threading.Thread(target=lambda: lines.extend(iter(output.readline, "")), daemon=True).start()
    while not any("http://127.0.0.1:" in line for line in lines):
        if process.poll() is not None:
            raise SystemExit("".join(lines))
        time.sleep(0.1)
    url = re.search(r"http://127\.0\.0\.1:\d+/", "".join(lines))
    assert url is not None  # a line holds it: the loop above waited for one
    return process, url.group(0), lines


def time_saves(content: Path, article: str, saves: int = 5) -> list[float]:
    """Seconds from each save to the first response that shows it."""
    process, url, _lines = start(content)
    path = content / article
    original = path.read_text(encoding="utf-8")
    page_url = url + article.removesuffix(".md") + ".html"
    times = []
    try:
        for n in range(saves):
            marker = f"基准标记{n}{time.time_ns()}"
            time.sleep(0.5)  # let the watcher settle between saves
            started = time.perf_counter()
            path.write_text(original + f"\n{marker}\n", encoding="utf-8")
            while marker not in urllib.request.urlopen(page_url).read().decode("utf-8"):
                time.sleep(0.005)
            times.append(time.perf_counter() - started)
    finally:
        path.write_text(original, encoding="utf-8")
        process.terminate()
        process.wait()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description="Time from saving an article to the rebuilt page being served.")
    parser.add_argument("--days", type=int, default=365, help="size of the generated archive (default: a year)")
    args = parser.parse_args()
    archive = OUT / f"archive-{args.days}"
    if not (archive / "site.yaml").exists():
        print(f"generating {args.days} days of issues in {archive} ...", flush=True)
        generate(archive, args.days)
    sample_tmp = OUT / "sample"
    subprocess.run(["rm", "-rf", str(sample_tmp)], check=True)
    subprocess.run(["cp", "-r", str(ROOT / "content"), str(sample_tmp)], check=True)
    print("timing the sample edition ...", flush=True)
    sample = time_saves(sample_tmp, "2021-12-10/01/shuju-zhongxin.md")
    print(f"timing the {args.days}-day archive (the first build takes a while) ...", flush=True)
    last_day = sorted(p.name for p in archive.iterdir() if p.is_dir())[-1]
    big = time_saves(archive, f"{last_day}/02/a03.md")
    small_ms, big_ms = statistics.median(sample) * 1000, statistics.median(big) * 1000
    print()
    print("| content | articles | save → served, median of 5 | ratio to sample |")
    print("|---|---|---|---|")
    print(f"| sample edition | {sum(1 for _ in (ROOT / 'content').rglob('*.md'))} | {small_ms:.0f} ms | 1.00 |")
    print(f"| generated, {args.days} days | {sum(1 for _ in archive.rglob('*.md'))} | {big_ms:.0f} ms | {big_ms / small_ms:.2f} |")


if __name__ == "__main__":
    main()
