"""The build cache: a cached build writes only what changed, and its output is byte for byte the
output of a full build of the same content, after every kind of edit; anything the cache cannot
vouch for (a changed template, config, glossary or program, a corrupt cache, a replaced output)
means a full build."""

from __future__ import annotations

import gzip
import json
import marshal
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, article, run, scan_image, snapshot, write_tree
from shuzibao.build import cache
from shuzibao.build.pipeline import Project, Report, Session, build
from shuzibao.faults import ContentError

DAYS = ["2021-11-29", "2021-11-30", "2021-12-01", "2021-12-02"]


def issue_files(day: str, word: str = "新闻") -> dict[str, str]:
    return {
        f"{day}/01/page.yaml": "name: 要闻\n",
        f"{day}/01/lead.md": article(f"{day} 头条", f"{word}正文。（下转第2版）"),
        f"{day}/01/brief.md": article(f"{day} 简讯", "简讯正文。"),
        f"{day}/02/page.yaml": "name: 综合\n",
        f"{day}/02/lead-xu.md": article(None, "续文。", continues="01/lead"),
    }


class Paper:
    """A small archive in `folder`, and two build helpers: `warm()` builds with the cache into
    `out`, `cold()` builds the same content in full elsewhere."""

    def __init__(self, folder: Path, content: Path) -> None:
        self.folder = folder
        self.content, self.out = content, folder / "out"
        self.project = Project(content, self.out, folder / "templates", ROOT / "theme", folder / "images")

    def warm(self) -> Report:
        return build(self.project, jobs=1)

    def cold(self) -> Path:
        other = self.folder / "cold"
        shutil.rmtree(other, ignore_errors=True)
        build(Project(self.content, other, self.project.templates, self.project.theme, self.project.images), jobs=1, use_cache=False)
        return other

    def same_as_cold(self) -> bool:
        """The same files, byte for byte, and the same folders (none left empty behind)."""
        cold = self.cold()
        folders = [sorted(p.relative_to(root) for p in root.rglob("*") if p.is_dir()) for root in (self.out, cold)]
        return snapshot(self.out, marker=False) == snapshot(cold, marker=False) and folders[0] == folders[1]


@pytest.fixture
def paper(tmp_path: Path) -> Paper:
    """A small archive across two months, its own copy of the templates, and the build helpers."""
    site = "title: 测试日报\nbase_url: https://epaper.example.com/\n"  # so that the feeds and the sitemap are compared too
    content = write_tree(tmp_path / "content", {"site.yaml": site, **{k: v for d in DAYS for k, v in issue_files(d).items()}})
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return Paper(tmp_path, content)


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


# Edits of more than one step are functions: a lambda is one expression.
def remove_a_month(c: Path) -> None:
    for day in DAYS[:2]:
        shutil.rmtree(c / day)


def add_a_scan_with_areas(c: Path) -> None:
    write_tree(c, {"2021-12-01/01/page.yaml": "name: 要闻\nimage: scan.png\n", "2021-12-01/01/scan.png": scan_image(kind="PNG")})
    edit(c / "2021-12-01/01/lead.md", "title:", "area: [0, 0, 600, 400]\ntitle:")
    edit(c / "2021-12-01/01/brief.md", "title:", "area: [0, 400, 600, 900]\ntitle:")


def move_and_rename_an_article(c: Path) -> None:
    (c / "2021-11-30/01/brief.md").rename(c / "2021-11-30/02/kuaixun.md")
    edit(c / "2021-11-30/02/kuaixun.md", "title:", "moved_from: [01/brief]\ntitle:")


