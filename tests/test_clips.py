"""Clips (剪报, issue 18): each story with an area on a page scan is cut from the scan, masked on
white, in a phone's size and the full size; a story that jumps has a clip per part; a clip is cut
once per scan and area; the article page shows it (看原版) with its place on the page and a
download, and it is the sharing card of a story without a photo of its own."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

from conftest import Built, article, scan_image, serve_under

if TYPE_CHECKING:  # Playwright is imported where Chromium is started: in conftest's fixture
    from playwright.sync_api import Browser

DAY = "2021-12-10"
WIDTH, HEIGHT = 2000, 3000  # the scan: wider than the widest copy (1800), so the full size is at 0.9 of its pixels
SCALE = 1800 / WIDTH
MARGIN = WIDTH / 150
WIDE = [100, 100, 1300, 900]  # a story across columns: a phone's size and the full size
NARROW = [1400, 100, 1900, 900]  # one column: the full size is a phone's size too
L_SHAPE = [[100, 1000], [1900, 1000], [1900, 2900], [1000, 2900], [1000, 1600], [100, 1600]]  # a story round a corner
BOXES = {"wide": (100, 100, 1300, 900), "narrow": (1400, 100, 1900, 900), "corner": (100, 1000, 1900, 2900)}  # each area's bounding box
SITE = "title: 测试日报\nbase_url: https://epaper.example.com/\n"


def scan_page(label: str = "01", **areas: object) -> dict[str, str | bytes]:
    """A page with a 2000×3000 scan and one article per area."""
    files: dict[str, str | bytes] = {f"{DAY}/{label}/page.yaml": "name: 要闻\nimage: page.jpg\n", f"{DAY}/{label}/page.jpg": scan_image(WIDTH, HEIGHT)}
    for slug, area in areas.items():
        files[f"{DAY}/{label}/{slug}.md"] = article(f"{slug} 标题", f"{slug}的正文。", area=area)
    return files


def expected_full(box: tuple[int, int, int, int]) -> tuple[float, float]:
    """The area's box with a margin of 1/150 of the scan's width, inside the scan, at the widest copy's scale."""
    left, top = max(0.0, box[0] - MARGIN), max(0.0, box[1] - MARGIN)
    right, bottom = min(WIDTH, box[2] + MARGIN), min(HEIGHT, box[3] + MARGIN)
    return (right - left) * SCALE, (bottom - top) * SCALE


def clip_files(out: Path, slug: str, label: str = "01") -> dict[int, Path]:
    """The clip's JPEG files by width."""
    return {int(p.name.rsplit("-", 1)[1].removesuffix("w.jpg")): p for p in (out / DAY / label).glob(f"{slug}-clip-*w.jpg")}


