"""Page scans (版面图): what a reader's browser downloads, and what making the copies costs.

    make bench-scans

1. Transfer: the sample edition is built and its 第1版 page view opened in Chromium at phone and
   desktop sizes and pixel densities; every image byte the page loads is counted (the whole page
   scrolled through, nothing zoomed). The budget is 250 KB on a phone.
2. Copies: the sample's scan (2200×3400, a stand-in with real text) has its copies made with an
   empty image cache and then found in it, in the same process; a full build of the sample with
   an empty image cache against one with a warm cache (--no-cache both times). Reported as ratios,
   with the number of scans whose copies each build made (the second must make none).
3. Memory (`python bench/scans.py --memory` for this part alone): scans of every kind at and
   beyond the limits of shuzibao/content/scans.py, each checked and given its copies in a child
   process of its own; its peak resident memory (VmHWM) above that of the same process before
   the scan, or the fault that refuses the scan. These figures chose the limits.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shuzibao.build import scan_copies as images  # noqa: E402
from shuzibao.content import scans  # noqa: E402
from shuzibao.render.pages import file_size  # noqa: E402

SCAN = ROOT / "content/2021-12-10/01/page.jpg"
PAGE = "2021-12-10/01/index.html"
BUDGET = 250 * 1024
SIZES = [
    ("phone 390×844 @1x", 390, 844, 1, True),
    ("phone 390×844 @2x", 390, 844, 2, True),
    ("phone 390×844 @3x", 390, 844, 3, True),
    ("phone 320×640 @2x", 320, 640, 2, True),
    ("desktop 1280×800 @1x", 1280, 800, 1, False),
    ("desktop 1440×900 @2x", 1440, 900, 2, False),
]


def build(out: Path, cache_home: Path) -> tuple[float, str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "build.py", "build", "--out", str(out), "--no-cache", "--no-search"], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout


def copies(work: Path) -> None:
    scan = scans.read_scan(SCAN, None)
    made, found = [], []
    for run in range(3):
        cache = work / f"cache-{run}"
        start = time.perf_counter()
        images.prepare(scan, SCAN, cache)
        made.append(time.perf_counter() - start)
        scan.digest = None  # found again: the bytes are hashed again, as a new build does
        start = time.perf_counter()
        images.prepare(scan, SCAN, cache)
        found.append(time.perf_counter() - start)
    cold, warm = statistics.median(made), statistics.median(found)
    print(f"\nCopies of one scan ({scan.width}×{scan.height}, {file_size(scan.size)}): made {cold:.2f} s, found in the cache {1000 * warm:.1f} ms ({cold / warm:.0f}× faster)")
    print("| copy | JPEG | WebP (kept where smaller) |\n|---|---|---|")
    digest, thumb = scan.digest, scan.thumb
    assert digest is not None and thumb is not None  # prepare() gives the scan both
    folder = work / "cache-0" / digest[:2] / digest
    for rendition in [*scan.renditions, thumb]:
        jpeg = (folder / f"{rendition.width}w.jpg").stat().st_size
        webp = f"{file_size((folder / f'{rendition.width}w.webp').stat().st_size)}" if rendition.webp else "not kept"
        print(f"| {rendition.width}×{rendition.height} | {file_size(jpeg)} | {webp} |")

    cold_build, first = build(work / "out-1", work / "home")
    warm_build, second = build(work / "out-2", work / "home")
    made_first = re.search(r"新处理 (\d+) 张版面图", first)
    made_second = re.search(r"新处理 (\d+) 张版面图", second)
    print(f"\nFull build of the sample (--no-cache): empty image cache {cold_build:.2f} s, warm {warm_build:.2f} s ({cold_build / warm_build:.1f}×);"
          f" scans whose copies were made: {made_first.group(1) if made_first else 0}, then {made_second.group(1) if made_second else 0}")


def transfer(site: Path) -> None:
    from playwright.sync_api import Request, sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import serve_under

    print(f"\nImage bytes loaded by the page view of {PAGE} (budget on a phone: {BUDGET // 1024} KB)")
    print("| screen | images | bytes | chosen copy | within budget |\n|---|---|---|---|---|")
    with serve_under(site, "/epaper/") as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for name, width, height, density, phone in SIZES:
            context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=density, is_mobile=phone, has_touch=phone)
            page = context.new_page()
            loaded: list[int] = []

            def count(request: Request, loaded: list[int] = loaded) -> None:
                if request.resource_type == "image":
                    loaded.append(request.sizes()["responseBodySize"])

            page.on("requestfinished", count)
            page.goto(base + PAGE)
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_load_state("networkidle")
            chosen = page.evaluate("document.querySelector('.scan img').currentSrc.split('/').pop()")
            total = sum(loaded)
            verdict = ("yes" if total <= BUDGET else "NO") if phone else "(no budget)"
            print(f"| {name} | {len(loaded)} | {file_size(total)} | {chosen} | {verdict} |")
            context.close()
        browser.close()


# (what it shows, width, height, Pillow mode, format, save options)
KINDS: list[tuple[str, int, int, str, str, dict[str, object]]] = [
    ("JPEG, a 600 dpi broadsheet", 7000, 14000, "RGB", "JPEG", {"quality": 85}),
    ("JPEG at the limit", 10000, 15000, "RGB", "JPEG", {"quality": 85}),
    ("JPEG at the limit, 4:4:4", 10000, 15000, "RGB", "JPEG", {"quality": 92, "subsampling": 0}),
    ("JPEG at the limit, CMYK", 10000, 15000, "CMYK", "JPEG", {"quality": 85}),
    ("JPEG too narrow to decode smaller, at the limit", 3500, 11428, "RGB", "JPEG", {"quality": 85, "subsampling": 0}),
    ("JPEG too narrow to decode smaller, over", 3500, 14285, "RGB", "JPEG", {"quality": 85, "subsampling": 0}),
    ("progressive JPEG, a 600 dpi broadsheet", 7000, 14000, "RGB", "JPEG", {"quality": 85, "progressive": True}),
    ("progressive JPEG at its limit", 9400, 14150, "RGB", "JPEG", {"quality": 85, "progressive": True}),
    ("progressive JPEG 4:4:4 at its limit", 6660, 10000, "RGB", "JPEG", {"quality": 90, "subsampling": 0, "progressive": True}),
    ("progressive JPEG CMYK at its limit", 5000, 10000, "CMYK", "JPEG", {"quality": 85, "progressive": True}),
    ("progressive grey JPEG at the limit", 10000, 15000, "L", "JPEG", {"quality": 85, "progressive": True}),
    ("PNG, a 300 dpi broadsheet", 4600, 6400, "RGB", "PNG", {"compress_level": 1}),
    ("PNG at the limit", 5000, 8000, "RGB", "PNG", {"compress_level": 1}),
    ("PNG at the limit, transparent", 5000, 8000, "RGBA", "PNG", {"compress_level": 1}),
    ("PNG at the limit, grey and transparent", 5000, 8000, "LA", "PNG", {"compress_level": 1}),
    ("PNG at the limit, palette and transparent", 5000, 8000, "P", "PNG", {"compress_level": 1, "transparency": 0}),
    ("PNG at the limit, 16-bit grey", 5000, 8000, "I;16", "PNG", {"compress_level": 1}),
    ("PNG, the issue's compression bomb (white)", 13000, 13000, "RGB", "PNG", {"optimize": True}),
    ("WebP at the limit", 4472, 6708, "RGB", "WEBP", {"quality": 80, "method": 0}),
    ("WebP at the limit, transparent", 4472, 6708, "RGBA", "WEBP", {"quality": 80, "method": 0}),
    ("JPEG over the limit", 13000, 13000, "RGB", "JPEG", {"quality": 80}),
]

# Run in a child process: check the scan as a build does, make its copies, print the peak.
MEASURE = """
import sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from shuzibao.build import scan_copies
from shuzibao.content import scans