EDITS: dict[str, Callable[[Path], object]] = {
    "an article's text": lambda c: edit(c / "2021-12-01/01/brief.md", "简讯正文", "改过的简讯正文"),
    "a headline": lambda c: edit(c / "2021-11-30/01/brief.md", "简讯", "快讯"),
    "a page's name": lambda c: edit(c / "2021-12-01/02/page.yaml", "综合", "综合新闻"),
    "tomorrow's issue": lambda c: write_tree(c, issue_files("2021-12-03")),
    "an issue removed": lambda c: shutil.rmtree(c / "2021-12-02"),
    "a month removed": remove_a_month,
    "an old issue removed": lambda c: shutil.rmtree(c / "2021-11-29"),
    "an article made a draft": lambda c: edit(c / "2021-12-02/01/brief.md", "order", "draft: true\norder"),
    "an article removed": lambda c: (c / "2021-11-30/01/brief.md").unlink(),
    "an article's own glossary": lambda c: edit(c / "2021-12-01/01/brief.md", "order", "glossary:\n  简讯: {zh-Hant: 短訊}\norder"),
    "a page image": lambda c: write_tree(c, {"2021-12-01/01/photo.png": b"\x89PNG fake"}),
    "an issue number": lambda c: write_tree(c, {"2021-12-02/issue.yaml": "number: 100\n"}),
    "a page scan with areas": add_a_scan_with_areas,
    "an article moved and renamed": move_and_rename_an_article,
    "a page scan replaced": lambda c: write_tree(c, {"2021-12-01/01/scan.png": scan_image(kind="PNG", shade=5)}),
    "an area moved": lambda c: edit(c / "2021-12-01/01/lead.md", "area: [0, 0, 600, 400]", "area: [0, 0, 600, 380]"),  # after a scan with areas: its clip changes
}


@pytest.mark.parametrize("name", EDITS)
def test_a_cached_build_after_an_edit_equals_a_full_build(paper: Paper, name: str) -> None:
    assert not paper.warm().cached
    EDITS[name](paper.content)
    report = paper.warm()
    assert report.cached
    assert paper.same_as_cold()


def test_edits_one_after_another_stay_equal_to_full_builds(paper: Paper) -> None:
    paper.warm()
    names = ["tomorrow's issue", "a headline", "an article made a draft", "an issue removed", "a page image", "a page scan with areas", "an area moved", "a page scan replaced"]
    for name in [*names, "an article moved and renamed", "an old issue removed"]:
        EDITS[name](paper.content)
        assert paper.warm().cached
        assert paper.same_as_cold(), name


def test_an_area_moved_cuts_its_clip_again_and_rewrites_what_shows_it(paper: Paper) -> None:
    """Issue 18: a story's clip (剪报) is in its article pages' keys, as the scan's digest is in the page's."""
    add_a_scan_with_areas(paper.content)
    paper.warm()
    before = snapshot(paper.out)
    EDITS["an area moved"](paper.content)
    assert paper.warm().cached
    after = snapshot(paper.out)
    clips = {side: {p for p in files if "-clip-" in p} for side, files in (("before", before), ("after", after))}
    assert {p for p in clips["before"] if p.startswith("2021-12-01/01/brief-clip-")} == {p for p in clips["after"] if p.startswith("2021-12-01/01/brief-clip-")}  # its neighbour's kept
    gone, new = clips["before"] - clips["after"], clips["after"] - clips["before"]
    assert gone and new and all(p.startswith("2021-12-01/01/lead-clip-") for p in gone | new)  # the moved story's: under a new name
    rewritten = {p for p in after if before.get(p) != after[p] and not p.startswith("pagefind/")}
    assert {"2021-12-01/01/lead.html", "zh-hant/2021-12-01/01/lead.html", "2021-12-01/offline.json"} <= rewritten  # the story's page shows its clip
    assert "2021-12-01/01/brief.html" not in rewritten
    assert paper.same_as_cold()


def test_nothing_changed_writes_nothing(paper: Paper) -> None:
    paper.warm()
    before = stamps(paper.out)
    report = paper.warm()
    assert report.cached and report.files == 0
    assert stamps(paper.out) == before


