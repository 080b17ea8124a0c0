"""Reading offline (issue 18), in Chromium on a plain static server under a sub-path: an issue
saved with 离线保存本期 opens whole without a network, pages and images; a page not saved shows
the offline page with the saved issues; search says it needs the network; a new issue is there
once the network is back; the browser keeps no more than the issues saved and a few recent pages;
and with service workers off, or from file://, nothing changes."""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from conftest import SAMPLE, run

if TYPE_CHECKING:  # Playwright is imported where Chromium is started: in conftest's fixture
    from playwright.sync_api import Browser, BrowserContext, Page

DAY = "2021-12-10"
SUB = "/papers/tyrb/"


@dataclass
class Host:
    """A plain static host under a sub-path: the addresses it served, and whether the network to
    it is down (then it answers nothing at all, as a lost network does: Playwright's offline
    emulation alone lets a service worker's own requests through)."""

    base: str
    hits: list[str] = field(default_factory=list)
    down: bool = False

    def offline(self, context: BrowserContext, offline: bool) -> None:
        context.set_offline(offline)  # the pages' navigator.onLine, and their requests
        self.down = offline
        if not offline:
            self.wait_until_reachable(context)

    def wait_until_reachable(self, context: BrowserContext) -> None:
        """Until a request from the site's pages reaches the host again: the browser takes the
        network back a moment after it is told (seen once, under the whole suite's load)."""
        page = next(p for p in context.pages if p.url.startswith(self.base))
        probe = "(url) => fetch(url, {cache: 'no-store'}).then(() => true, () => false)"  # any answer, a 404 too
        for attempt in range(50):
            if page.evaluate(probe, f"{self.base}reachable-{attempt}.txt"):  # kept by no cache: no such file
                return
            time.sleep(0.1)
        raise AssertionError("the host did not come back")


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    """A plain static host that remembers every address it served, and serves nothing while down."""

    host: ClassVar[Host]

    def handle_one_request(self) -> None:
        if self.host.down:
            self.close_connection = True  # the connection dropped: no answer
            return
        super().handle_one_request()

    def log_message(self, format: str, *args: object) -> None:
        self.host.hits.append(self.path)


@contextmanager
def served(folder: Path) -> Iterator[Host]:
    """`folder` at http://127.0.0.1:PORT/papers/tyrb/."""
    root = folder.parent / "host"
    (root / SUB.strip("/")).parent.mkdir(parents=True, exist_ok=True)
    (root / SUB.strip("/")).symlink_to(folder)
    host = Host("")
    handler = type("Counting", (CountingHandler,), {"host": host})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    host.base = f"http://127.0.0.1:{server.server_port}{SUB}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield host
    finally:
        server.shutdown()
        server.server_close()


def phone(browser: Browser, **options: Any) -> BrowserContext:
    """A phone at 3x, as most readers' are: the copies of scans a phone takes are what an issue saves."""
    return browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True, **options)


def site_copy(sample_site: Path, tmp_path: Path) -> Path:
    """The sample, its files a day old, as a host's usually are: then the browser's HTTP cache holds
    some of them for a while (from their Last-Modified), and offline must not be fooled by that."""
    site = tmp_path / "site"
    shutil.copytree(sample_site, site)
    day_ago = time.time() - 86400
    for path in site.rglob("*"):
        os.utime(path, (day_ago, day_ago), follow_symlinks=False)
    return site


def save_issue(page: Page, address: str) -> str:
    """Open an issue page, save it for reading offline, and return what the box says then."""
    page.goto(address)
    box = page.locator("section.offline")
    box.wait_for(state="visible")
    assert page.locator(".offline-status").inner_text().startswith("约 ")
    page.get_by_role("button", name="离线保存本期").click()
    page.get_by_role("button", name="删除").wait_for()
    return page.locator(".offline-status").inner_text()


def broken_images(page: Page) -> list[str]:
    """Every image of the page, lazy ones too, that cannot be shown."""
    return list(
        page.evaluate("""async () => {
            const images = [...document.images];
            for (const image of images) image.loading = "eager";
            await Promise.all(images.map((image) => image.decode().catch(() => null)));
            return images.filter((image) => !image.naturalWidth).map((image) => image.currentSrc || image.src);
        }""")
    )


