"""The editors' preview as an editor uses it: a real `build.py serve` process, real Chromium, real saves.

Each step saves files the way editors' tools do, and waits for the open page to reload by itself
and show the truth.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import ROOT, article, scan_image, write_tree

if TYPE_CHECKING:  # Playwright is imported where Chromium is started: in conftest's fixture
    from playwright.sync_api import Browser, Page

TREE = {
    "2021-12-10/01/page.yaml": "name: 要闻\n",
    "2021-12-10/01/a.md": article("第一篇", body="第一篇的正文。", order=1),
    "2021-12-10/01/b.md": article("第二篇", body="第二篇的正文。", order=2),
    "2021-12-10/02/page.yaml": "name: 经济\n",
    "2021-12-10/02/c.md": article("第三篇", body="第三篇的正文。"),
}


class Server:
    """`build.py serve` in its own process; its terminal lines collected as they come."""

    def __init__(self, content: Path, *options: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "build.py", "serve", "--content", str(content), "--port", "0", *options],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
        )
        self.lines: list[str] = []
        output = self.process.stdout
        assert output is not None  # stdout=PIPE
        threading.Thread(target=lambda: self.lines.extend(iter(output.readline, "")), daemon=True).start()
        found = self.wait_for_line(r"http://127\.0\.0\.1:(\d+)/", start=0)
        self.port = int(found.group(1))
        self.url = found.group(0)

    def wait_for_line(self, pattern: str, start: int | None = None, timeout: float = 15) -> re.Match[str]:
        """The first terminal line from `start` on (default: lines not yet looked at) that matches."""
        start = self.seen if start is None else start
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for index in range(start, len(self.lines)):
                found = re.search(pattern, self.lines[index])
                if found:
                    self.seen = index + 1
                    return found
            assert self.process.poll() is None or len(self.lines) > start, "the preview stopped:\n" + "".join(self.lines)
            time.sleep(0.05)
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "".join(self.lines))

    seen = 0

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            return self.process.wait(timeout=10)
        finally:
            self.process.kill()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    content = write_tree(tmp_path / "content", TREE)
    server = Server(content)
    yield server, content
    server.stop()


def save(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def save_via_rename(path: Path, text: str) -> None:
    """What many editors do: write a temporary file, then rename it over the original."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def wait_for_text(page: Page, text: str, timeout: float = 10_000) -> None:
    page.wait_for_function("t => document.body && document.body.innerText.includes(t)", arg=text, timeout=timeout)


def wait_for_no_text(page: Page, text: str, timeout: float = 10_000) -> None:
    page.wait_for_function("t => document.body && !document.body.innerText.includes(t)", arg=text, timeout=timeout)


def test_saving_an_article_reloads_the_open_page(preview: tuple[Server, Path], browser: Browser) -> None:
    server, content = preview
    page = browser.new_page()
    page.goto(server.url + "2021-12-10/01/a.html")
    save(content / "2021-12-10/01/a.md", article("第一篇改了标题", body="新的正文。", order=1))
    wait_for_text(page, "第一篇改了标题")
    save_via_rename(content / "2021-12-10/01/a.md", article("又改了一次", body="新的正文。", order=1))
    wait_for_text(page, "又改了一次")
    page.goto(server.url + "2021-12-10/01/index.html")
    (content / "2021-12-10/01/a.md").unlink()  # delete and recreate
    save(content / "2021-12-10/01/a.md", article("删了又建", body="正文。", order=1))
    wait_for_text(page, "删了又建")
    page.close()


def test_a_mistake_shows_over_the_page_and_the_fix_clears_it(preview: tuple[Server, Path], browser: Browser) -> None:
    server, content = preview
    page = browser.new_page()
    page.goto(server.url + "2021-12-10/01/index.html")
    save(content / "2021-12-10/01/b.md", "---\ntitle: 第二篇\ntitel: 拼错了\n---\n正文\n")
    page.wait_for_selector("#shuzibao-faults", timeout=10_000)
    assert "2021-12-10/01/b.md:3: 未知字段“titel”" in page.locator("#shuzibao-faults").inner_text()
    assert "第二篇" in page.locator("main").inner_text()  # the last good page is still there
    server.wait_for_line(r"2021-12-10/01/b\.md:3: 未知字段", start=0)
    other = browser.new_page()
    other.goto(server.url + "2021-12-10/02/c.html")  # every page shows it
    assert other.locator("#shuzibao-faults").is_visible()
    save(content / "2021-12-10/01/b.md", article("第二篇修好了", order=2))
    wait_for_text(page, "第二篇修好了")
    assert page.locator("#shuzibao-faults").count() == 0
    other.wait_for_function("() => !document.querySelector('#shuzibao-faults')", timeout=10_000)
    page.close()
    other.close()


