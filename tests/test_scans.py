"""Page scans (版面图): checked with file and line, published as resized copies made once, and
read in Chromium as the printed page whose articles are links (热区), with the page's PDF."""

from __future__ import annotations

import io
import random
import re
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import ROOT, SAMPLE, Built, Run, Tree, article, pdf_file, run, scan_image, serve_under, snapshot, write_tree

if TYPE_CHECKING:  # Playwright is imported where Chromium is started: in conftest's fixture
    from playwright.sync_api import Browser, ViewportSize

PAGE = "2021-12-10/01"
WITH_SCAN = "name: 要闻\nimage: page.jpg\n"


def page_files(**articles: str) -> dict[str, str | bytes]:
    """A page with a 600×900 scan and articles with the given areas ("" for none)."""
    files: dict[str, str | bytes] = {f"{PAGE}/page.yaml": WITH_SCAN, f"{PAGE}/page.jpg": scan_image()}
    for slug, area in articles.items():
        files[f"{PAGE}/{slug}.md"] = article(slug, **({"area": area} if area else {}))
    return files


def first_group(pattern: str, text: str, flags: int = 0) -> str:
    """What the first group of the pattern's first match in `text` holds; there must be a match."""
    found = re.search(pattern, text, flags)
    assert found, pattern
    return found.group(1)