def issue_pages(site: Path, day: str = DAY) -> list[str]:
    """The pages the issue's offline list names, as paths below the site."""
    listed = json.loads((site / day / "offline.json").read_text(encoding="utf-8"))
    base = f"{day}/"
    return [(Path(base) / f["url"]).as_posix().replace(f"{day}/../", "") for f in listed["files"] if f["url"].endswith(".html")]


def from_network(hits: list[str]) -> list[str]:
    """What the pages asked of the host: not the browser's own checks for a new service worker
    (sw.js and what it imports), which Playwright's offline emulation does not hold back."""
    return [hit for hit in hits if not hit.endswith("/sw.js") and "/offline-worker.js" not in hit]


def test_a_saved_issue_opens_whole_offline_and_a_page_not_saved_says_so(sample_site: Path, browser: Browser, tmp_path: Path) -> None:
    site = site_copy(sample_site, tmp_path)
    with served(site) as host:
        base, hits = host.base, host.hits
        context = phone(browser)
        page = context.new_page()
        page.goto(base + "search/index.html?q=" + "数据")  # a page read before the network goes
        page.locator("li.result").first.wait_for()
        listed = json.loads((site / DAY / "offline.json").read_text(encoding="utf-8"))
        done = save_issue(page, f"{base}{DAY}/index.html")
        assert done == f"本期已保存在本机（{size(listed['bytes'])}），没有网络也能阅读"  # as big as its list said
        host.offline(context, True)
        hits.clear()
        pages = issue_pages(site)
        assert len(pages) == 16 and f"{DAY}/01/xinghualing.html" in pages and f"{DAY}/03/index.html" in pages  # every page and story of the issue
        for path in pages:
            page.goto(base + path)
            assert page.locator(".offline-page").count() == 0, path
            assert broken_images(page) == [], path
        page.goto(f"{base}{DAY}/01/xinghualing.html")
        page.get_by_text("看原版").click()
        assert broken_images(page) == []  # its clip too
        assert from_network(hits) == []  # none of it from the network

        page.goto(f"{base}2021-12-11/01/gongnuan.html")  # another issue, never opened
        page.locator(".offline-away").wait_for()  # shown by offline.js: this page stands in for another
        assert page.locator("h1").inner_text() == "离线阅读"
        assert page.url == f"{base}2021-12-11/01/gongnuan.html"  # the address stays the page's
        saved = page.locator("ul.offline-saved a")
        saved.wait_for()
        assert saved.inner_text() == "太原日报 2021年12月10日 星期五"
        saved.click()
        page.wait_for_url(f"**{SUB}{DAY}/index.html")
        assert page.locator("h1").inner_text() == "2021年12月10日 星期五"

        page.goto(base + "search/index.html?q=" + "数据")  # read before: kept, but search needs the network
        page.get_by_text("搜索要联网").wait_for()
        assert page.get_by_role("link", name="本机保存的报纸").get_attribute("href") == "../offline.html"
        assert from_network(hits) == []

        page.goto(f"{base}zh-hk/{DAY}/index.html")  # the same issue in another script was not saved
        assert page.locator("h1").inner_text() == "離線閲讀" and page.locator("html").get_attribute("lang") == "zh-HK"
        host.offline(context, False)
        page.goto(base + "offline.html")
        page.locator("ul.offline-saved button", has_text="删除").click()
        page.get_by_text("本机还没有保存的报纸").wait_for()
        host.offline(context, True)
        page.goto(f"{base}{DAY}/03/index.html")
        assert page.locator("h1").inner_text() == "离线阅读"  # removed: gone from this device
        context.close()


def size(bytes_: int) -> str:
    return f"{max(1, round(bytes_ / 1024))} KB" if bytes_ < 1024 * 1024 else f"{bytes_ / (1024 * 1024):.1f} MB"