def test_a_scan_saved_shows_its_areas_and_an_article_without_one_is_a_warning(preview: tuple[Server, Path], browser: Browser) -> None:
    server, content = preview
    page = browser.new_page()
    page.goto(server.url + "2021-12-10/01/index.html")
    (content / "2021-12-10/01/page.jpg").write_bytes(scan_image())
    save(content / "2021-12-10/01/a.md", article("第一篇", body="第一篇的正文。", order=1, area="[0, 0, 600, 450]"))
    save(content / "2021-12-10/01/page.yaml", "name: 要闻\nimage: page.jpg\n")
    page.wait_for_selector(".areas a#area-a", timeout=10_000)
    page.wait_for_selector("#shuzibao-warnings", state="attached", timeout=10_000)
    warnings = page.locator("#shuzibao-warnings").text_content()
    assert warnings is not None
    assert "2021-12-10/01/b.md:1: 警告：第1版有版面图，这篇稿件却没有 area" in warnings
    server.wait_for_line(r"2021-12-10/01/b\.md:1: 警告", start=0)
    save(content / "2021-12-10/01/b.md", article("第二篇", body="第二篇的正文。", order=2, area="[0, 450, 600, 900]"))
    page.wait_for_function("() => document.querySelector('#area-b') && !document.querySelector('#shuzibao-warnings').textContent.includes('b.md')", timeout=10_000)
    page.close()


def test_the_preview_draws_an_area_on_the_scan_and_gives_its_line(preview: tuple[Server, Path], browser: Browser) -> None:
    server, content = preview
    (content / "2021-12-10/01/page.jpg").write_bytes(scan_image())  # 600 × 900 pixels
    save(content / "2021-12-10/01/page.yaml", "name: 要闻\nimage: page.jpg\n")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.url + "2021-12-10/01/index.html")
    page.wait_for_selector(".area-picker button", timeout=10_000)
    page.get_by_role("button", name="标注热区").click()
    page.locator(".scan svg.areas").evaluate("svg => svg.scrollIntoView()")
    box = page.locator(".scan svg.areas").bounding_box()
    assert box is not None  # shown

    def point(x: int, y: int) -> tuple[float, float]:  # a point of the scan, in the window
        return box["x"] + x / 600 * box["width"], box["y"] + y / 900 * box["height"]

    page.mouse.move(*point(60, 90))
    page.mouse.down()
    page.mouse.move(*point(200, 200), steps=5)
    page.mouse.move(*point(300, 270), steps=5)
    page.mouse.up()
    numbers = [int(n) for n in re.findall(r"\d+", page.locator(".area-picker output").inner_text())]
    assert all(abs(got - want) <= 2 for got, want in zip(numbers, [60, 90, 300, 270], strict=True)), numbers
    for corner in [(100, 300), (500, 300), (300, 600)]:  # within the window
        page.mouse.click(*point(*corner))
    page.mouse.dblclick(*point(300, 600))
    line = page.locator(".area-picker output").inner_text()
    assert line.startswith("area: [[") and len(re.findall(r"\[\d+, \d+\]", line)) == 3, line
    assert page.url.endswith("2021-12-10/01/index.html")  # drawing opened no article
    page.close()