def test_tomorrows_issue_rewrites_only_what_lists_it(paper: Paper) -> None:
    paper.warm()
    before = stamps(paper.out)
    write_tree(paper.content, issue_files("2021-12-03"))
    paper.warm()
    after = stamps(paper.out)
    rewritten = {path for path in after if before.get(path) != after[path]}
    for prefix in ("", "zh-hant/"):
        assert f"{prefix}2021-12-03/01/lead.html" in rewritten  # tomorrow's pages
        assert f"{prefix}2021-12-02/01/lead.html" in rewritten  # the day before: its "next issue" link
        assert f"{prefix}index.html" in rewritten and f"{prefix}archive/index.html" in rewritten
    expected = ("2021-12-03/", "2021-12-02/", "index.html", "archive/index.html", "archive/2021/index.html", "pagefind/2021-12/", "feed.xml", "rss.xml", "sitemap.xml")  # the archive: its year
    assert all(path.removeprefix("zh-hant/").startswith(expected) for path in rewritten), sorted(rewritten)
    assert not any("2021-12-01/" in p or "2021-11-" in p for p in rewritten)  # older issues and shards untouched
    assert paper.same_as_cold()


def test_a_story_edited_rewrites_its_pages_and_the_feeds_not_the_sitemap(paper: Paper) -> None:
    """What editors do all evening: the text of a story of the newest issue, no address or date."""
    paper.warm()
    before = stamps(paper.out)
    edit(paper.content / "2021-12-02/01/brief.md", "简讯正文", "改过的简讯正文")
    paper.warm()
    after = stamps(paper.out)
    rewritten = {path.removeprefix("zh-hant/") for path in after if before.get(path) != after[path]}
    searched = {path for path in rewritten if path.startswith("pagefind/")}
    assert searched and all(path.startswith("pagefind/2021-12/") for path in searched)  # its month's index
    offline = {"2021-12-02/offline.json"}  # the issue's list to read it offline: the article page's size changed
    assert rewritten - searched == {"2021-12-02/01/brief.html", "2021-12-02/issue.json", "feed.xml", "rss.xml", *offline}  # the page (版) shows only headlines
    assert paper.same_as_cold()


@pytest.mark.parametrize("change", ["template", "config", "glossary", "theme"])
def test_what_every_page_depends_on_means_a_full_build(paper: Paper, change: str) -> None:
    paper.warm()
    if change == "template":
        edit(paper.project.templates / "base.html", '<a class="skip"', '<a class="skip" data-x="1"')
    elif change == "config":
        edit(paper.content / "site.yaml", "测试日报", "测试晚报")
    elif change == "glossary":
        edit(paper.content / "site.yaml", "base_url:", "glossary:\n  简讯: {zh-Hant: 短訊}\nbase_url:")
    else:
        theme = paper.project.theme = paper.out.parent / "theme"
        shutil.copytree(ROOT / "theme", theme)
        edit(theme / "site.css", "}", "} ")
    report = paper.warm()
    assert not report.cached
    assert paper.same_as_cold()
    # The stories did not change: their conversions are the last build's, except where the
    # glossary changed what a conversion must give (scripts/memory.py).
    assert (report.conversions_recalled == 0) == (change == "glossary")


def test_a_cached_build_keeps_the_conversions_of_the_pages_it_did_not_rewrite(paper: Paper) -> None:
    """In the preview an edit rewrites one page of an issue and converts only its story (the
    issue's other stories keep their part of issue.json, and there is no search to read them);
    the next full build still finds every other story's conversion."""
    preview = Session()

    def recalled() -> int:
        return build(paper.project, jobs=1, search=False, session=preview).conversions_recalled

    recalled()
    edit(paper.content / "2021-12-01/01/brief.md", "简讯正文", "改过的简讯正文")
    recalled()  # a cached build: that page and those that list it
    edit(paper.content / "site.yaml", "测试日报", "测试晚报")
    after_an_edit = recalled()
    edit(paper.content / "site.yaml", "测试晚报", "测试日报")
    assert after_an_edit == recalled() > 0  # every one, the edited story's too


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", marshal.dumps({b"k" * 16: [["\u9519"]]})])  # unreadable, or another build's
def test_conversions_kept_that_cannot_be_read_are_made_again(paper: Paper, damage: bytes) -> None:
    paper.warm()
    for kept in cache.conversions_location(paper.out).iterdir():
        kept.write_bytes(damage)
    edit(paper.content / "site.yaml", "测试日报", "测试晚报")
    assert paper.warm().conversions_recalled == 0
    assert paper.same_as_cold()