def png_of(width: int, height: int) -> bytes:
    """A real white RGB PNG, compressed a row at a time: a compression bomb costs this test no memory."""
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    packer, row = zlib.compressobj(9), b"\0" + b"\xff" * (3 * width)  # each row: no filter, then its pixels
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def claimed(kind: str, width: int, height: int, progressive: bool = False) -> bytes:
    """A small real JPEG or WebP whose header claims another size: what decoding it would cost
    is told by its header alone, which is all that `check` reads."""
    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(data, kind, **({"progressive": True} if progressive else {}))
    image = bytearray(data.getvalue())
    if kind == "WEBP":
        image[26:30] = struct.pack("<HH", width, height)  # the VP8 key frame's size
    else:
        frame = image.index(b"\xff\xc2" if progressive else b"\xff\xc0")  # the start of frame: length, precision, height, width
        image[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(image)



# Each case: the files that break a tree (on top of a page with a scan), and the `path:line:`
# each fault must start with.
CASES = {
    "scan that is not an image": ({f"{PAGE}/page.jpg": b"not an image"}, [f"{PAGE}/page.yaml:2: 无法读取版面图“page.jpg”"]),
    "scan in a format browsers may not show": (
        {f"{PAGE}/page.yaml": "name: 要闻\nimage: page.gif\n", f"{PAGE}/page.gif": scan_image(kind="GIF")},
        [f"{PAGE}/page.yaml:2: 版面图“page.gif”是 GIF 格式"],
    ),
    "scan cut short in the upload": ({f"{PAGE}/page.jpg": scan_image()[:-3000]}, [f"{PAGE}/page.yaml:2: 版面图“page.jpg”不完整"]),
    "PDF named but missing": ({f"{PAGE}/page.yaml": WITH_SCAN + "pdf: page.pdf\n"}, [f"{PAGE}/page.yaml:3: pdf 指向的文件“page.pdf”不在这个版面文件夹里"]),
    "PDF that is not a PDF": (
        {f"{PAGE}/page.yaml": WITH_SCAN + "pdf: page.pdf\n", f"{PAGE}/page.pdf": b"<html>download failed</html>"},
        [f"{PAGE}/page.yaml:3: “page.pdf”不是 PDF 文件"],
    ),
    "PDF cut short in the upload": (
        {f"{PAGE}/page.yaml": WITH_SCAN + "pdf: page.pdf\n", f"{PAGE}/page.pdf": pdf_file()[:200]},
        [f"{PAGE}/page.yaml:3: PDF“page.pdf”不完整"],
    ),
    "area outside the scan": ({f"{PAGE}/a.md": article("甲", area="[0, 0, 700, 100]")}, [f"{PAGE}/a.md:3: area 超出了版面图：点 (700, 0) 在图外"]),
    "polygon outside the scan": (
        {f"{PAGE}/a.md": article("甲", area="[[10, 10], [300, 10], [300, 950]]")},
        [f"{PAGE}/a.md:3: area 超出了版面图：点 (300, 950) 在图外，而“page.jpg”宽 600、高 900 像素"],
    ),
    "areas that overlap": (
        {f"{PAGE}/a.md": article("甲", area="[0, 0, 400, 400]"), f"{PAGE}/b.md": article("乙", area="[200, 200, 600, 600]")},
        [f"{PAGE}/b.md:3: area 与 {PAGE}/a.md 的 area 重叠了约 25%"],
    ),
    "PNG over 40 million pixels (decoded whole)": (
        {f"{PAGE}/page.yaml": "name: 要闻\nimage: page.png\n", f"{PAGE}/page.jpg": None, f"{PAGE}/page.png": png_of(8000, 5001)},
        [f"{PAGE}/page.yaml:2: 版面图“page.png”宽 8000、高 5001 像素（4001 万像素），太大了：PNG 最多 4000 万像素"],
    ),
    "WebP over 30 million pixels": (
        {f"{PAGE}/page.yaml": "name: 要闻\nimage: page.webp\n", f"{PAGE}/page.jpg": None, f"{PAGE}/page.webp": claimed("WEBP", 6000, 6000)},
        [f"{PAGE}/page.yaml:2: 版面图“page.webp”宽 6000、高 6000 像素（3600 万像素），太大了：WebP 最多 3000 万像素"],
    ),
    "JPEG over 150 million pixels": (
        {f"{PAGE}/page.jpg": claimed("JPEG", 10000, 15001)},
        [f"{PAGE}/page.yaml:2: 版面图“page.jpg”宽 10000、高 15001 像素（15001 万像素），太大了：JPEG 最多 15000 万像素"],
    ),
    "JPEG too narrow to be decoded smaller": ({f"{PAGE}/page.jpg": claimed("JPEG", 3000, 14000)}, [f"{PAGE}/page.yaml:2: 版面图“page.jpg”宽 3000、高 14000 像素（4200 万像素）太窄长了"]),
    "progressive JPEG whose data would not fit": (
        {f"{PAGE}/page.jpg": claimed("JPEG", 12000, 12000, progressive=True)},
        [f"{PAGE}/page.yaml:2: 版面图“page.jpg”宽 12000、高 12000 像素（14400 万像素）是渐进式 JPEG，解码时要把整张图的数据留在内存里，这样的 JPEG 最多 13334 万像素"],
    ),
    "area on a page without a scan": (
        {f"{PAGE}/page.yaml": "name: 要闻\n", f"{PAGE}/page.jpg": None, f"{PAGE}/a.md": article("甲", area="[0, 0, 100, 100]")},
        [f"{PAGE}/a.md:3: 第1版没有版面图（page.yaml 中没有 image），area 无处可标"],
    ),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_scan_fault_is_reported_with_path_and_line(tree: Tree, files: dict[str, str | bytes | None], expected: list[str]) -> None:
    files = {**page_files(ok="[0, 0, 10, 10]"), **files}
    content = tree({rel: data for rel, data in files.items() if data is not None})  # None: a file left out
    for command in (["check"], ["build", "--out", str(content.parent / "out")]):
        result = run(*command, "--content", str(content))
        assert result.code == 1, result.err
        lines = result.err.splitlines()
        for start in expected:
            assert any(line.startswith(start) for line in lines), f"{start!r} not in:\n{result.err}"
        assert "Traceback" not in result.err and "内部错误" not in result.err


def test_a_broken_scan_is_one_fault_not_one_per_area(tree: Tree) -> None:
    content = tree({**page_files(a="[0, 0, 100, 100]", b="[100, 0, 200, 100]"), f"{PAGE}/page.jpg": b"not an image"})
    result = run("check", "--content", str(content))
    faults = [line for line in result.err.splitlines() if line.startswith("2021-")]
    assert len(faults) == 1 and faults[0].startswith(f"{PAGE}/page.yaml:2: 无法读取版面图"), result.err


def test_a_scan_that_cannot_be_decoded_fails_the_build_and_leaves_the_output(tree: Tree) -> None:
    content = tree(page_files(a="[0, 0, 100, 100]"))
    out = content.parent / "out"
    assert run("build", "--content", str(content), "--out", str(out)).code == 0
    published = snapshot(out)
    png = bytearray(scan_image(kind="PNG", shade=11))
    start = png.index(b"IDAT") + 6
    png[start : start + 2000] = random.Random(1).randbytes(2000)  # the picture's data spoilt, its header and end intact
    (content / PAGE / "page.yaml").write_text("name: 要闻\nimage: page.png\n", encoding="utf-8")
    (content / PAGE / "page.png").write_bytes(bytes(png))
    result = run("build", "--content", str(content), "--out", str(out))
    assert result.code == 1
    assert f"{PAGE}/page.yaml:2: 版面图“page.png”无法解码" in result.err
    assert "Traceback" not in result.err and snapshot(out) == published


def test_areas_that_touch_or_share_a_drawn_border_are_fine(tree: Tree) -> None:
    content = tree(page_files(
        a="[0, 0, 304, 450]",  # shares a 4-pixel border with b
        b="[300, 0, 600, 450]",
        c="[[0, 450], [600, 450], [600, 900], [300, 900], [300, 700], [0, 700]]",  # an L around d
        d="[0, 700, 300, 900]",
    ))
    result = run("check", "--content", str(content))
    assert result.code == 0, result.err
    assert "area" not in result.err


def test_an_article_without_an_area_on_a_page_with_a_scan_is_a_warning(tree: Tree) -> None:
    content = tree(page_files(a="[0, 0, 100, 100]", b=""))
    result = run("build", "--content", str(content), "--out", str(content.parent / "out"))
    assert result.code == 0
    assert f"{PAGE}/b.md:1: 警告：第1版有版面图，这篇稿件却没有 area" in result.err


def test_copies_for_phones_and_desktops_and_webp_only_where_smaller(built: Built) -> None:
    out = built({**page_files(a="[0, 0, 600, 900]"), f"{PAGE}/page.jpg": scan_image(1300, 2000)})
    html = (out / PAGE / "index.html").read_text(encoding="utf-8")
    img = first_group(r'<img src="[^"]+" srcset="([^"]+)"', html)
    widths = [int(w) for w in re.findall(r" (\d+)w", img)]
    assert widths == [480, 800, 1200, 1300]  # the original's own width is the widest
    phones = first_group(r'<source media="\(max-width: 47.99em\)" srcset="([^"]+)"', html)
    assert [int(w) for w in re.findall(r" (\d+)w", phones)] == [480, 800]
    for name, _ in re.findall(r"([\w-]+\.jpg) (\d+)w", img):
        jpeg = out / PAGE / name
        webp = jpeg.with_suffix(".webp")
        assert jpeg.is_file()
        if webp.exists():
            assert webp.stat().st_size < jpeg.stat().st_size and webp.name in html
        else:
            assert webp.name not in html
    assert (out / PAGE / "page.jpg").read_bytes() == scan_image(1300, 2000)  # the original, for zoom


def test_copies_are_made_once_per_image_and_renamed_when_it_changes(tree: Tree, tmp_path: Path) -> None:
    content = tree({**page_files(a="[0, 0, 600, 900]"), f"{PAGE}/page.jpg": scan_image(shade=41)})  # an image no other test makes
    first = run("build", "--content", str(content), "--out", str(tmp_path / "one"))
    assert "新处理 1 张版面图" in first.out
    again = run("build", "--content", str(content), "--out", str(tmp_path / "two"), "--no-cache")
    assert again.code == 0 and "新处理" not in again.out  # a full build into a new folder reuses them
    assert snapshot(tmp_path / "one", marker=False) == snapshot(tmp_path / "two", marker=False)
    old = {p.name for p in (tmp_path / "one" / PAGE).glob("page-*")}
    (content / PAGE / "page.jpg").write_bytes(scan_image(shade=42))
    changed = run("build", "--content", str(content), "--out", str(tmp_path / "one"))
    assert "增量构建" in changed.out and "新处理 1 张版面图" in changed.out
    new = {p.name for p in (tmp_path / "one" / PAGE).glob("page-*")}
    assert new and not new & old  # new names, so no browser keeps showing the old scan
    assert run("build", "--content", str(content), "--out", str(tmp_path / "cold"), "--no-cache").code == 0
    assert snapshot(tmp_path / "one", marker=False) == snapshot(tmp_path / "cold", marker=False)


def test_a_sideways_photo_and_a_transparent_png_are_shown_upright_on_white(built: Built) -> None:
    from PIL import Image

    sideways = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # taken rotated: shown turned a quarter to the right
    Image.open(io.BytesIO(scan_image(900, 600))).save(sideways, "JPEG", exif=exif)
    clear = io.BytesIO()
    Image.new("RGBA", (600, 900), (0, 0, 0, 0)).save(clear, "PNG")
    out = built({
        **page_files(a="[0, 0, 600, 900]"),  # areas are drawn on the image as shown: 600 wide, 900 high
        f"{PAGE}/page.jpg": sideways.getvalue(),
        "2021-12-10/02/page.yaml": "name: 二版\nimage: page.png\n",
        "2021-12-10/02/page.png": clear.getvalue(),
        "2021-12-10/02/b.md": article("乙", area="[0, 0, 600, 900]"),
    })
    shown = Image.open(next((out / PAGE).glob("page-*-480w.jpg")))
    assert shown.size == (480, 720)
    white = Image.open(next((out / "2021-12-10/02").glob("page-*-480w.jpg")))
    assert white.convert("L").getextrema() == (255, 255)


def test_the_issue_shows_page_thumbnails_and_pages_share_the_scan(built: Built) -> None:
    files = page_files(a="[0, 0, 600, 900]")
    files["site.yaml"] = "title: 测试日报\nbase_url: https://epaper.example.com/\n"
    out = built(files)
    issue = (out / "2021-12-10/index.html").read_text(encoding="utf-8")
    thumb = first_group(r'<a class="page-thumb" href="01/index.html"[^>]*>.*?<img src="(01/[\w-]+-240w\.jpg)"', issue, re.S)
    assert (out / "2021-12-10" / thumb).is_file()
    page = (out / PAGE / "index.html").read_text(encoding="utf-8")
    card = first_group(r'<meta property="og:image" content="https://epaper.example.com/(2021-12-10/01/[\w-]+\.jpg)">', page)
    assert (out / card).is_file()
    article_page = (out / PAGE / "a.html").read_text(encoding="utf-8")
    assert '<a class="locator" href="index.html#area-a">' in article_page


# --- Bounded memory: a scan's copies are made in a bounded amount of memory, or the scan is refused
# from its header. Each build runs as the real command in a process of its own, whose peak resident
# memory is compared with that of the same build of the same tree with a small scan.

PEAK = """
import resource, runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_path("build.py", run_name="__main__")
finally:
    print(f"peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
"""


def measured_build(content: Path, out: Path) -> tuple[Run, int]:
    """`build.py build` in a process of its own (one worker: the build's own process), and its
    peak resident memory in bytes."""
    done = subprocess.run([sys.executable, "-c", PEAK, "build.py", "build", "--content", str(content), "--out", str(out), "--no-search", "-j", "1"], cwd=ROOT, capture_output=True, text=True)
    *lines, peak = done.stderr.splitlines()
    return Run(done.returncode, done.stdout, "\n".join(lines)), int(peak.removeprefix("peak ")) * 1024


def baseline(tmp_path: Path, files: dict[str, str | bytes], unique: int) -> int:
    """The peak memory of building the tree with a small scan instead, one no other test makes
    (`unique` rows taller), so that its copies are made anew."""
    small = {**files, f"{PAGE}/page.yaml": WITH_SCAN, f"{PAGE}/page.jpg": scan_image(600, 900 + unique)}
    small = {rel: data for rel, data in small.items() if rel != f"{PAGE}/page.png"}
    result, peak = measured_build(write_tree(tmp_path / "small", small), tmp_path / "small-out")
    assert result.code == 0 and "新处理 1 张版面图" in result.out, result.err
    return peak


def test_the_issues_compression_bomb_is_refused_from_its_header_without_being_decoded(tmp_path: Path) -> None:
    bomb = png_of(13000, 13000)  # 169 million pixels in half a megabyte: below Pillow's own limit
    files = {**page_files(a="[0, 0, 100, 100]"), f"{PAGE}/page.yaml": "name: 要闻\nimage: page.png\n", f"{PAGE}/page.png": bomb}
    files.pop(f"{PAGE}/page.jpg")
    result, peak = measured_build(write_tree(tmp_path / "content", files), tmp_path / "out")
    assert result.code == 1
    assert result.err.startswith(f"{PAGE}/page.yaml:2: 版面图“page.png”宽 13000、高 13000 像素（16900 万像素），太大了：PNG 最多 4000 万像素"), result.err
    assert "Warning" not in result.err and "Traceback" not in result.err  # Pillow's DecompressionBombWarning never shows
    assert peak < 1.25 * baseline(tmp_path, files, 1)  # decoding it took 1.5 GB


def test_a_600_dpi_broadsheet_scan_is_made_within_bounded_memory_and_quietly(tmp_path: Path) -> None:
    from PIL import Image

    width, height = 7000, 14000  # 98 million pixels: above Pillow's warning, below our limit
    picture = Image.open(io.BytesIO(scan_image(700, 1400, shade=77))).resize((width, height), Image.Resampling.NEAREST)
    scan = io.BytesIO()
    picture.save(scan, "JPEG", quality=85)
    del picture
    files = {**page_files(a="[0, 0, 100, 100]"), f"{PAGE}/page.jpg": scan.getvalue()}
    result, peak = measured_build(write_tree(tmp_path / "content", files), tmp_path / "out")
    assert result.code == 0 and "新处理 1 张版面图" in result.out, result.err
    assert "Warning" not in result.err and "DecompressionBomb" not in result.err, result.err
    made = sorted(int(re.findall(r"-(\d+)w\.jpg$", p.name)[0]) for p in (tmp_path / "out" / PAGE).glob("page-*w.jpg"))
    assert made == [240, 480, 800, 1200, 1800]
    assert peak - baseline(tmp_path, files, 2) < width * height * 4 / 2  # under half of what the scan takes decoded whole


def test_an_article_photo_is_published_as_it_is_and_never_decoded(tmp_path: Path) -> None:
    bomb = png_of(13000, 13000)
    files = {**page_files(), f"{PAGE}/a.md": article("甲", "正文。\n\n![图](photo.png)", area="[0, 0, 100, 100]"), f"{PAGE}/photo.png": bomb}
    result, peak = measured_build(write_tree(tmp_path / "content", files), tmp_path / "out")
    assert result.code == 0, result.err
    assert "Warning" not in result.err
    assert (tmp_path / "out" / PAGE / "photo.png").read_bytes() == bomb
    assert peak < 1.25 * baseline(tmp_path, {**files, f"{PAGE}/photo.png": png_of(60, 60)}, 3)


def test_a_png_at_the_limit_passes_and_one_row_more_is_refused(tree: Tree) -> None:
    content = tree({**page_files(a="[0, 0, 100, 100]"), f"{PAGE}/page.yaml": "name: 要闻\nimage: page.png\n", f"{PAGE}/page.png": png_of(8000, 5000)})
    assert run("check", "--content", str(content)).code == 0
    (content / PAGE / "page.png").write_bytes(png_of(8000, 5001))
    result = run("check", "--content", str(content))
    assert result.code == 1 and "PNG 最多 4000 万像素" in result.err


# --- Readers, in Chromium: the sample edition's 第1版 has a (stand-in) scan with every article's area.


@pytest.fixture(scope="module")
def site_url(sample_site: Path) -> Iterator[str]:
    with serve_under(sample_site, "/epaper/") as base:
        yield base


def sample_areas() -> list[tuple[str, str]]:
    """(slug, headline) of the sample 第1版's articles in reading order (by `order`)."""
    found = []
    for path in (SAMPLE / PAGE).glob("*.md"):
        text = path.read_text(encoding="utf-8")
        order = int(first_group(r"^order: (\d+)$", text, re.M))
        assert re.search(r"^area: ", text, re.M), f"{path.name} has no area"
        found.append((order, path.stem, first_group(r"^title: (.+)$", text, re.M)))
    return [(slug, title) for _, slug, title in sorted(found)]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_every_area_on_the_scan_opens_its_article(site_url: str, browser: Browser, size: str) -> None:
    viewports: dict[str, ViewportSize] = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
    viewport = viewports[size]
    context = browser.new_context(viewport=viewport, has_touch=size == "phone", is_mobile=size == "phone")
    page = context.new_page()
    for slug, headline in sample_areas():
        page.goto(site_url + PAGE + "/index.html")
        area = page.locator(f".areas a#area-{slug}")
        assert area.get_attribute("href") == f"{slug}.html"
        target = area.locator("polygon")
        target.tap() if size == "phone" else target.click()
        page.wait_for_url(f"**/{PAGE}/{slug}.html")
        assert headline in page.locator("h1").inner_text()
    context.close()


def test_keyboard_moves_through_the_areas_in_reading_order(site_url: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(site_url + PAGE + "/index.html")
    areas = sample_areas()
    page.locator(".teaser .title a").last.focus()  # the list comes first, then the scan
    seen = []
    for _ in areas:
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id"))
        stroke = page.evaluate("getComputedStyle(document.activeElement.querySelector('polygon')).stroke")
        assert stroke not in ("none", "transparent", "rgba(0, 0, 0, 0)")  # the focused area shows
    assert seen == [f"area-{slug}" for slug, _ in areas]
    names = page.locator(".areas a").evaluate_all("links => links.map(a => a.querySelector('title').textContent)")
    assert names[0] == areas[0][1]  # named for screen readers
    assert page.get_by_role("link", name=areas[0][1]).count() == 2  # the list's link and the area
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{areas[-2][0]}.html")
    page.close()


def test_the_article_leads_back_to_its_place_on_the_scan(site_url: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + PAGE + "/xinghualing.html")
    page.locator("a.locator").click()
    page.wait_for_url(f"**/{PAGE}/index.html#area-xinghualing")
    assert page.evaluate("document.querySelector(':target').id") == "area-xinghualing"
    assert page.evaluate("getComputedStyle(document.querySelector('#area-xinghualing polygon')).stroke") != "none"
    page.close()


def test_the_pdf_link_downloads_the_page_and_shows_its_size(site_url: str, browser: Browser, sample_site: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site_url + PAGE + "/index.html")
    link = page.locator("a.pdf")
    size = (sample_site / PAGE / "page.pdf").stat().st_size
    shown = link.locator("xpath=following-sibling::span[1]").inner_text()
    assert shown == f"PDF {round(size / 1024)} KB"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "page.pdf"
    assert Path(download.value.path()).read_bytes() == (sample_site / PAGE / "page.pdf").read_bytes()
    page.close()


def test_a_phone_loads_one_copy_no_wider_than_800_pixels_even_at_3x(site_url: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True)
    page = context.new_page()
    images = []
    page.on("requestfinished", lambda request: images.append(request.url) if request.resource_type == "image" else None)
    page.goto(site_url + PAGE + "/index.html")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    assert len(images) == 1 and re.search(r"-(480|800)w\.(webp|jpg)$", images[0]), images  # no strip thumbnails on a phone
    context.close()


def test_a_desktop_shows_the_pages_in_small_in_the_page_strip(site_url: str, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(site_url + "2021-12-10/03/index.html")
    thumb = page.locator(".page-strip .strip-thumb img")
    assert thumb.count() == 1 and thumb.is_visible()  # 第1版 has a scan, 第3版 none
    page.wait_for_function("document.querySelector('.page-strip .strip-thumb img').complete")
    assert page.evaluate("document.querySelector('.page-strip .strip-thumb img').naturalWidth") == 240
    page.close()