def size_of(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def test_each_story_with_an_area_has_clips_of_the_right_size_and_aspect(built: Built) -> None:
    out = built({"site.yaml": SITE, **scan_page(wide=WIDE, narrow=NARROW, corner=L_SHAPE), f"{DAY}/01/none.md": article("没有热区")})
    for slug, box in BOXES.items():
        copies = clip_files(out, slug)
        width, height = expected_full(box)
        full = copies[max(copies)]
        assert abs(size_of(full)[0] - width) <= 1 and abs(size_of(full)[1] - height) <= 1, (slug, size_of(full), width, height)
        if width > 1000:  # a phone's size: 800 pixels wide, the same aspect
            assert sorted(copies) == [800, max(copies)]
            phone = size_of(copies[800])
            assert phone[0] == 800 and abs(phone[1] - 800 * height / width) <= 1
        else:
            assert sorted(copies) == [round(width)], slug  # one size is both
        page = (out / DAY / "01" / f"{slug}.html").read_text(encoding="utf-8")
        assert f'width="{size_of(full)[0]}" height="{size_of(full)[1]}"' in page
        assert f'{full.name}" download' in (out / "zh-hant" / DAY / "01" / f"{slug}.html").read_text(encoding="utf-8")  # in every script
    assert not list((out / DAY / "01").glob("none-clip-*"))


def test_a_clip_is_the_area_on_white_with_a_margin(built: Built) -> None:
    from PIL import Image

    out = built(scan_page(corner=L_SHAPE))
    copies = clip_files(out, "corner")
    full = copies[max(copies)]
    with Image.open(full) as image:
        grey = image.convert("L")
        scale = grey.width / (1900 - 100 + 2 * MARGIN)

        def dark(x: float, y: float, size: int = 60) -> int:
            """How many dark pixels the square of the scan's pixels at (x, y) has in the clip."""
            left, top = (x - 100 + MARGIN) * scale, (y - 1000 + MARGIN) * scale  # the clip starts a margin before the box
            return sum(grey.crop((round(left), round(top), round(left + size * scale), round(top + size * scale))).histogram()[:128])

        assert dark(1400, 2000) > 100  # inside the story: its print
        assert dark(120, 1530) > 100  # inside, at its corner
        assert dark(300, 2200) == 0 and dark(700, 2700) == 0  # outside the L: white, not the neighbouring story


def test_a_story_that_jumps_has_the_clips_of_each_part(built: Built) -> None:
    files = {
        **scan_page("01", lead=WIDE),
        **scan_page("03"),
        f"{DAY}/03/lead-xu.md": article(None, "续文。", continues="01/lead", area=NARROW),
    }
    out = built(files)
    head = (out / DAY / "01/lead.html").read_text(encoding="utf-8")
    rest = (out / DAY / "03/lead-xu.html").read_text(encoding="utf-8")
    head_clip, rest_clip = (max(clip_files(out, slug, label).items())[1].name for slug, label in (("lead", "01"), ("lead-xu", "03")))
    assert head.count('<figure class="clip">') == 2  # the whole story: each part as printed on its page
    assert f'href="{head_clip}" download' in head and f'href="../03/{rest_clip}" download' in head
    assert 'href="index.html#area-lead"' in head and 'href="../03/index.html#area-lead-xu"' in head
    assert rest.count('<figure class="clip">') == 1 and f'href="{rest_clip}" download' in rest  # a continuation: its own part


def test_clips_are_made_once_per_scan_and_area(built: Built, tmp_path: Path) -> None:
    out = built({**scan_page(a=WIDE, b=NARROW), "2021-12-11/01/page.yaml": "name: 要闻\nimage: page.jpg\n", "2021-12-11/01/page.jpg": scan_image(WIDTH, HEIGHT),
                 "2021-12-11/01/c.md": article("同一版面图、同一热区", area=WIDE)})
    first = {p.name: p.stat().st_ino for p in out.rglob("*-clip-*")}
    phones = {first[n] for n in first if n.startswith(("a-clip-", "c-clip-")) and n.endswith("800w.jpg")}
    assert len(phones) == 1  # the same scan and area in two issues: one clip, linked twice
    again = built({f"{DAY}/01/page.yaml": "name: 要闻\nimage: page.jpg\n", f"{DAY}/01/b.md": article("b", area="[1400, 200, 1900, 900]")})  # one area moved
    second = {p.name: p.stat().st_ino for p in again.rglob("*-clip-*")}
    assert {n: i for n, i in second.items() if not n.startswith("b-")} == {n: i for n, i in first.items() if not n.startswith("b-")}  # linked from the cache, not cut again
    assert not {n for n in second if n.startswith("b-")} & {n for n in first if n.startswith("b-")}  # the moved area: a new clip, under a new name
    assert len(list(again.rglob("b-clip-*.jpg"))) == 1


def test_the_clip_is_the_sharing_card_of_a_story_without_a_photo(built: Built) -> None:
    files = {"site.yaml": SITE, **scan_page(plain=NARROW), f"{DAY}/01/photo.md": article("有图", "![图](photo.jpg)", area=WIDE), f"{DAY}/01/photo.jpg": scan_image(400, 300)}
    out = built(files)
    card = re.compile(r'<meta property="og:image" content="([^"]+)">')
    plain = card.search((out / DAY / "01/plain.html").read_text(encoding="utf-8"))
    photo = card.search((out / DAY / "01/photo.html").read_text(encoding="utf-8"))
    assert plain and re.fullmatch(rf"https://epaper\.example\.com/{DAY}/01/plain-clip-[0-9a-f]{{10}}-\d+w\.jpg", plain.group(1))
    assert (out / plain.group(1).removeprefix("https://epaper.example.com/")).is_file()
    assert photo and photo.group(1) == f"https://epaper.example.com/{DAY}/01/photo.jpg"  # its own photo first


def test_a_reader_opens_the_clip_its_place_and_its_download(built: Built, browser: Browser) -> None:
    out = built(scan_page(lead=WIDE))
    with serve_under(out) as base:
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=3)
        page.goto(f"{base}{DAY}/01/lead.html")
        clip = page.locator("details.clips img")
        assert not page.locator("details.clips figure").is_visible()  # closed: nothing of it loaded
        assert clip.evaluate("img => img.naturalWidth") == 0
        page.get_by_text("看原版").click()
        clip.scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('details.clips img').naturalWidth > 0")
        assert re.search(r"lead-clip-[0-9a-f]{10}-800w\.(webp|jpg)$", clip.evaluate("img => img.currentSrc"))  # a phone's copy, whatever the density
        assert clip.bounding_box()["width"] <= 390  # type: ignore[index]  # it is visible
        download = page.get_by_role("link", name="下载剪报")
        with page.expect_download() as saved:
            download.click()
        assert saved.value.suggested_filename.endswith("w.jpg") and html.unescape(page.locator(".clip .size").inner_text()).startswith("JPEG ")
        page.get_by_role("link", name="在版面上的位置").click()
        page.wait_for_url("**/01/index.html#area-lead")
        page.close()
