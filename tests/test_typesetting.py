"""The reader's paper typeset like a newspaper, in each script's own type (issue 15), in real
Chromium at a phone's 390 px and a desktop's 1280 px: type per script, the headline's tiers, the
page strip, the compact masthead, the scan and its viewer, the archive by year, tap targets,
photos' bytes, print, search excerpts and search from a file, the footer's furniture, high
contrast."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from conftest import article, run, scan_image, serve_under, snapshot, write_tree

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

VIEWPORTS: dict[str, ViewportSize] = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
SCRIPTS = {"zh-Hans": "", "zh-Hant": "zh-hant/", "zh-HK": "zh-hk/"}
DAY = "2021-12-10"
SITE = """\
title: 测试日报
variants:
  - {code: zh-Hant, label: 繁體, opencc: s2tw}
  - {code: zh-HK, label: 香港繁體, opencc: s2hk}
logo: masthead.png
icp: 晋ICP备12345678号-1
police: 晋公网安备 14010502000123号
copyright: 测试日报社 版权所有
base_url: https://epaper.example.com/
"""
HEAD_BODY = """进入12月份，太原天气渐冷，但“森林公园”内市民热情不减。

![公园里晨练的市民](chenlian.jpg)

## 生态修复

园区依托省校合作打造集生态修复、休闲旅游于一体的城郊森林公园。"""
PART_BODY = """## 就业增收

