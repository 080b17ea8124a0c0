"""Publishing is all or nothing: a build that fails or is killed at any moment leaves the published
site byte for byte as it was (or, past the last step, as the new build made it), and the next
build cleans up after it.

A build runs in a forked child whose renames, the steps that put files in place, fail or kill the
process at the Nth call (fault-injected writes and kills, at every point of a build or at many
points spread over it). The published tree is then compared file for file with the old and the
new build.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, article, run, snapshot, write_tree
from shuzibao.build import publishing
from shuzibao.build.pipeline import Project, build
from shuzibao.build.staging import PublishFailed

SITE = "title: 测试日报\nbase_url: https://epaper.example.com/\nvariants:\n  - {code: zh-Hant, label: 繁體, opencc: s2tw}\n"
DAYS = ["2021-11-30", "2021-12-01", "2021-12-02"]
KILLED, FAILED = 137, 3


def issue(day: str, word: str) -> dict[str, str]:
    return {
        f"{day}/01/page.yaml": "name: 要闻\n",
        f"{day}/01/lead.md": article(f"{day}{word}头条", body=f"{word}的正文。", order=1),
        f"{day}/01/brief.md": article(f"{day}简讯", body="简讯正文。", order=2),
        f"{day}/02/page.yaml": "name: 综合\n",
        f"{day}/02/more.md": article(f"{day}综合", body="综合正文。"),
    }


def project(content: Path, out: Path, images: Path) -> Project:
    return Project(content, out, ROOT / "templates", ROOT / "theme", images)


def edit(content: Path) -> None:
    """Tomorrow's issue, an edited story and a removed issue, in one build."""
    write_tree(content, issue("2021-12-03", "明天"))
    (content / "2021-12-02/01/lead.md").write_text(article("改过的头条", body="改过的正文。", order=1), encoding="utf-8")
    shutil.rmtree(content / "2021-11-30")


def dying(proj: Project, at: int, how: str, count: Path, options: dict[str, Any]) -> int:
    """Build in a child process whose `at`-th rename kills it ("kill") or fails ("fail"); its exit code.
    The number of renames it made is written to `count`."""

    def child() -> None:
        calls = [0]

        def counted(real: Callable[..., Any]) -> Callable[..., Any]:
            def call(*args: Any, **kwargs: Any) -> Any:
                calls[0] += 1
                count.write_text(str(calls[0]))
                if calls[0] == at:
                    if how == "kill":
                        os._exit(KILLED)
                    raise PermissionError(13, "Permission denied (injected)", str(args[-1]))
                return real(*args, **kwargs)

            return call

        os.rename, os.replace = counted(os.rename), counted(os.replace)  # the machine's own calls, made to fail
        exchange = publishing._exchange if options.pop("exchange", True) else lambda one, other: False  # as where the system has none
        publishing._exchange = counted(exchange)  # the one system call that swaps two folders
        try:
            build(proj, jobs=1, search=False, **options)
        except PublishFailed:
            os._exit(FAILED)
        os._exit(0)

    options = dict(options)
    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join()
    return process.exitcode or 0


@dataclass
class Paper:
    """A site as published, the edit waiting for it, and the old and new sites' files."""

    folder: Path
    original: Path  # the content as published
    edited: Path  # the content after the edit
    images: Path
    old: dict[str, str]
    new: dict[str, str]

    def publish(self) -> Path:
        """The site as published before the edit, with its build cache, in a folder of its own."""
        out = self.folder / f"out-{len(list(self.folder.glob('out-*')))}"
        build(project(self.original, out, self.images), jobs=1, search=False)
        return out

    def doomed(self, out: Path) -> Project:
        return project(self.edited, out, self.images)


@pytest.fixture
def paper(tmp_path: Path) -> Paper:
    files = {"site.yaml": SITE, **{k: v for day in DAYS for k, v in issue(day, "新闻").items()}}
    original, edited = write_tree(tmp_path / "original", files), write_tree(tmp_path / "edited", files)
    edit(edited)
    images = tmp_path / "images"
    build(project(original, tmp_path / "old", images), jobs=1, search=False)
    build(project(edited, tmp_path / "new", images), jobs=1, search=False)
    return Paper(tmp_path, original, edited, images, snapshot(tmp_path / "old", marker=False), snapshot(tmp_path / "new", marker=False))


