"""The preview's rebuild gives exactly the pages a full build gives, after every kind of edit.

Each step edits the tree, rebuilds incrementally, and compares every page with a fresh full build
of the same tree (drafts in, preview on, as the preview builds). A stale page fails the test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, article, scan_image, write_tree
from shuzibao.build.pipeline import Project, build
from shuzibao.content import article_body as body
from shuzibao.content.article_body import Bodies
from shuzibao.preview.rebuild import Preview
from shuzibao.preview.server import LiveState

TREE = {
    "site.yaml": "title: 测试日报\nbase_url: https://epaper.example.com/\n",  # feeds and sitemap compared too
    "2021-12-09/01/old.md": article("前一期的稿件"),
    "2021-12-10/01/a.md": article("甲稿", body="甲的正文。", order=1),
    "2021-12-10/01/b.md": article("乙稿", body="乙的正文。\n\n（下转第3版）", order=2),
    "2021-12-10/01/c.md": article("丙稿", body="丙的正文。", order=3),
    "2021-12-10/03/page.yaml": "name: 综合\n",
    "2021-12-10/03/b-2.md": article(None, body="乙的续文。", continues="01/b"),
    "2021-12-10/03/d.md": article("丁稿", body="丁的正文。"),
}


def pages(folder: Path) -> dict[str, bytes]:
    """Every file but the search bundles and the marker (its token is the build's own)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file() and "pagefind" not in p.parts and p.name != ".shuzibao-output"}


def write(content: Path, rel: str, text: str) -> None:
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if rel.endswith(".md") and not (path.parent / "page.yaml").exists():
        (path.parent / "page.yaml").write_text("name: 新版\n", encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    bump(path)


def bump(path: Path) -> None:
    """Make sure the file's time changes even within the file system's clock resolution."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))


# Edits of more than one step are functions: a lambda is one expression.
def reorder(c: Path) -> None:
    write(c, "2021-12-10/01/a.md", article("甲稿", order=9))
    write(c, "2021-12-10/01/c.md", article("丙稿", order=0))


def delete_the_continuation(c: Path) -> None:
    (c / "2021-12-10/03/b-2.md").unlink()
    write(c, "2021-12-10/01/b.md", article("乙稿", body="乙的正文。", order=2))


def move_an_article(c: Path) -> None:
    (c / "2021-12-10/01/c-new.md").unlink()
    write(c, "2021-12-10/02/c-moved.md", article("丙稿", body="丙的正文。", moved_from="[01/c-new, 01/c]"))
    write(c, "2021-12-10/03/c-2.md", article(None, body="丙的续文。", continues="02/c-moved"))


def add_an_image(c: Path) -> None:
    write(c, "2021-12-10/01/p.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    write(c, "2021-12-10/01/p.md", article("图片新闻", body="![图](p.svg)", photographer="某某"))


def add_a_scan_with_areas(c: Path) -> None:
    """Page 3 gets a scan, its stories areas: each gets its clip (剪报, issue 18)."""
    write_tree(c, {"2021-12-10/03/scan.jpg": scan_image()})
    bump(c / "2021-12-10/03/scan.jpg")
    write(c, "2021-12-10/03/page.yaml", "name: 新版名\nimage: scan.jpg\n")
    write(c, "2021-12-10/03/d.md", article("丁稿", draft="true", area="[0, 0, 600, 400]"))
    write(c, "2021-12-10/03/b-2.md", article(None, body="乙的续文。", continues="01/b", area="[0, 400, 600, 900]"))


EDITS: dict[str, Callable[[Path], object]] = {
    "edit a body": lambda c: write(c, "2021-12-10/01/a.md", article("甲稿", body="甲的新正文。", order=1)),
    "edit a headline": lambda c: write(c, "2021-12-10/01/a.md", article("甲稿改题", body="甲的正文。", order=1)),
    "edit a continuation": lambda c: write(c, "2021-12-10/03/b-2.md", article(None, body="乙的新续文。", continues="01/b")),
    "reorder": reorder,
    "rename an article": lambda c: (c / "2021-12-10/01/c.md").rename(c / "2021-12-10/01/c-new.md"),
    "delete an article": lambda c: (c / "2021-12-10/01/a.md").unlink(),
    "delete the continuation": delete_the_continuation,
    "add a jump": lambda c: write(c, "2021-12-10/03/c-2.md", article(None, body="丙的续文。", continues="01/c-new")),
    "add an issue": lambda c: write(c, "2021-12-11/01/e.md", article("新一期")),
    "add an issue between": lambda c: write(c, "2021-12-08/01/f.md", article("更早一期")),
    "delete an issue": lambda c: shutil.rmtree(c / "2021-12-09"),
    "rename a page": lambda c: write(c, "2021-12-10/03/page.yaml", "name: 新版名\n"),
    "add a page": lambda c: write(c, "2021-12-10/02/g.md", article("新一版")),
    "make a draft": lambda c: write(c, "2021-12-10/03/d.md", article("丁稿", draft="true")),
    "move an article": move_an_article,
    "change the site": lambda c: write(c, "site.yaml", "title: 新报名\nbase_url: https://epaper.example.com/\nglossary:\n  正文: 內文\n"),
    "add an image": add_an_image,
    "change the theme": lambda c: None,  # done on the project's own theme copy below
    "add a scan with areas": add_a_scan_with_areas,
    "move an area": lambda c: write(c, "2021-12-10/03/b-2.md", article(None, body="乙的续文。", continues="01/b", area="[0, 450, 600, 900]")),  # its clip changes
}


@pytest.fixture
def project(tmp_path: Path) -> Project:
    content = write_tree(tmp_path / "content", TREE)
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    out = tmp_path / "preview" / "site"
    out.mkdir(parents=True)
    return Project(content, out, tmp_path / "templates", tmp_path / "theme", tmp_path / "images")


def full_build(project: Project, tmp_path: Path) -> dict[str, bytes]:
    reference = Project(project.content, tmp_path / "reference", project.templates, project.theme, project.images)
    build(reference, drafts=True, preview=True, search=False)
    return pages(reference.out)


def stamps(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*")}


def changed_paths(before: dict[Path, int], after: dict[Path, int]) -> set[Path]:
    """What a file watcher reports: everything created, deleted or modified."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def test_incremental_rebuilds_equal_full_builds_after_every_kind_of_edit(project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    preview = Preview(project, LiveState(), say=lambda line: None)
    monkeypatch.setattr(preview.indexer, "request", lambda jobs: None)  # search is tested elsewhere; pages are compared here
    assert preview.rebuild() == []
    assert pages(project.out) == full_build(project, tmp_path)
    for name, edit in EDITS.items():
        before = stamps(project.content) | stamps(project.theme) | stamps(project.templates)
        edit(project.content)
        if name == "change the theme":
            (project.theme / "site.css").write_text("body { color: red; }\n")
            (project.templates / "base.html").write_text((project.templates / "base.html").read_text().replace("<main", "<main data-x=1"))
        changed = changed_paths(before, stamps(project.content) | stamps(project.theme) | stamps(project.templates))
        assert preview.rebuild(changed) == [], name
        assert pages(project.out) == full_build(project, tmp_path), f"stale pages after: {name}"


def test_a_rebuild_after_one_edit_renders_only_what_shows_it(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    lines: list[str] = []
    preview = Preview(project, LiveState(), say=lines.append)
    monkeypatch.setattr(preview.indexer, "request", lambda jobs: None)
    preview.rebuild()
    write(project.content, "2021-12-10/01/c.md", article("丙稿", body="丙的新正文。", order=3))
    preview.rebuild({project.content / "2021-12-10/01/c.md"})
    # The body changed, not the headline: only the article page itself, the open data
    # (issue.json holds every text) and the feeds (Atom and RSS: the issue is among the latest
    # three), and the list to read it offline (offline.json holds each page's size), in
    # each of the two scripts.
    assert lines[-1].startswith("已更新 10 个页面"), lines[-1]


def test_a_fault_keeps_the_last_good_pages_and_a_fix_clears_it(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    live = LiveState()
    preview = Preview(project, live, say=lambda line: None)
    monkeypatch.setattr(preview.indexer, "request", lambda jobs: None)
    preview.rebuild()
    before = pages(project.out)
    write(project.content, "2021-12-10/01/a.md", "---\ntitle: [坏\n---\n正文\n")
    faults = preview.rebuild({project.content / "2021-12-10/01/a.md"})
    assert [str(f).split(": ")[0] for f in faults] == ["2021-12-10/01/a.md:2"]
    assert live.faults == faults and pages(project.out) == before
    write(project.content, "2021-12-10/01/a.md", article("修好了", order=1))
    assert preview.rebuild({project.content / "2021-12-10/01/a.md"}) == [] and live.faults == []
    assert "修好了" in (project.out / "2021-12-10/01/a.html").read_text(encoding="utf-8")


def test_a_body_kept_for_the_next_build_is_the_body_read_afresh() -> None:
    """The preview keeps the bodies it read (content/article_body.py): the same text at the same
    line gives what reading it gives, another line reads it again (markers name their lines),
    and only the latest LIMIT bodies are kept."""
    bodies = Bodies()
    text = "甲的正文。\n\n（下转第3版）\n"
    tokens, markers = bodies.read(text, 5)
    afresh = body.read(text, 5)
    assert [t.as_dict() for t in tokens] == [t.as_dict() for t in afresh[0]] and markers == afresh[1] and markers[0].line == 7
    assert bodies.read(text, 5)[0] is tokens  # kept, not parsed again
    assert bodies.read(text, 6)[1][0].line == 8
    for n in range(Bodies.LIMIT + 1):
        bodies.read(f"第{n}篇。", 1)
    assert bodies.read(text, 5)[0] is not tokens  # pushed out by newer ones: read again
