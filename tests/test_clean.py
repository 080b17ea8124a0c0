"""The program's own caches stay bounded and sound: the image cache (the page scans' copies, shared
by every build on the machine) is repaired when damaged and pruned to its budget, least recently
used first; `build.py clean` empties it, the previews' folders and the build cache, and nothing else."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT, Tree, article, run, scan_image, snapshot, write_tree

PAGE = "2021-12-10/01"
HOUR = 3600


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user cache folder of the test's own; the image cache is its shuzibao/images/."""
    home = tmp_path / "user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("SHUZIBAO_IMAGE_CACHE_MB", raising=False)
    return home


def scanned(*shades: int) -> dict[str, str | bytes]:
    """An issue with a page per shade, each with a scan of its own."""
    files: dict[str, str | bytes] = {}
    for index, shade in enumerate(shades, start=1):
        files[f"2021-12-10/{index:02}/page.yaml"] = "name: 要闻\nimage: page.jpg\n"
        files[f"2021-12-10/{index:02}/page.jpg"] = scan_image(600, 900, shade=shade)
        files[f"2021-12-10/{index:02}/a{index}.md"] = article(f"稿件{index}", area="[0, 0, 600, 900]")
    return files


def build(content: Path, out: Path, *options: str) -> str:
    result = run("build", "--content", str(content), "--out", str(out), "--no-search", *options)
    assert result.code == 0, result.err
    assert "版面图" not in result.err  # never blamed on the editor's scan
    return result.out


def cache_folder(images: Path, out: Path, page: str) -> Path:
    """The image cache's folder of the page's scan, found by the digest its published copies carry."""
    short = re.findall(r"page-([0-9a-f]{10})-", next((out / page).glob("page-*-480w.jpg")).name)[0]
    return next(images.glob(f"{short[:2]}/{short}*"))


def page_folders(images: Path, out: Path, page: str) -> tuple[Path, Path]:
    """The image cache's folders of the page: its scan's copies, and its story's clip (剪报, issue 18)."""
    short = re.findall(r"-clip-([0-9a-f]{10})-", next((out / page).glob("*-clip-*w.jpg")).name)[0]
    return cache_folder(images, out, page), next(images.glob(f"{short[:2]}/{short}*"))


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir())


def age(folder: Path, seconds: float) -> None:
    """As if the folder was last used `seconds` ago."""
    then = time.time() - seconds
    os.utime(folder, (then, then))


def damage_record(folder: Path) -> None:
    (folder / "copies.json").unlink()


def damage_garbled_record(folder: Path) -> None:
    (folder / "copies.json").write_text('{"renditions": [[480,')


def damage_truncated_copy(folder: Path) -> None:
    copy = folder / "600w.jpg"
    copy.write_bytes(copy.read_bytes()[:1000])


def damage_missing_copy(folder: Path) -> None:
    (folder / "240w.jpg").unlink()