公园带动周边就业增收，助力乡村振兴。"""
SEARCHED = "甲" * 10 + "12月9日" + "乙" * 26 + "冰雪运动进校园。" + "丙" * 20 + "Pagefind" + "丁" * 200


def photo(width: int = 2200, height: int = 1467) -> bytes:
    """A stand-in press photo: a large JPEG with the grain of a real one (about 1 MB)."""
    from PIL import Image, ImageFilter

    grain = Image.effect_noise((width, height), 60).filter(ImageFilter.GaussianBlur(1.2))
    light = Image.radial_gradient("L").resize((width, height))
    image = Image.merge("RGB", (Image.blend(grain, light, 0.5), grain, Image.blend(grain, light, 0.3)))
    data = io.BytesIO()
    image.save(data, "JPEG", quality=95)
    return data.getvalue()


def logo() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 80), "white")
    ImageDraw.Draw(image).rectangle([10, 10, 350, 70], fill=(164, 22, 26))
    data = io.BytesIO()
    image.save(data, "PNG")
    return data.getvalue()


def paper_files() -> dict[str, str | bytes]:
    """A paper of eight pages on its latest day (the fifth with its scan), 40 days before it and
    one issue the year before: the archive by year."""
    files: dict[str, str | bytes] = {"site.yaml": SITE, "masthead.png": logo()}
    for n in range(1, 9):
        files[f"{DAY}/{n:02d}/page.yaml"] = f"name: 第{n}版名\n" + ("image: page.jpg\n" if n == 5 else "")
        files[f"{DAY}/{n:02d}/a{n}.md"] = article(f"第{n}版头条", f"第{n}版的正文。", **({"area": "[40, 40, 1160, 900]"} if n == 5 else {}))
    files[f"{DAY}/05/b5.md"] = article("第5版二条", "第5版二条的正文。", area="[40, 950, 1160, 1760]")
    files[f"{DAY}/05/page.jpg"] = scan_image(1200, 1800)
    files[f"{DAY}/01/senlin.md"] = article("为全方位高质量发展“赋能添翼”", HEAD_BODY, kicker="杏花岭区深化省校合作", subtitle="省校合作成果初探", author="王大明")
    files[f"{DAY}/01/chenlian.jpg"] = photo()
    files[f"{DAY}/02/senlin-xu.md"] = article(None, PART_BODY, continues="01/senlin")
    files[f"{DAY}/03/bingxue.md"] = article("冰雪运动", SEARCHED)
    start = dt.date(2021, 12, 10) - dt.timedelta(days=40)
    for k in range(40):
        day = (start + dt.timedelta(days=k)).isoformat()
        files[f"{day}/01/a.md"] = article(f"{day}的头条", "正文。")
    files["2020-06-01/01/a.md"] = article("去年的头条", "正文。")
    return files


@pytest.fixture(scope="module")
def paper(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("paper")
    content = write_tree(root / "content", paper_files())
    result = run("build", "--content", str(content), "--out", str(root / "dist"))
    assert result.code == 0, result.err
    return root / "dist"


@pytest.fixture(scope="module")
def site(paper: Path) -> Iterator[str]:
    with serve_under(paper, "/epaper/") as base:
        yield base


def opened(browser: Browser, url: str, size: str = "phone", **options: Any) -> Page:
    page = browser.new_page(viewport=VIEWPORTS[size], **options)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page


def px(page: Page, selector: str, prop: str = "fontSize") -> float:
    return float(page.evaluate(f"parseFloat(getComputedStyle(document.querySelector({selector!r}))[{prop!r}])"))


def top(page: Page, selector: str) -> float:
    return float(page.evaluate(f"document.querySelector({selector!r}).getBoundingClientRect().top"))


def families(page: Page, selector: str) -> list[str]:
    value = page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).fontFamily")
    return [name.strip().strip('"') for name in value.split(",")]


# --- type ----------------------------------------------------------------------------------------

FIRST_SANS = {"zh-Hans": "PingFang SC", "zh-Hant": "PingFang TC", "zh-HK": "PingFang HK"}
NOTO = {"zh-Hans": "SC", "zh-Hant": "TC", "zh-HK": "HK"}


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("code", SCRIPTS)
def test_each_script_is_set_in_its_own_type(site: str, browser: Browser, code: str, size: str) -> None:
    page = opened(browser, f"{site}{SCRIPTS[code]}{DAY}/01/senlin.html", size)
    assert page.evaluate("document.documentElement.lang") == code
    body, title = families(page, ".body p"), families(page, ".story .title")
    assert body[0] == FIRST_SANS[code], body
    region = NOTO[code]
    assert f"Noto Sans CJK {region}" in body and f"Noto Serif CJK {region}" in title, (body, title)
    others = {"SC", "TC", "HK"} - {region} - ({"TC"} if region == "HK" else set())  # Hong Kong may fall back to Taiwan's, after its own
    assert not [f for f in body + title if any(f.endswith(f" {o}") for o in others)], (body, title)  # no other script's shapes
    assert next(f for f in title if f.endswith((" TC", " HK", " SC"))).endswith(region)
    assert body.index(f"Noto Sans CJK {region}") < body.index("system-ui")  # “ ” and digits from a Chinese font
    if subprocess.run(["fc-list", f":family=Noto Sans CJK {region}"], capture_output=True, text=True).stdout.strip():
        # with the Chinese font installed, a quotation mark is as wide as a character beside it
        widths = page.evaluate("""() => {
            const p = document.querySelector('.body p'); const text = p.firstChild; const range = document.createRange();
            const at = Math.max(text.data.indexOf('\u201c'), text.data.indexOf('\u300c'));
            const width = (i) => { range.setStart(text, i); range.setEnd(text, i + 1); return range.getBoundingClientRect().width; };
            return [width(at), width(at - 1)]; }""")
        assert widths[0] >= 0.8 * widths[1], widths
    page.close()


@pytest.mark.parametrize("size", VIEWPORTS)
@pytest.mark.parametrize("code", ["zh-Hans", "zh-Hant"])
def test_the_headline_is_set_in_tiers(site: str, browser: Browser, code: str, size: str) -> None:
    page = opened(browser, f"{site}{SCRIPTS[code]}{DAY}/01/senlin.html", size)
    body, kicker, title, subtitle = (px(page, s) for s in (".body p", ".story .kicker", ".story .title", ".story .subtitle"))
    assert body < kicker < title and body < subtitle < title, (body, kicker, title, subtitle)
    assert families(page, ".story .kicker")[0] == families(page, ".story .title")[0] == families(page, ".story .subtitle")[0]
    assert top(page, ".story .kicker") < top(page, ".story .title") < top(page, ".story .subtitle") < top(page, ".story .byline")
    gap = top(page, ".story .byline") - page.evaluate("document.querySelector('.story .subtitle').getBoundingClientRect().bottom")
    assert gap >= 8, gap  # the byline clearly apart
    subhead = px(page, ".body h2")
    assert body <= subhead < subtitle and px(page, ".body h2", "fontWeight") >= 700
    joined = px(page, ".part .body h3")  # the continuation's subhead, joined to the head part's page
    page.goto(f"{site}{SCRIPTS[code]}{DAY}/02/senlin-xu.html")
    assert joined == subhead == px(page, ".body h2")
    page.close()


# --- navigation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["zh-Hans", "zh-Hant"])
def test_the_phone_page_strip_opens_at_the_current_page_and_shows_there_is_more(site: str, browser: Browser, code: str) -> None:
    page = opened(browser, f"{site}{SCRIPTS[code]}{DAY}/05/index.html")
    inside = page.evaluate("""() => {
        const row = document.querySelector('.page-strip ol').getBoundingClientRect();
        const current = document.querySelector('.page-strip [aria-current]').getBoundingClientRect();
        return current.left >= row.left && current.right <= row.right; }""")
    assert inside
    strip = page.locator(".page-strip")
    assert set((strip.get_attribute("data-more") or "").split()) == {"left", "right"}
    for side in ("::before", "::after"):
        assert page.evaluate(f"getComputedStyle(document.querySelector('.page-strip'), '{side}').display") == "flex"
    page.goto(f"{site}{SCRIPTS[code]}{DAY}/01/index.html")
    assert page.locator(".page-strip").get_attribute("data-more") == "right"
    page.close()


@pytest.mark.parametrize("code", ["zh-Hans", "zh-HK"])
def test_on_a_phone_the_headline_starts_in_the_top_third_at_every_text_size(site: str, browser: Browser, code: str) -> None:
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    url = f"{site}{SCRIPTS[code]}{DAY}/01/senlin.html"
    page.goto(url)
    header = page.evaluate("document.querySelector('.masthead').getBoundingClientRect().height")
    assert header <= 844 / 6, header  # one line of masthead and date, the tools behind one control
    for size in "12345":
        page.evaluate(f"localStorage.setItem('shuzibao-size', '{size}')")
        page.goto(url)
        assert page.evaluate("document.documentElement.dataset.size") == size
        assert top(page, ".story .kicker") < 844 / 3, size
    page.locator("details.menu summary").click()  # the tools are one tap away
    assert page.locator('.text-size button[data-step="1"]').is_visible() and page.locator(".menu .search-box input").is_visible()
    context.close()


def test_on_a_desktop_most_of_the_scan_is_in_the_first_screen_beside_the_list(site: str, browser: Browser) -> None:
    page = opened(browser, f"{site}{DAY}/05/index.html", "desktop")
    scan = page.locator(".scan-map img").bounding_box()
    listed = page.locator(".page-articles").bounding_box()
    assert scan and listed
    assert scan["x"] >= listed["x"] + listed["width"]  # beside the list
    shown = max(0.0, min(800, scan["y"] + scan["height"]) - max(0, scan["y"]))
    assert shown / scan["height"] >= 0.6, (scan, shown)
    page.close()


def viewer_width(page: Page) -> float:
    return float(page.evaluate("document.querySelector('dialog.viewer .scan-map').getBoundingClientRect().width"))


def test_on_a_phone_one_tap_near_the_top_shows_the_scan_and_two_fingers_zoom_it(site: str, browser: Browser) -> None:
    page = opened(browser, f"{site}{DAY}/05/index.html", has_touch=True, is_mobile=True)
    link = page.locator(".to-scan a")
    box = link.bounding_box()
    assert box and box["y"] < 844 / 3
    link.tap()
    viewer = page.locator("dialog.viewer")
    assert viewer.is_visible()
    image = viewer.locator("img").bounding_box()
    assert image and image["y"] >= 0 and image["y"] + image["height"] <= 844 + 1 and image["width"] >= 0.5 * 390
    before = viewer_width(page)
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, points: list[tuple[int, int]]) -> None:
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})

    touch("touchStart", [(170, 400), (220, 400)])
    for step in range(1, 11):
        touch("touchMove", [(170 - 10 * step, 400), (220 + 10 * step, 400)])
    touch("touchEnd", [])
    assert viewer_width(page) > 2 * before  # pinched open
    viewer.get_by_role("button", name="关闭").tap()
    viewer.wait_for(state="detached")
    page.close()


def test_the_scan_viewer_zooms_pans_and_its_areas_stay_links(site: str, browser: Browser) -> None:
    page = opened(browser, f"{site}{DAY}/05/index.html", "desktop")
    page.get_by_role("link", name="查看原图").click()
    viewer = page.locator("dialog.viewer")
    assert viewer.is_visible()
    fitted = viewer_width(page)
    page.mouse.move(640, 400)
    page.mouse.wheel(0, -400)
    wheeled = viewer_width(page)
    assert wheeled > 1.5 * fitted
    page.keyboard.press("+")
    assert viewer_width(page) > 1.2 * wheeled
    where = page.evaluate("document.querySelector('dialog.viewer .stage').style.transform")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.querySelector('dialog.viewer .stage').style.transform") != where
    wider = "/-1200w\\.|-1800w\\.|page\\.jpg/.test(document.querySelector('dialog.viewer img').currentSrc)"  # a wider copy, as the reader zooms
    page.wait_for_function(wider)  # loaded through the service worker (issue 18), which networkidle does not wait for
    page.keyboard.press("0")
    assert abs(viewer_width(page) - fitted) < 1
    page.keyboard.press("Escape")
    viewer.wait_for(state="detached")
    page.get_by_role("link", name="查看原图").click()  # zoomed in, a tap on an area still opens its article
    page.keyboard.press("+")
    area = page.locator("dialog.viewer .areas a").first.bounding_box()
    assert area
    page.mouse.click(area["x"] + min(area["width"], 1280 - area["x"]) / 2, max(area["y"], 0) + 40)
    page.wait_for_url("**/05/a5.html")
    page.close()


def test_the_archive_is_a_page_per_year(site: str, paper: Path, browser: Browser) -> None:
    page = opened(browser, f"{site}archive/index.html")
    assert "2021年" in page.locator("h1").inner_text()
    years = page.locator(".archive-years a")
    assert years.all_inner_texts() == ["2021年", "2020年"]  # the latest first
    assert page.locator(".month").count() == 3 and page.locator(".calendar").count() <= 12  # October to December
    latest = page.locator(".calendar a.latest")
    assert latest.count() == 1 and (latest.get_attribute("aria-label") or "").startswith("2021年12月10日")
    plain = page.locator(".calendar a:not(.latest)").first

    def shade(locator: Any) -> str:
        return str(locator.evaluate("a => getComputedStyle(a).backgroundColor"))

    assert shade(latest) != shade(plain)
    alpha = re.findall(r"[\d.]+", shade(plain))
    assert len(alpha) == 4 and float(alpha[3]) <= 0.3, shade(plain)  # a light mark, not a solid disc
    page.locator(".archive-months a", has_text="11月").click()
    assert page.url.endswith("#m2021-11") and page.locator("#m2021-11").is_visible()
    years.filter(has_text="2020年").click()
    page.wait_for_url("**/archive/2020/index.html")
    assert page.locator(".month").count() == 1 and page.locator(".calendar a.latest").count() == 0
    page.locator(".calendar a").first.click()
    page.wait_for_url("**/2020-06-01/index.html")
    page.close()
    sitemap = (paper / "sitemap.xml").read_text(encoding="utf-8")
    assert "archive/2020/index.html" in sitemap and "zh-hant/archive/2021/index.html" in sitemap
    assert (paper / "zh-hk/archive/2020/index.html").is_file()


TARGETS = "a[href], button, summary, input, select"
EXEMPT = ".body, .areas, .skip, dialog, .strip-thumb"  # links within a sentence, the scan's areas, the skip link


@pytest.mark.parametrize("size", VIEWPORTS)
def test_every_tap_target_is_44_px_high(site: str, browser: Browser, size: str) -> None:
    page = opened(browser, f"{site}{DAY}/01/senlin.html", size)
    jumps = page.locator(".jump a").evaluate_all("links => links.map(a => a.getBoundingClientRect().height)")
    assert jumps and min(jumps) >= 44, jumps  # the jump links first
    for path in [f"{DAY}/01/senlin.html", f"{DAY}/02/senlin-xu.html", f"{DAY}/05/index.html", f"{DAY}/index.html", "archive/index.html", "search/index.html", f"zh-hant/{DAY}/01/index.html"]:
        page.goto(site + path)
        if size == "phone":
            page.locator("details.menu summary").click()
        small = page.evaluate(f"""() => [...document.querySelectorAll({TARGETS!r})]
            .filter(e => !e.closest({EXEMPT!r}) && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
            .map(e => [e.textContent.trim() || e.outerHTML.slice(0, 60), e.getBoundingClientRect().height])
            .filter(([, h]) => h < 43.5)""")
        assert small == [], path
    page.close()


# --- photos, print, search -----------------------------------------------------------------------


def image_bytes(browser: Browser, url: str, size: str, scale: float) -> tuple[int, list[str]]:
    """The bytes of images a page loads, scrolled through, and their addresses."""
    page = browser.new_page(viewport=VIEWPORTS[size], device_scale_factor=scale)
    loaded: list[tuple[str, int]] = []
    page.on("requestfinished", lambda r: loaded.append((r.url, r.sizes()["responseBodySize"])) if r.resource_type == "image" else None)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(300)
    page.wait_for_load_state("networkidle")
    page.close()
    return sum(size for _, size in loaded), [u for u, _ in loaded]


def test_an_article_photo_loads_at_most_200_kb_on_a_phone(site: str, paper: Path, browser: Browser) -> None:
    url = f"{site}{DAY}/01/senlin.html"
    original = (paper / DAY / "01/chenlian.jpg").stat().st_size
    assert original > 500_000  # the photo as given
    for scale in (2, 3):
        total, addresses = image_bytes(browser, url, "phone", scale)
        assert total <= 200 * 1024, (scale, total, addresses)
        assert any(re.search(r"chenlian-[0-9a-f]{10}-\d+w\.(webp|jpg)", a) for a in addresses), addresses
        assert not any(a.endswith("chenlian.jpg") for a in addresses)
    _, wide = image_bytes(browser, url, "desktop", 2)
    assert any(re.search(r"chenlian-[0-9a-f]{10}-(1200|1800)w\.", a) for a in wide), wide  # desktops get a wider copy
    html = (paper / DAY / "01/senlin.html").read_text(encoding="utf-8")
    img = re.search(r"<img [^>]*chenlian[^>]*>", html)
    assert img and 'width="2200"' in img.group(0) and 'height="1467"' in img.group(0) and 'alt="公园里晨练的市民"' in img.group(0)


def test_a_changed_photo_rewrites_its_page_in_a_cached_build(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {f"{DAY}/01/a.md": article("图片", "![图](p.jpg)"), f"{DAY}/01/p.jpg": photo(900, 600)}
    content = write_tree(tmp_path / "content", files)
    assert run("build", "--content", str(content), "--out", str(tmp_path / "out"), "--no-search").code == 0
    before = (tmp_path / "out" / DAY / "01/a.html").read_text(encoding="utf-8")
    write_tree(content, {f"{DAY}/01/p.jpg": photo(1000, 600)})
    assert run("build", "--content", str(content), "--out", str(tmp_path / "out"), "--no-search").code == 0
    assert (tmp_path / "out" / DAY / "01/a.html").read_text(encoding="utf-8") != before
    assert run("build", "--content", str(content), "--out", str(tmp_path / "full"), "--no-search", "--no-cache").code == 0
    assert snapshot(tmp_path / "out", marker=False) == snapshot(tmp_path / "full", marker=False)


def test_a_photo_too_large_for_copies_is_published_as_it_is_with_a_warning(tmp_path: Path) -> None:
    from PIL import Image

    data = io.BytesIO()
    Image.new("L", (8000, 6000), 255).save(data, "PNG")  # 48 million pixels: over the PNG limit
    content = write_tree(tmp_path / "content", {f"{DAY}/01/a.md": article("图片", "![图](big.png)"), f"{DAY}/01/big.png": data.getvalue()})
    result = run("build", "--content", str(content), "--out", str(tmp_path / "out"), "--no-search")
    assert result.code == 0 and f"{DAY}/01/big.png: 警告：照片“big.png”" in result.err and "已按原样发布" in result.err, result.err
    assert 'src="big.png"' in (tmp_path / "out" / DAY / "01/a.html").read_text(encoding="utf-8")


def test_printing_an_article_prints_the_paper_the_story_and_its_address_only(site: str, browser: Browser) -> None:
    page = opened(browser, f"{site}{DAY}/01/senlin.html", "desktop")
    page.emulate_media(media="print")
    for hidden in (".menu", ".page-strip", ".pager", ".colophon", ".locator", ".back"):
        assert page.locator(hidden).first.is_hidden(), hidden
    for shown in (".paper", ".dateline", ".story .where", ".story .title", ".body", ".print-address"):
        assert page.locator(shown).first.is_visible(), shown
    assert page.locator(".print-address").inner_text()== f"本文网址：https://epaper.example.com/{DAY}/01/senlin.html"
    page.close()


def test_a_search_excerpt_never_cuts_a_number_or_a_latin_word(site: str, browser: Browser) -> None:
    page = opened(browser, f"{site}search/index.html?q=冰雪", "desktop")
    page.wait_for_selector("li.result")
    excerpt = page.locator("li.result .excerpt").first.inner_text()
    assert "12月9日" in excerpt and "…2月9日" not in excerpt, excerpt
    assert re.search(r"Pagefind|…$", excerpt) and not re.search(r"[A-Za-z]…", excerpt.replace("Pagefind…", "")), excerpt
    page.close()


def test_the_search_page_from_a_file_says_it_needs_a_server(paper: Path, browser: Browser) -> None:
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.goto((paper / "search/index.html").as_uri())
    note = page.locator(".search-file")
    assert note.is_visible() and "http.server" in note.inner_text()
    note.get_by_role("link", name="往期回顾").click()
    assert page.url.endswith("/archive/index.html")
    page.close()


# --- furniture and high contrast -----------------------------------------------------------------


@pytest.mark.parametrize("code", SCRIPTS)
def test_every_page_shows_the_papers_furniture(site: str, browser: Browser, code: str) -> None:
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    copyright_line = {"zh-Hans": "测试日报社 版权所有", "zh-Hant": "測試日報社 版權所有", "zh-HK": "測試日報社 版權所有"}[code]
    for path in ["index.html", f"{DAY}/index.html", f"{DAY}/05/index.html", f"{DAY}/01/senlin.html", "archive/index.html", "archive/2020/index.html", "search/index.html", "404.html"]:
        page.goto(site + SCRIPTS[code] + path)
        page.wait_for_load_state("networkidle")
        footer = page.locator("footer.colophon")
        assert copyright_line in footer.inner_text(), path
        assert footer.locator("a.icp").get_attribute("href") == "https://beian.miit.gov.cn/" and footer.locator("a.icp").inner_text() == "晋ICP备12345678号-1"
        assert footer.locator("a.police").get_attribute("href") == "https://beian.mps.gov.cn/#/query/webSearch?code=14010502000123"
        logo = page.locator(".masthead .paper img.logo")
        assert logo.get_attribute("alt") in ("测试日报", "測試日報") and logo.evaluate("img => img.complete && img.naturalWidth") == 360, path
    page.close()


@pytest.mark.parametrize(
    ("files", "fault"),
    [
        ({}, "site.yaml:5: logo 图片“masthead.png”不存在"),
        ({"masthead.png": "不是图片"}, "site.yaml:5: logo“masthead.png”不是 PNG、JPEG、WebP 或 SVG 图片"),
        ({"masthead.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'}, "masthead.svg: "),
    ],
)
def test_a_logo_that_cannot_be_published_is_a_fault(tmp_path: Path, files: dict[str, str], fault: str) -> None:
    site_yaml = SITE.replace("masthead.png", next(iter(files), "masthead.png"))
    content = write_tree(tmp_path / "content", {"site.yaml": site_yaml, **files, f"{DAY}/01/a.md": article()})
    result = run("check", "--content", str(content))
    assert result.code == 1 and fault in result.err, result.err


def test_a_symlinked_logo_is_a_fault_and_never_read(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", {"site.yaml": SITE, f"{DAY}/01/a.md": article()})
    (tmp_path / "elsewhere.png").write_bytes(logo())
    (content / "masthead.png").symlink_to(tmp_path / "elsewhere.png")
    result = run("build", "--content", str(content), "--out", str(tmp_path / "out"))
    assert result.code == 1 and "masthead.png: 这是一个符号链接" in result.err, result.err


def luminance(rgb: str) -> float:
    channels = [float(c) / 255 for c in re.findall(r"[\d.]+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


COLOURED = [".body p", ".story .where", ".story .byline", ".story .where a", ".jump a", ".page-strip a:not([aria-current])", ".page-strip a[aria-current]", "footer.colophon", "footer a"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_high_contrast_reads_at_7_to_1_and_is_remembered(site: str, browser: Browser, scheme: str) -> None:
    context = browser.new_context(viewport=VIEWPORTS["phone"], color_scheme=scheme)  # type: ignore[arg-type]  # Playwright's Literal, from a parameter
    page = context.new_page()
    page.goto(f"{site}{DAY}/01/senlin.html")
    page.locator("details.menu summary").click()
    toggle = page.get_by_role("button", name="高对比度")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    page.locator("details.menu summary").click()
    page.locator(".page-strip a", has_text="第2版").click()
    page.wait_for_url("**/02/index.html")
    page.locator(".teaser .title a").first.click()
    assert page.evaluate("document.documentElement.dataset.contrast") == "high"  # kept, from the first paint
    page.goto(f"{site}{DAY}/01/senlin.html")
    for selector in COLOURED:
        colours = page.evaluate(f"""() => {{ const e = document.querySelector({selector!r}); let b = e;
            while (b && ['rgba(0, 0, 0, 0)', 'transparent'].includes(getComputedStyle(b).backgroundColor)) b = b.parentElement;
            return [getComputedStyle(e).color, getComputedStyle(b || document.body).backgroundColor]; }}""")
        assert contrast(*colours) >= 7, (selector, colours)
    for size in "15":
        page.evaluate(f"localStorage.setItem('shuzibao-size', '{size}')")
        page.reload()
        for selector in (".body p", ".story .title", ".story .kicker", ".story .subtitle", ".body h2", ".story .byline", "footer.colophon"):
            ratio = px(page, selector, "lineHeight") / px(page, selector)
            assert ratio >= 1.5, (size, selector, ratio)
    context.close()