def leftovers(out: Path) -> list[str]:
    """What a build left beside the output but the build cache and the conversions it keeps."""
    kept = {f".{out.name}.cache", f".{out.name}.conversions"}
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and p.name not in kept)


def points(renames: int, most: int = 40) -> list[int]:
    """Every rename of a short build; of a long one, `most` spread over it, the first and last included."""
    step = max(1, renames // most)
    return sorted({*range(1, renames + 1, step), renames - 1, renames} - {0})


def renames_of(paper: Paper, how: str, options: dict[str, Any]) -> int:
    """How many renames a whole build makes."""
    out, count = paper.publish(), paper.folder / "count"
    assert dying(paper.doomed(out), 10**9, how, count, options) == 0
    shutil.rmtree(out)
    return int(count.read_text())


KINDS = {"cached build": {}, "full build": {"use_cache": False}, "full build, two renames": {"use_cache": False, "exchange": False}}


@pytest.mark.parametrize("kind", KINDS)
def test_a_build_killed_at_any_rename_leaves_the_old_site_or_the_new_one(paper: Paper, kind: str) -> None:
    options: dict[str, Any] = KINDS[kind]
    renames = renames_of(paper, "kill", options)
    assert renames >= (20 if kind == "cached build" else 2)
    for at in points(renames):
        out = paper.publish()
        assert dying(paper.doomed(out), at, "kill", paper.folder / "count", options) == KILLED
        publishing.recover(out)  # what the next build does before anything else
        assert snapshot(out, marker=False) in (paper.old, paper.new), f"killed at rename {at} of {renames}"
        assert leftovers(out) == [], at
        build(paper.doomed(out), jobs=1, search=False)
        assert snapshot(out, marker=False) == paper.new, at
        shutil.rmtree(out)


@pytest.mark.parametrize("kind", KINDS)
def test_a_write_that_fails_at_any_point_changes_nothing(paper: Paper, kind: str) -> None:
    options: dict[str, Any] = KINDS[kind]
    renames = renames_of(paper, "fail", options)
    failed = 0
    for at in points(renames):
        out = paper.publish()
        code = dying(paper.doomed(out), at, "fail", paper.folder / "count", options)
        if code == FAILED:  # the rename that failed was one that puts the site in place
            failed += 1
            assert snapshot(out, marker=False) == paper.old, f"failed at rename {at} of {renames}"
            assert leftovers(out) == [], at
        shutil.rmtree(out)
    assert failed >= 1


def test_the_next_build_removes_what_a_killed_build_left_beside_the_output(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", issue("2021-12-01", "新闻"))
    out = tmp_path / "out"
    build(project(content, out, tmp_path / "images"), jobs=1, search=False)
    dead = 2**22 + 12345  # a process id no process has
    for kind in ("new", "scratch", "old"):
        (tmp_path / f".out.{kind}-{dead}" / "x").mkdir(parents=True)
    (tmp_path / ".out.new-draft").mkdir()  # not a build's: not ours to touch
    build(project(content, out, tmp_path / "images"), jobs=1, search=False)
    assert leftovers(out) == [".out.new-draft"]


def test_the_command_deletes_the_replaced_site_after_it_in_the_background(tmp_path: Path) -> None:
    """The new site is in place when `build` returns; the old one is deleted by a process of its
    own, at the lowest priority, and nothing of it stays."""
    content = write_tree(tmp_path / "content", {"2021-12-10/01/page.yaml": "name: 要闻\n", "2021-12-10/01/a.md": article("旧标题")})
    out = tmp_path / "out"
    assert run("build", "--content", str(content), "--out", str(out), "--no-search").code == 0
    (content / "2021-12-10/01/a.md").write_text(article("新标题"), encoding="utf-8")
    assert run("build", "--content", str(content), "--out", str(out), "--no-search", "--no-cache").code == 0  # a full build: a swap
    assert "新标题" in (out / "2021-12-10/01/a.html").read_text(encoding="utf-8")
    deadline = time.monotonic() + 60
    while leftovers(out) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert leftovers(out) == []