def damage_file_in_place(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    folder.write_bytes(b"")


def damage_killed_while_made(folder: Path) -> None:
    """A build killed while it made the copies: a half-made work folder, and no folder."""
    work = folder.with_name(f"{folder.name}.999999.tmp")
    folder.rename(work)
    (work / "copies.json").unlink()
    (work / "480w.jpg").write_bytes(b"\xff\xd8 half")
    age(work, HOUR)


DAMAGES = [damage_record, damage_garbled_record, damage_truncated_copy, damage_missing_copy, damage_file_in_place, damage_killed_while_made]


@pytest.mark.parametrize("damage", DAMAGES, ids=[d.__name__.removeprefix("damage_") for d in DAMAGES])
def test_a_damaged_image_cache_is_made_again_never_blamed_on_the_scan(tree: Tree, tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch, damage: object) -> None:
    assert callable(damage)
    content = tree(scanned(3))
    assert "新处理 1 张版面图" in build(content, tmp_path / "first")
    folder = cache_folder(cache_home / "shuzibao/images", tmp_path / "first", PAGE)
    published = snapshot(tmp_path / "first", marker=False)  # before the damage: a copy damaged in place is damaged where it is linked too
    damage(folder)
    monkeypatch.setenv("SHUZIBAO_IMAGE_CACHE_MB", "1")  # small: the build prunes, and so clears what a killed build left
    assert "新处理 1 张版面图" in build(content, tmp_path / "second", "--no-cache")
    assert snapshot(tmp_path / "second", marker=False) == published
    assert sorted(p.name for p in folder.parent.iterdir()) == [folder.name]  # whole again, and nothing left over
    assert "新处理" not in build(content, tmp_path / "third", "--no-cache")  # and found


def test_an_image_cache_that_cannot_be_written_is_the_machines_fault_not_the_scans(tree: Tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # the cache folder cannot be made
    content = tree(scanned(4))
    result = run("build", "--content", str(content), "--out", str(tmp_path / "out"), "--no-search")
    assert result.code == 3, result.err
    assert "内部错误" in result.err and "版面图" not in result.err and "Traceback" not in result.err


def test_the_image_cache_is_pruned_to_its_budget_least_recently_used_first(tree: Tree, tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    images = cache_home / "shuzibao/images"
    old = tmp_path / "old"
    build(tree(scanned(5, 6, 7)), old)
    first, second, third = (page_folders(images, old, f"2021-12-10/{n:02}") for n in (1, 2, 3))  # each page's scan copies and clip
    for folders, hours in ((first, 4), (second, 3), (third, 2)):
        for folder in folders:
            age(folder, hours * HOUR)
    reuse = write_tree(tmp_path / "reuse", scanned(5))
    assert "新处理" not in build(reuse, tmp_path / "reused")  # the first scan, used again: now the most recent of the three
    newest = write_tree(tmp_path / "newest", scanned(8))
    smallest = min(folder_bytes(f) for f in third)
    budget = 2 * sum(folder_bytes(f) for f in first) + smallest // 2  # room for the first page's and the new one's (about as large), not for any of the third's too
    monkeypatch.setenv("SHUZIBAO_IMAGE_CACHE_MB", f"{budget / 2**20:.6f}")
    assert "新处理 1 张版面图" in build(newest, tmp_path / "new")
    kept = {p.name for p in images.glob("*/*")}
    gone = {f.name for f in (*second, *third)}
    assert {f.name for f in first} <= kept and not gone & kept and len(kept) == 4  # the first page's two and the new page's two
    assert sum(folder_bytes(p) for p in images.glob("*/*")) <= budget
    assert snapshot(old)  # what was published from the removed folders stays whole (hard links)
    for page in ("2021-12-10/02", "2021-12-10/03"):
        assert all(p.stat().st_size > 0 for p in (old / page).glob("page-*"))


def test_a_copy_just_made_or_used_is_never_pruned_even_over_budget(tree: Tree, tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    images = cache_home / "shuzibao/images"
    build(tree(scanned(9)), tmp_path / "before")
    monkeypatch.setenv("SHUZIBAO_IMAGE_CACHE_MB", "0")
    newer = write_tree(tmp_path / "newer", scanned(10, 9))
    assert "新处理 1 张版面图" in build(newer, tmp_path / "out")
    assert len(list(images.glob("*/*"))) == 4  # both scans and both clips used within the grace period: a running build may be about to link them
    assert "新处理" not in build(newer, tmp_path / "again", "--no-cache")


# --- python build.py clean


class Preview:
    """`build.py serve` in a process of its own, started and waited for until it serves."""

    def __init__(self, content: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "build.py", "serve", "--content", str(content), "--port", "0"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: list[str] = []
        output = self.process.stdout
        assert output is not None  # stdout=PIPE
        threading.Thread(target=lambda: self.lines.extend(iter(output.readline, "")), daemon=True).start()
        deadline = time.monotonic() + 30
        while not any("http://127.0.0.1:" in line for line in self.lines):
            assert time.monotonic() < deadline and self.process.poll() is None, "".join(self.lines)
            time.sleep(0.05)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        finally:
            self.process.kill()


def test_clean_empties_the_caches_and_leaves_the_output_and_the_content(tree: Tree, tmp_path: Path, cache_home: Path) -> None:
    content = tree(scanned(11))
    out = tmp_path / "dist"
    build(content, out)
    stopped = Preview(write_tree(tmp_path / "other", scanned(12)))
    stopped.stop()  # a preview run once: its folder stays for next time
    running = Preview(content)
    try:
        published, written = snapshot(out), snapshot(content)
        base = cache_home / "shuzibao"
        previews = sorted(p.name for p in base.glob("preview-*"))
        assert len(previews) == 2 and (base / "images").is_dir() and (base / "opencc").is_dir() and (tmp_path / ".dist.cache").is_file()
        assert (tmp_path / ".dist.conversions").is_dir()  # the sample's traditional scripts, kept for the next build
        result = run("clean", "--out", str(out))
        assert result.code == 0, result.err
        assert not (base / "images").exists() and not (base / "opencc").exists() and not (tmp_path / ".dist.cache").exists()
        assert not (tmp_path / ".dist.conversions").exists()
        left = [p.name for p in base.glob("preview-*")]
        assert len(left) == 1 and left[0] in result.out and "正由运行中的预览使用" in result.out  # the running preview keeps its folder
        assert re.search(r"图片缓存 .*images：\d+(\.\d)? (KB|MB)", result.out), result.out
        assert re.search(r"预览文件夹 .*：1 个，\d+(\.\d)? (KB|MB)", result.out), result.out
        assert re.search(r"构建缓存 .*\.dist\.cache.*：\d+ (B|KB)", result.out), result.out
        assert snapshot(out) == published and snapshot(content) == written
    finally:
        running.stop()
    again = run("build", "--content", str(content), "--out", str(out), "--no-search")
    assert again.code == 0 and "增量构建" not in again.out and "新处理 1 张版面图" in again.out  # a full build, copies made anew