def test_listings_follow_renames_deletions_reordering_and_new_issues(preview: tuple[Server, Path], browser: Browser) -> None:
    server, content = preview
    page = browser.new_page()
    page.goto(server.url + "2021-12-10/01/index.html")
    (content / "2021-12-10/01/b.md").rename(content / "2021-12-10/01/b-renamed.md")
    page.wait_for_selector('a[href="b-renamed.html"]', timeout=10_000)
    assert page.locator('a[href="b.html"]').count() == 0
    assert http_get(server.port, "/2021-12-10/01/b.html")[0] == 404
    save(content / "2021-12-10/01/a.md", article("第一篇", order=5))  # now after the second
    page.wait_for_function("() => document.body.innerText.indexOf('第二篇') < document.body.innerText.indexOf('第一篇')", timeout=10_000)
    (content / "2021-12-10/02/c.md").unlink()
    page.goto(server.url + "2021-12-10/02/index.html")
    wait_for_no_text(page, "第三篇")
    page.goto(server.url + "index.html")
    save(content / "2021-12-11/01/page.yaml", "name: 要闻\n")
    save(content / "2021-12-11/01/x.md", article("明天的头条"))
    wait_for_text(page, "明天的头条")  # the home page is the new issue
    page.goto(server.url + "archive/index.html")
    assert page.locator('a[href="../2021-12-11/index.html"]').count() == 1
    page.goto(server.url + "2021-12-10/index.html")
    assert page.locator('a[rel="next"][href="../2021-12-11/index.html"]').count() == 1
    page.close()


def test_several_files_at_once_make_one_rebuild(preview: tuple[Server, Path]) -> None:
    server, content = preview
    for n in range(20):  # as a git checkout writes them
        save(content / f"2021-12-10/02/burst-{n}.md", article(f"批量{n}"))
    server.wait_for_line(r"已更新 \d+ 个页面")
    after_burst = server.seen
    assert all(http_get(server.port, f"/2021-12-10/02/burst-{n}.html")[0] == 200 for n in range(20))
    # One builder handles the events in order: had the burst made a second rebuild, its line
    # would come before the one of a save made now.
    save(content / "2021-12-10/01/a.md", article("之后的一次保存", order=1))
    server.wait_for_line(r"已更新 \d+ 个页面")
    assert sum("已更新" in line for line in server.lines[after_burst : server.seen]) == 1, server.lines


def test_drafts_show_in_the_preview_marked_as_drafts(preview: tuple[Server, Path], browser: Browser) -> None:
    server, content = preview
    before = len(server.lines)
    save(content / "2021-12-10/02/draft.md", article("尚未发布", draft="true"))
    server.wait_for_line(r"已更新 \d+ 个页面", start=before)
    page = browser.new_page()
    page.goto(server.url + "2021-12-10/02/draft.html")
    assert "草稿：仅在预览中可见，不会发布" in page.locator("main").inner_text()
    page.close()


def http_get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def test_the_server_refuses_paths_outside_the_output_and_lists_no_folders(preview: tuple[Server, Path]) -> None:
    server, _ = preview
    for path in ["/../etc/passwd", "/..%2f..%2fetc/passwd", "/2021-12-10/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"]:
        status, body = http_get(server.port, path)
        assert status == 404 and b"root:" not in body, path
    assert http_get(server.port, "/2021-12-10/01/")[0] == 200  # its index.html
    assert http_get(server.port, "/theme/")[0] == 404  # a folder without index.html: no listing


def test_search_works_in_the_preview(preview: tuple[Server, Path], browser: Browser) -> None:
    server, content = preview
    save(content / "2021-12-10/02/search.md", article("搜索测试", body="独一无二的词语出现在这里。"))
    page = browser.new_page()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the index may lag the pages by a few seconds
        page.goto(server.url + "search/index.html?q=独一无二")
        page.wait_for_function("() => document.querySelector('.search-status').textContent.match(/找到|没有|暂不可用/)")
        if page.locator("li.result").count():
            break
        time.sleep(0.5)
    assert page.locator("li.result a").inner_text() == "搜索测试"
    page.close()


def test_polling_sees_saves_and_ctrl_c_stops_the_preview_cleanly(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", TREE)
    server = Server(content, "--poll")  # for network drives and containers, where events do not arrive
    save(content / "2021-12-10/01/a.md", article("轮询看到了", order=1))
    server.wait_for_line(r"已更新 \d+ 个页面")
    assert "轮询看到了".encode() in http_get(server.port, "/2021-12-10/01/a.html")[1]
    assert server.stop() == 0