def peak():
    return next(int(l.split()[1]) // 1024 for l in open("/proc/self/status") if l.startswith("VmHWM"))

before, start, path = peak(), time.perf_counter(), Path(sys.argv[1])
try:
    scan = scans.read_scan(path, None)
except scans.Unreadable as error:
    print(f"refused: {error}")
    raise SystemExit
with tempfile.TemporaryDirectory() as cache:
    scan_copies.prepare(scan, path, Path(cache))
print(f"{peak() - before} MB, {time.perf_counter() - start:.1f} s")
"""


def memory(work: Path) -> None:
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None  # this process makes the bombs; the children measure them
    texture = Image.open(SCAN).convert("RGB")
    print("\nPeak memory of checking a scan and making its copies, in a process of its own (above the process before the scan)")
    print("| scan | size | file | peak memory, time, or the fault |\n|---|---|---|---|")
    for name, width, height, mode, kind, options in KINDS:
        picture = Image.new("RGB", (width, height), "white") if "bomb" in name else texture.resize((width, height), Image.Resampling.NEAREST)
        path = work / f"scan.{kind.lower()}"
        picture.convert(mode).save(path, kind, **options)
        del picture
        done = subprocess.run([sys.executable, "-c", MEASURE, str(path), str(ROOT)], capture_output=True, text=True, check=True)
        result = done.stdout.strip() if not done.stderr else f"ERROR {done.stderr.strip().splitlines()[-1]}"
        megapixels = f"{width}×{height}, {width * height / 1e6:.0f} MP"
        shown = "refused: " + result.split("：")[0].split("）")[-1].lstrip("，") if result.startswith("refused") else result  # the fault's reason, not its advice
        print(f"| {name} | {megapixels} | {file_size(path.stat().st_size)} | {shown} |", flush=True)
        path.unlink()


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="shuzibao-bench-scans-"))
    try:
        if "--memory" not in sys.argv:
            copies(work)
            transfer(work / "out-2")
        memory(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
