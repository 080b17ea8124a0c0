"""A reader in real Chromium: the sample edition served under a sub-path, read by clicking."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from conftest import serve_under

if TYPE_CHECKING:  # Playwright is imported where Chromium is started: in conftest's fixture
    from playwright.sync_api import Browser


def test_a_reader_goes_from_the_home_page_through_a_jump_and_back(sample_site: Path, browser: Browser) -> None:
    with serve_under(sample_site, "/epaper/tyrb/") as base:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(base)
        assert page.locator("h1.page-title").inner_text().startswith("第1版")
        assert "2021年12月11日" in page.locator(".dateline").inner_text()  # the latest issue
        page.get_by_role("link", name="← 上一期").click()
        assert page.url.endswith("/2021-12-10/index.html")
        page.get_by_role("link", name="为全方位高质量发展“赋能添翼”").first.click()
        assert page.url.endswith("/2021-12-10/01/xinghualing.html")
        assert "（续）" in page.locator("section.part h2.part-head").inner_text()  # the whole story on the head page
        page.locator("p.jump-out a").click()
        assert page.url.endswith("/2021-12-10/03/xinghualing-xu.html")
        page.locator("p.jump-in a").click()
        assert page.url.endswith("/2021-12-10/01/xinghualing.html")
        page.locator("details.menu summary").click()  # on a phone the script switch is behind the masthead's one control
        page.get_by_role("link", name="繁體", exact=True).click()
        assert page.url.endswith("/zh-hant/2021-12-10/01/xinghualing.html")
        assert page.locator("html").get_attribute("lang") == "zh-Hant"
        page.get_by_role("link", name="往期回顧").first.click()
        page.get_by_role("link", name="2021年12月11日 星期六").click()
        assert page.url.endswith("/zh-hant/2021-12-11/index.html")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390  # no horizontal scrolling on a phone
        page.close()