def test_a_new_issue_appears_once_the_network_is_back(browser: Browser, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    shutil.move(content / "2021-12-11", tmp_path / "tomorrow")
    out = tmp_path / "out"
    assert run("build", "--content", str(content), "--out", str(out), "--no-search").code == 0
    with served(out) as host:
        base = host.base
        context = phone(browser)
        page = context.new_page()
        save_issue(page, f"{base}{DAY}/index.html")  # the latest issue: its list holds the home page
        host.offline(context, True)
        page.goto(base + "index.html")
        assert page.locator(".dateline time").inner_text().startswith("2021年12月10日")
        page.goto(base)  # the site's folder itself, as a reader types it
        assert page.locator(".dateline time").inner_text().startswith("2021年12月10日")
        host.offline(context, False)
        shutil.move(tmp_path / "tomorrow", content / "2021-12-11")  # tomorrow's paper is published
        assert run("build", "--content", str(content), "--out", str(out), "--no-search").code == 0
        page.goto(base + "index.html")
        assert page.locator(".dateline time").inner_text().startswith("2021年12月11日")  # not the saved home page
        host.offline(context, True)
        page.goto(base + "index.html")
        assert page.locator(".dateline time").inner_text().startswith("2021年12月11日")  # the page last read is kept
        context.close()


def cached(context: BrowserContext, page: Page) -> dict[str, int]:
    """How many entries each of the site's caches holds, by its kind (pages, files, shell, issue …)."""
    counts: dict[str, int] = page.evaluate("""async () => {
        const out = {};
        for (const name of await caches.keys()) out[name.split(" ").slice(2).join(" ")] = (await (await caches.open(name)).keys()).length;
        return out;
    }""")
    return counts


def test_without_saving_the_browser_keeps_only_a_few_recent_pages(sample_site: Path, browser: Browser, tmp_path: Path) -> None:
    site = site_copy(sample_site, tmp_path)
    every = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "/search/" not in p.as_posix() and p.name not in ("404.html", "offline.html"))
    assert len(every) > 60
    with served(site) as host:
        base = host.base
        context = phone(browser)
        page = context.new_page()
        for path in every:
            page.goto(base + path)
        page.wait_for_timeout(500)  # the last page is put away after it is shown
        counts = cached(context, page)
        assert counts["pages"] == 40 and counts.get("files", 0) <= 80, counts
        assert not [name for name in counts if name.startswith("issue")]  # nothing saved unasked
        shell = [count for name, count in counts.items() if name.startswith("shell")]
        assert shell == [3 + 3 + 7]  # each script's offline and search pages, and the theme a page uses (search.js: to say search needs the network)
        host.offline(context, True)
        page.goto(base + every[-1])
        assert page.locator(".offline-page").count() == 0  # the last pages read stay readable
        page.goto(base + every[0])
        assert page.locator(".offline-page").count() == 1  # the first have made room
        context.close()


def page_errors(page: Page) -> list[str]:
    """The page's uncaught errors, as they happen."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_with_service_workers_off_nothing_changes(sample_site: Path, browser: Browser, tmp_path: Path) -> None:
    site = site_copy(sample_site, tmp_path)
    with served(site) as host:
        base = host.base
        texts = []
        every: list[dict[str, Any]] = [{"service_workers": "block"}, {"java_script_enabled": False}]
        for options in every:
            context = phone(browser, **options)
            page = context.new_page()
            errors = page_errors(page)
            page.goto(f"{base}{DAY}/index.html")
            page.wait_for_load_state("networkidle")
            assert page.locator("section.offline").is_hidden() and errors == []
            texts.append(page.locator("main").inner_text())
            page.goto(f"{base}{DAY}/01/xinghualing.html")
            assert page.locator(".listen").is_hidden() == (options.get("java_script_enabled") is False)
            context.close()
        assert texts[0] == texts[1]  # the issue page reads as it does without JavaScript


def test_from_a_file_nothing_is_registered_and_pages_read(sample_site: Path, browser: Browser) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto((sample_site / DAY / "index.html").as_uri())
    page.wait_for_timeout(300)
    assert page.locator("section.offline").is_hidden()
    page.locator(".teaser .title a").first.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and page.locator("article.story h1").is_visible()
    assert errors == []
    page.close()