def test_a_new_program_version_means_a_full_build(paper: Paper, monkeypatch: pytest.MonkeyPatch) -> None:
    paper.warm()
    monkeypatch.setattr(cache, "__version__", "9.9.9")
    assert not paper.warm().cached
    assert paper.warm().cached


@pytest.mark.parametrize("damage", [b"", b"not a cache", b"\x80\x05garbage", gzip.compress(b'{"format": 5}'), gzip.compress(b"[1, 2")])
def test_a_corrupt_cache_falls_back_to_a_full_build(paper: Paper, damage: bytes) -> None:
    paper.warm()
    place = cache.location(paper.out)
    place.write_bytes(damage if damage else place.read_bytes()[:40])
    EDITS["a headline"](paper.content)
    assert not paper.warm().cached
    assert paper.same_as_cold()
    assert paper.warm().cached  # and the cache is whole again


class Payload:
    """What a pickle beside dist/ could do when a build loads it: run anything."""

    def __init__(self, proof: Path):
        self.proof = proof

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.proof),))  # what pickle calls when it loads this


def test_a_cache_file_someone_wrote_runs_nothing(paper: Paper, tmp_path: Path) -> None:
    paper.warm()
    pickle.loads(pickle.dumps(Payload(tmp_path / "works")))
    assert (tmp_path / "works").is_dir()  # the payload is real: loading it runs it
    proof = tmp_path / "proof"
    cache.location(paper.out).write_bytes(pickle.dumps(Payload(proof)))
    assert not paper.warm().cached and not proof.exists()
    assert json.loads(gzip.decompress(cache.location(paper.out).read_bytes()))["format"] == cache.FORMAT  # data, not code


def test_a_replaced_output_is_never_patched(paper: Paper) -> None:
    paper.warm()
    shutil.rmtree(paper.out)
    shutil.copytree(paper.cold(), paper.out)  # another build's output: another token
    EDITS["a headline"](paper.content)
    assert not paper.warm().cached
    assert paper.same_as_cold()


def test_a_deleted_output_is_built_again_in_full(paper: Paper) -> None:
    paper.warm()
    shutil.rmtree(paper.out)
    assert not paper.warm().cached
    assert paper.same_as_cold()


def test_a_failed_cached_build_changes_nothing_and_keeps_the_cache(paper: Paper) -> None:
    paper.warm()
    before = stamps(paper.out)
    write_tree(paper.content, {"2021-12-03/01/page.yaml": "name: 要闻\n", "2021-12-03/01/bad.md": "---\ntitel: 错\n---\n正文\n"})
    with pytest.raises(ContentError) as failed:
        paper.warm()
    assert [str(f).split("（")[0] for f in failed.value.faults] == ["2021-12-03/01/bad.md:2: 未知字段“titel”"]
    assert stamps(paper.out) == before
    (paper.content / "2021-12-03/01/bad.md").write_text(article("改好了"), encoding="utf-8")
    assert paper.warm().cached
    assert paper.same_as_cold()


def test_the_sample_edition_through_the_command(tmp_path: Path) -> None:
    """The command line's cached build, on the sample edition, with search."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE, content)
    out = tmp_path / "out"
    assert "构建完成" in run("build", "--content", str(content), "--out", str(out)).out
    edit(content / "2021-12-11/01/gongnuan.md", "供暖", "供热")
    again = run("build", "--content", str(content), "--out", str(out))
    assert again.code == 0 and "增量构建" in again.out
    cold = tmp_path / "cold"
    assert run("build", "--content", str(content), "--out", str(cold), "--no-cache").code == 0
    assert snapshot(out, marker=False) == snapshot(cold, marker=False)
    assert os.path.exists(cache.location(out))
