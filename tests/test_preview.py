"""The editors' preview as an editor uses it: a real `build.py serve` process, real Chromium, real saves.

Each step saves files the way editors' tools do, and waits for the open page to reload by itself
and show the truth.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import ROOT, article, run, scan_image, write_tree

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
    """`build.py serve` in its own process; its terminal lines collected as they come. `port`
    None leaves --port out; `cache` is the user's cache folder it is given (XDG_CACHE_HOME)."""

    def __init__(self, content: Path, *options: str, port: str | None = "0", cache: Path | None = None) -> None:
        env = {**os.environ, "XDG_CACHE_HOME": str(cache)} if cache is not None else None
        self.process = subprocess.Popen(
            [sys.executable, "build.py", "serve", "--content", str(content), *(["--port", port] if port is not None else []), *options],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1, env=env,
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


def wait_for_page(port: int, path: str, text: str, timeout: float = 15) -> None:
    """Until the page at `path` shows `text` (the rebuild after a change is not announced to a test)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text.encode() in http_get(port, path)[1]:
            return
        time.sleep(0.1)
    raise AssertionError(f"{path} never showed {text!r}")


def test_the_content_folder_deleted_and_restored_is_watched_again(preview: tuple[Server, Path]) -> None:
    server, content = preview
    backup = content.parent / "backup"
    shutil.copytree(content, backup)
    shutil.rmtree(content)
    server.wait_for_line("内容文件夹不存在")
    assert "第一篇".encode() in http_get(server.port, "/2021-12-10/01/a.html")[1]  # the last good build is still served
    shutil.copytree(backup, content)
    server.wait_for_line(r"已更新 \d+ 个页面")
    save(content / "2021-12-10/01/a.md", article("恢复以后又改了", order=1))  # a later save, seen without a restart
    wait_for_page(server.port, "/2021-12-10/01/a.html", "恢复以后又改了")
    save(content / "2021-12-10/02/new.md", article("恢复以后的新稿"))
    wait_for_page(server.port, "/2021-12-10/02/new.html", "恢复以后的新稿")
    assert "Traceback" not in "".join(server.lines)


def test_a_checkout_that_puts_a_new_content_folder_in_its_place_is_followed(preview: tuple[Server, Path]) -> None:
    server, content = preview
    checkout = content.parent / "checkout"
    shutil.copytree(content, checkout)
    save(checkout / "2021-12-10/01/a.md", article("另一个分支的稿件", order=1))
    content.rename(content.parent / "moved-away")  # the old folder goes on existing elsewhere
    checkout.rename(content)
    wait_for_page(server.port, "/2021-12-10/01/a.html", "另一个分支的稿件")
    save(content / "2021-12-10/01/b.md", article("新文件夹里的保存", order=2))
    wait_for_page(server.port, "/2021-12-10/01/b.html", "新文件夹里的保存")
    save(content.parent / "moved-away/2021-12-10/01/b.md", article("旧文件夹里的保存", order=2))
    save(content / "2021-12-10/01/a.md", article("再存一次", order=1))
    wait_for_page(server.port, "/2021-12-10/01/a.html", "再存一次")
    assert "旧文件夹里的保存".encode() not in http_get(server.port, "/2021-12-10/01/b.html")[1]  # what is served is the folder at the path


def two_long_months(stories: int = 120) -> dict[str, str]:
    """Two issues in two months, with enough text that Pagefind takes a second or two for each
    month's shard (one Pagefind run after another)."""
    chooser = random.Random(13)
    words = "发展经济城市建设人民群众文化旅游教育科技农业工业交通生态环境健康医疗改革开放创新服务"
    files = {}
    for day in ["2021-11-30", "2021-12-10"]:
        for n in range(stories):
            body = "\n\n".join("".join(chooser.choice(words) for _ in range(300)) + "。" for _ in range(8))
            files[f"{day}/0{n % 4 + 1}/story-{n}.md"] = article(f"第{n}篇", body=body)
    return files


def pagefind_children(pid: int) -> list[int]:
    """The Pagefind processes whose parent is `pid`, read from /proc as ps reads them."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == pid and b"pagefind" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue  # not a process, or one that ended meanwhile
    return found


def running(pid: int) -> bool:
    """Whether the process is still running (a zombie has ended; only its parent has not looked)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_stopping_the_preview_while_it_indexes_leaves_no_pagefind_behind(tmp_path: Path, stop: signal.Signals) -> None:
    """Stopped while it indexes the first month, the preview ends that Pagefind run and starts no
    other: it neither leaves one running nor waits for every month to be indexed."""
    content = write_tree(tmp_path / "content", two_long_months())
    server = Server(content)
    deadline = time.monotonic() + 60
    while not (before := set(pagefind_children(server.process.pid))):  # the background index of the first build
        assert time.monotonic() < deadline, "Pagefind never started:\n" + "".join(server.lines)
        time.sleep(0.01)
    server.process.send_signal(stop)  # to the preview alone, as a service manager does
    after: set[int] = set()
    while server.process.poll() is None:
        after |= set(pagefind_children(server.process.pid))
        assert time.monotonic() < deadline + 60, "the preview did not stop"
        time.sleep(0.01)
    assert server.process.returncode == 0
    assert after <= before, "a Pagefind run was started after the preview was told to stop"
    assert not [pid for pid in before if running(pid)], "Pagefind is still running after the preview stopped"
    assert "Traceback" not in "".join(server.lines)


def test_a_busy_default_port_means_the_next_free_one(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", TREE)
    with socket.socket() as other:  # another program on 8000 (or, if one already is, that one)
        with contextlib.suppress(OSError):
            other.bind(("127.0.0.1", 8000))
            other.listen()
        server = Server(content, port=None)
        try:
            assert server.port != 8000
            server.wait_for_line(rf"端口 8000 已被占用，改用 {server.port}", start=0)
            assert http_get(server.port, "/2021-12-10/01/a.html")[0] == 200
        finally:
            assert server.stop() == 0


def serve_once(content: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "build.py", "serve", "--content", str(content), *options], cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_a_busy_or_impossible_port_or_host_is_a_usage_error(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", TREE)
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        busy = other.getsockname()[1]
        done = serve_once(content, "--port", str(busy))
    assert done.returncode == 2 and f"端口 {busy} 已被占用" in done.stderr, done.stderr
    runs = [done]
    for port in ["70000", "65536", "-1", "八千", "80.5"]:
        done = serve_once(content, "--port", port)
        assert done.returncode == 2 and "端口必须是 0 到 65535 之间的整数" in done.stderr, (port, done.stderr)
        runs.append(done)
    for host in ["192.0.2.1", "no-such-host.invalid"]:  # an address of another machine; a name that is no machine's
        done = serve_once(content, "--host", host, "--port", "0")
        assert done.returncode == 2 and f"无法在地址 {host} 上监听" in done.stderr, (host, done.stderr)
        runs.append(done)
    for done in runs:
        assert "Traceback" not in done.stderr and "内部错误" not in done.stderr and "预览：" not in done.stdout, done


def test_make_serve_takes_the_port(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # -o: the venv is as it is (make would otherwise reinstall it when pyproject.toml is newer)
    make = subprocess.Popen(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "serve", f"PORT={port}"], cwd=ROOT,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        output = make.stdout
        assert output is not None  # stdout=PIPE
        for line in output:
            if "预览：http" in line:
                break
        assert f"http://127.0.0.1:{port}/" in line, line
        assert http_get(port, "/index.html")[0] == 200
    finally:
        os.killpg(make.pid, signal.SIGINT)  # Ctrl-C goes to the terminal's whole process group
        make.wait(timeout=30)


def preview_folders(cache: Path) -> set[str]:
    return {folder.name for folder in (cache / "shuzibao").glob("preview-*")}


def test_the_cache_keeps_the_three_latest_previews_and_any_in_use(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    running_one = Server(write_tree(tmp_path / "a", TREE), cache=cache)
    try:
        (held,) = preview_folders(cache)
        week_ago = time.time() - 7 * 86400
        os.utime(cache / "shuzibao" / held / "lock", (week_ago, week_ago))  # in use, but the least recently started
        old = {}
        for days, name in enumerate(["0123456789abcdef", "123456789abcdef0", "23456789abcdef01", "3456789abcdef012"], start=1):
            folder = cache / "shuzibao" / f"preview-{name}"
            (folder / "site").mkdir(parents=True)
            (folder / "site" / "index.html").write_text("旧的预览")
            (folder / "lock").touch()
            when = time.time() - days * 3600
            os.utime(folder / "lock", (when, when))
            old[days] = folder.name
        cut_short = cache / "shuzibao" / "preview-0123456789abcdef.removing-999"  # a removal cut short by a stop
        (cut_short / "site").mkdir(parents=True)
        second = Server(write_tree(tmp_path / "b", TREE), cache=cache)
        try:
            (newest,) = preview_folders(cache) - {held, *old.values(), cut_short.name}
            deadline = time.monotonic() + 30
            while preview_folders(cache) != {newest, old[1], old[2], held} and time.monotonic() < deadline:
                time.sleep(0.05)
            assert preview_folders(cache) == {newest, old[1], old[2], held}  # the three latest, and the one still in use
            assert http_get(running_one.port, "/2021-12-10/01/a.html")[0] == 200
        finally:
            assert second.stop() == 0
    finally:
        assert running_one.stop() == 0


def test_a_warning_is_said_once_in_check_build_and_the_preview(tmp_path: Path, browser: Browser) -> None:
    content = write_tree(tmp_path / "content", {"site.yaml": "title: 报\nbase_url: https://e.example.com/\n", **TREE, "2021-12-10/01/a.md": "---\ntitle: 第一篇\norder: 1\n---\n正文\x0b。\n"})
    said = "2021-12-10/01/a.md:5: 警告：这一行有看不见的控制字符 U+000B"
    for command in (["check"], ["build", "--out", str(tmp_path / "out"), "--no-search"]):
        result = run(*command, "--content", str(content))
        warnings = [line for line in result.err.splitlines() if "警告" in line]
        assert result.code == 0 and len(warnings) == 1 and warnings[0].startswith(said), result.err
    strict = run("check", "--content", str(content), "--strict")
    assert strict.code == 1 and "1 条警告（--strict：警告也算作错误）" in strict.err
    server = Server(content)
    try:
        server.wait_for_line(r"预览：", start=0)
        assert sum(line.startswith(said) for line in server.lines) == 1, server.lines
        page = browser.new_page()
        page.goto(server.url + "2021-12-10/01/a.html")
        assert "1 条警告" in page.locator("#shuzibao-warnings summary").inner_text()
        page.close()
    finally:
        server.stop()
