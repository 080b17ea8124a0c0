"""Readers on phones and desktops, in real Chromium: layout, navigation, text size, calendar, scripts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import serve_under

if TYPE_CHECKING:  # Playwright is imported where Chromium is started: in conftest's fixture
    from playwright.sync_api import Browser, ViewportSize

VIEWPORTS: dict[str, ViewportSize] = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
NARROWEST: ViewportSize = {"width": 320, "height": 640}  # older and smaller phones
PAGES = [
    "index.html", "2021-12-10/index.html", "2021-12-10/01/index.html", "2021-12-10/01/xinghualing.html",
    "2021-12-10/01/tupian-xinwen.html", "archive/index.html", "search/index.html?q=数据",
    "zh-hant/2021-12-10/01/weitao-anyong.html", "zh-hk/archive/index.html",
]


@pytest.fixture(scope="module")
def site_url(sample_site: Path) -> Iterator[str]:
    with serve_under(sample_site, "/epaper/") as base:
        yield base


@pytest.mark.parametrize("size", [*VIEWPORTS, "narrowest"])
def test_no_page_scrolls_sideways(site_url: str, browser: Browser, size: str) -> None:
    viewport = VIEWPORTS.get(size, NARROWEST)
    page = browser.new_page(viewport=viewport)
    for path in PAGES:
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], path
        line_height = page.evaluate("parseFloat(getComputedStyle(document.body).lineHeight) / parseFloat(getComputedStyle(document.body).fontSize)")
        assert line_height >= 1.6, path
    page.close()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_navigation_by_tap(site_url: str, browser: Browser, size: str) -> None:
    page = browser.new_page(viewport=VIEWPORTS[size], has_touch=True)
    page.goto(site_url + "2021-12-10/01/index.html")
    page.locator(".page-strip a", has_text="第3版").tap()
    page.wait_for_url("**/2021-12-10/03/index.html")
    page.locator('.pager a[rel="prev"]').first.tap()
    page.wait_for_url("**/2021-12-10/01/index.html")
    page.locator(".teaser a", has_text="快递网点实现").tap()
    page.wait_for_url("**/2021-12-10/01/kuaidi-jincun.html")
    page.locator(".back a").tap()
    page.wait_for_url("**/2021-12-10/01/index.html")
    page.locator('.pager[aria-label="翻期"] a[rel="next"]').tap()
    page.wait_for_url("**/2021-12-11/index.html")
    page.close()


def test_navigation_by_keyboard(site_url: str, browser: Browser) -> None:
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(site_url + "2021-12-10/01/index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    page.keyboard.press("Enter")
    page.wait_for_url("**#main")  # the URL changes after the keypress returns
    page.keyboard.press("ArrowRight")  # turns to the next page (版)
    page.wait_for_url("**/2021-12-10/03/index.html")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url("**/2021-12-10/01/index.html")
    for _ in range(40):  # every link is reachable with Tab, and shows where the focus is
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "快递网点实现“村村通”":
            break
    else:
        raise AssertionError("the article link was not reached by Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**/kuaidi-jincun.html")
    page.close()


def test_text_size_is_kept_across_pages(site_url: str, browser: Browser) -> None:
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(site_url + "2021-12-10/01/xinghualing.html")
    before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)")
    page.locator("details.menu summary").click()  # on a phone the tools are behind the masthead's one control
    larger = page.get_by_role("button", name="放大字号")
    larger.click()
    larger.click()
    bigger = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)")
    assert bigger >= before * 1.2
    page.locator("details.menu summary").click()  # closed again
    page.locator(".page-strip a", has_text="第3版").click()
    page.locator(".teaser a").first.click()
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)") == bigger
    page.locator("details.menu summary").click()
    for _ in range(5):
        page.get_by_role("button", name="缩小字号").click()
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.body p')).fontSize)") < before
    context.close()


def test_reading_needs_no_javascript(site_url: str, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(site_url + "index.html")
    page.locator('.pager[aria-label="翻期"] a[rel="prev"]').click()
    page.locator(".teaser a", has_text="为全方位高质量发展").first.click()
    assert "杏花岭区" in page.locator("article").inner_text()
    assert page.locator(".text-size").is_hidden()  # a control that needs script is not offered without it
    page.goto(site_url + "search/index.html")
    page.get_by_role("link", name="往期回顾").last.click()  # the plain fallback: browse by date
    assert page.url.endswith("/archive/index.html")
    context.close()


def test_calendar_links_lead_to_their_issue(site_url: str, browser: Browser) -> None:
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.goto(site_url + "archive/index.html")
    links = page.locator(".calendar a")
    assert links.count() == 2
    for index in range(links.count()):
        link = links.nth(index)
        day = int(link.inner_text())
        label = link.get_attribute("aria-label")
        href = link.get_attribute("href")
        assert label is not None and href is not None
        assert re.fullmatch(rf"\.\./2021-12-{day:02d}/index\.html", href), href
        assert label.startswith(f"2021年12月{day}日")
    links.first.click()
    assert page.locator(".dateline").inner_text().startswith("2021年12月10日")
    page.close()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_script_switch_lands_on_the_same_article(site_url: str, browser: Browser, size: str) -> None:
    page = browser.new_page(viewport=VIEWPORTS[size])
    page.goto(site_url + "2021-12-10/01/xuanjiang.html")
    if size == "phone":
        page.locator("details.menu summary").click()
    page.get_by_role("link", name="香港繁體").click()
    assert page.url.endswith("/zh-hk/2021-12-10/01/xuanjiang.html")
    assert page.locator("h1").inner_text() == "市委常委宣講黨的十九屆六中全會精神"
    if size == "phone":
        page.locator("details.menu summary").click()
    page.get_by_role("link", name="简体").click()
    assert page.url.endswith("/epaper/2021-12-10/01/xuanjiang.html")
    page.close()


def test_photos_show_their_caption_and_credit(site_url: str, browser: Browser) -> None:
    page = browser.new_page(viewport=VIEWPORTS["phone"])
    page.goto(site_url + "2021-12-10/01/tupian-xinwen.html")
    figure = page.locator(".body figure")  # the story's photo, not its clip (看原版)
    assert figure.locator("img").get_attribute("loading") == "lazy"
    assert "观看“天宫课堂”直播" in figure.locator("figcaption").inner_text()
    assert "牛利敏 摄" in page.locator(".byline").inner_text()
    assert page.evaluate("document.querySelector('.body figure img').getBoundingClientRect().width") <= 390
    page.close()


def test_sharing_cards_and_alternates(sample_site: Path) -> None:
    html = (sample_site / "zh-hant/2021-12-10/01/xinghualing.html").read_text(encoding="utf-8")
    assert '<meta property="og:title" content="為全方位高質量發展「賦能添翼」">' in html  # corner quotes in zh-Hant (issue 15)
    assert re.search(r'<meta property="og:image" content="https://epaper\.example\.com/tyrb/2021-12-10/01/xinghualing-clip-[0-9a-f]{10}-\d+w\.jpg">', html)  # no photo: its clip (剪报)
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<link rel="canonical" href="https://epaper.example.com/tyrb/zh-hant/2021-12-10/01/xinghualing.html">' in html
    assert '<link rel="alternate" hreflang="zh-Hans" href="https://epaper.example.com/tyrb/2021-12-10/01/xinghualing.html">' in html
    assert re.search(r'<meta property="og:description" content="進入12月份', html)
