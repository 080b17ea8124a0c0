"""Hostile and unlucky content: every fault at its `path:line`, the run going on to the next one,
nothing read from outside the tree, nothing generated overwritten, nothing XML cannot hold and
no script published, and time that stays in proportion to the text."""

from __future__ import annotations

import os
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest

from conftest import Tree, article, run, write_tree

# A fault elsewhere in the same tree, so that each case also proves that the run goes on.
OTHER = {"2021-12-11/01/other.md": "---\ntitle: 一\ntitel: 错\n---\n正文\n"}
OTHER_FAULT = "2021-12-11/01/other.md:3: 未知字段“titel”"
ALIASES = "l0: &l0 [x, x, x, x]\n" + "".join(f"l{n}: &l{n} [*l{n - 1}, *l{n - 1}, *l{n - 1}, *l{n - 1}]\n" for n in range(1, 12))
CLEAN_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def svg(before_rect: str = "", in_root: str = "", prolog: str = "") -> dict[str, str | bytes]:
    """A page with an SVG beside its article, with something put into the SVG."""
    drawn = prolog + CLEAN_SVG.replace("<rect", before_rect + "<rect").replace("<svg ", f"<svg {in_root}")
    return {"2021-12-10/01/a.md": article(), "2021-12-10/01/x.svg": drawn}


CASES: dict[str, tuple[dict[str, str | bytes], list[str]]] = {
    # YAML that parses but cannot be made into a value
    "an impossible date": ({"2021-12-10/01/a.md": "---\ntitle: 标题\nkicker: 2021-02-29\n---\n正文\n"}, ["2021-12-10/01/a.md:3: YAML 写法有误：没有这一天的日期"]),
    "an unknown !! tag": ({"2021-12-10/01/a.md": "---\ntitle: !!python/object:os.system ls\n---\n正文\n"}, ["2021-12-10/01/a.md:2: YAML 写法有误：用了不认识的 !! 类型标记"]),
    "a number of thousands of digits": ({"2021-12-10/01/a.md": f"---\ntitle: 标题\norder: {'7' * 5000}\n---\n正文\n"}, ["2021-12-10/01/a.md:3: YAML 写法有误：数字太长"]),
    "a recursive alias": ({"2021-12-10/01/a.md": "---\ntitle: 标题\nauthor: &a [*a]\n---\n正文\n"}, ["2021-12-10/01/a.md:2: YAML 的别名（& 和 *）展开后太大"]),
    "a chain of aliases": ({"site.yaml": "title: 报\n" + ALIASES}, ["site.yaml:1: YAML 的别名（& 和 *）展开后太大"]),
    "nesting without end": ({"2021-12-10/01/a.md": "---\ntitle: 标题\nauthor: " + "[" * 5000 + "]" * 5000 + "\n---\n正文\n"}, ["2021-12-10/01/a.md:"]),
    "a coordinate beyond any float": ({"2021-12-10/01/a.md": article(area="[0, 0, 1.0e+999, .nan]")}, ["2021-12-10/01/a.md:3: 字段“area”坐标 inf 不是图上的像素位置"]),
    "a coordinate of hundreds of digits": ({"2021-12-10/01/a.md": article(area=f"[0, 0, {'9' * 400}, 20]")}, ["2021-12-10/01/a.md:3: 字段“area”坐标"]),
    "a date where text is meant": ({"2021-12-10/01/a.md": "---\ntitle: 2021-12-10\n---\n正文\n"}, ["2021-12-10/01/a.md:2: 字段“title”应是一段文字；2021-12-10 会被当成日期，请加引号"]),
    "yes where text is meant": ({"2021-12-10/01/a.md": "---\ntitle: yes\n---\n正文\n"}, ["2021-12-10/01/a.md:2: 字段“title”应是一段文字；yes、no、true、false"]),
    "a NUL from a YAML escape": ({"2021-12-10/01/a.md": '---\ntitle: "标\\0题"\n---\n正文\n'}, ["2021-12-10/01/a.md:2: 字段“title”含有看不见的控制字符 U+0000"]),
    "a control character from a YAML escape": (
        {"2021-12-10/01/page.yaml": 'name: "要\\x0b闻"\n', "2021-12-10/01/a.md": article()},
        ["2021-12-10/01/page.yaml:1: 字段“name”含有看不见的控制字符 U+000B"],
    ),
    "a YAML fault on the last line of the front matter": ({"2021-12-10/01/a.md": "---\ntitle: 标题\n kicker: 缩进错了\n---\n正文\n"}, ["2021-12-10/01/a.md:3: YAML 写法有误"]),
    # The glossary cannot corrupt a site
    "an empty glossary phrase": ({"site.yaml": "title: 报\nglossary:\n  '': 空\n"}, ["site.yaml:3: 字段“glossary”有一个词条的原词“”是空的或没有文字"]),
    "a blank glossary phrase": ({"site.yaml": "title: 报\nglossary:\n  '  ': 空\n"}, ["site.yaml:3: 字段“glossary”有一个词条的原词"]),
    "a glossary phrase of an invisible character": ({"2021-12-10/01/a.md": "---\ntitle: 标\nglossary:\n  \"\\u200b\": 空\n---\n正文\n"}, ["2021-12-10/01/a.md:4: 字段“glossary”有一个词条的原词"]),
    # Generated pages cannot be overwritten by content
    "an article named index": ({"2021-12-10/01/index.md": article()}, ["2021-12-10/01/index.md: 文件名“index”留给版面本身的页面"]),
    "an old address that is a page's own page": ({"2021-12-10/01/a.md": article(moved_from="[02/index]")}, ["2021-12-10/01/a.md:3: 字段“moved_from”的“02/index”是那个版面本身的网址"]),
    "an asset folder named like the theme": ({"site.yaml": "title: 报\nassets: [Theme]\n", "Theme/x.css": "x", "2021-12-10/01/a.md": article()}, ["site.yaml:2: 素材文件夹不能叫“Theme”"]),
    "an asset folder named like a script's folder": ({"site.yaml": "title: 报\nassets: [zh-hant]\n", "zh-hant/x.css": "x"}, ["site.yaml:2: 素材文件夹不能叫“zh-hant”"]),
    "two scripts whose codes differ in case": (
        {"site.yaml": "title: 报\nvariants:\n  - {code: zh-Hant, label: 繁體, opencc: s2tw}\n  - {code: zh-hant, label: 正體, opencc: s2t}\n"},
        ["site.yaml:4: 字段“variants”的 code 应是互不相同的语言代码"],
    ),
    "a script that is the source again": ({"site.yaml": "title: 报\nvariants:\n  - {code: zh-hans, label: 简, opencc: s2t}\n"}, ["site.yaml:3: 字形版本 zh-hans 就是原稿的字形"]),
    "a script with an empty label": ({"site.yaml": "title: 报\nvariants:\n  - {code: zh-Hant, label: '', opencc: s2tw}\n"}, ["site.yaml:3: 字段“variants”的 label 不能为空"]),
    # No script in the site's origin
    "an SVG with a script": (svg("<script>alert(1)</script>"), ["2021-12-10/01/x.svg: SVG 图片含有<script> 元素"]),
    "an SVG with an event handler": (svg(in_root='onload="alert(1)" '), ["2021-12-10/01/x.svg: SVG 图片含有事件属性 onload"]),
    "an SVG linking to script": (svg('<a href=" java\tscript:alert(1)"><text>x</text></a>'), ["2021-12-10/01/x.svg: SVG 图片含有属性 href 里的脚本地址"]),
    "an SVG with embedded HTML": (svg("<foreignObject><p>x</p></foreignObject>"), ["2021-12-10/01/x.svg: SVG 图片含有<foreignobject> 元素"]),
    "an SVG with entities": (svg(prolog='<!DOCTYPE svg [<!ENTITY a "aa">]>'), ["2021-12-10/01/x.svg: SVG 图片含有文档类型声明"]),
    "an SVG with a script in an asset folder": (
        {"site.yaml": "title: 报\nassets: [images]\n", "images/logo.svg": CLEAN_SVG.replace("<rect", "<script>x()</script><rect")},
        ["images/logo.svg: SVG 图片含有<script> 元素"],
    ),
    # Images
    "a reference to something that is not an image": (
        {"2021-12-10/01/a.md": article(body="![版面](page.pdf)"), "2021-12-10/01/page.pdf": b"%PDF-1.4\n%%EOF\n"},
        ["2021-12-10/01/a.md:4: “page.pdf”不是图片"],
    ),
    "an image on a later line of a paragraph": ({"2021-12-10/01/a.md": article(body="第一行，\n第二行，\n![图](nope.jpg)")}, ["2021-12-10/01/a.md:6: 图片“nope.jpg”不存在"]),
    "an image whose name has a space, not in angle brackets": (
        {"2021-12-10/01/a.md": article(body="说明：\n![图](照片 1.png)"), "2021-12-10/01/照片 1.png": b"\x89PNG"},
        ["2021-12-10/01/a.md:5: “![图](照片 1.png)”不是图片"],
    ),
    "a marker on a later line of a paragraph": ({"2021-12-10/01/a.md": article(body="第一行，\n第二行。（下转第5版）")}, ["2021-12-10/01/a.md:5: 正文写着“（下转第5版）”"]),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_hostile_content_is_a_fault_at_its_line_and_the_run_goes_on(tree: Tree, files: dict[str, str | bytes], expected: list[str]) -> None:
    content = tree({"2021-12-10/01/ok.md": article("好的"), **OTHER, **files})
    for command in ("check", "build"):
        result = run(command, "--content", str(content), *(["--out", str(content.parent / "out")] if command == "build" else []))
        lines = result.err.splitlines()
        assert result.code == 1, result.err
        for start in [*expected, OTHER_FAULT]:
            assert any(line.startswith(start) for line in lines), f"{command}: {start!r} not in:\n{result.err}"
        assert "Traceback" not in result.err and "内部错误" not in result.err
    assert not (content.parent / "out").exists()


def link(content: Path, rel: str, target: str | Path) -> None:
    (content / rel).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, content / rel)


def link_moved(content: Path, rel: str, elsewhere: Path) -> None:
    """Move a file of the tree to `elsewhere` and leave a link to it in its place."""
    (content / rel).rename(elsewhere)
    os.symlink(elsewhere, content / rel)


def link_loop(content: Path, one: str, other: str) -> None:
    link(content, one, content / other)
    link(content, other, content / one)


# Each: how the link is made, and the path its fault names.
SYMLINKS: dict[str, tuple[Callable[[Path], object], str]] = {
    "a page file pointing at a system file": (lambda c: link(c, "2021-12-10/01/page.pdf", "/etc/passwd"), "2021-12-10/01/page.pdf"),
    "a dangling link": (lambda c: link(c, "2021-12-10/01/photo.jpg", c / "nowhere.jpg"), "2021-12-10/01/photo.jpg"),
    "a loop of links": (lambda c: link_loop(c, "2021-12-10/01/a.png", "2021-12-10/01/b.png"), "2021-12-10/01/a.png"),
    "a linked article": (lambda c: link(c, "2021-12-10/01/copy.md", c / "2021-12-10/01/ok.md"), "2021-12-10/01/copy.md"),
    "a linked page folder": (lambda c: link(c, "2021-12-10/02", c / "2021-12-10/01"), "2021-12-10/02"),
    "a linked issue folder": (lambda c: link(c, "2021-12-12", c / "2021-12-10"), "2021-12-12"),
    "a linked site.yaml": (lambda c: link_moved(c, "site.yaml", c.parent / "site.yaml"), "site.yaml"),
    "a linked page.yaml": (lambda c: link_moved(c, "2021-12-10/01/page.yaml", c.parent / "page.yaml"), "2021-12-10/01/page.yaml"),
    "a link in an asset folder": (lambda c: link(c, "images/passwd.css", "/etc/passwd"), "images/passwd.css"),
    "a linked folder in an asset folder": (lambda c: link(c, "images/etc", "/etc"), "images/etc"),
}


@pytest.mark.parametrize("name", SYMLINKS)
def test_a_symlink_anywhere_in_the_tree_is_a_fault_and_nothing_outside_is_read(tree: Tree, name: str) -> None:
    content = tree({"site.yaml": "title: 报\nassets: [images]\n", "images/site.css": "body{}", "2021-12-10/01/ok.md": article("好的")})
    make, where = SYMLINKS[name]
    make(content)
    out = content.parent / "out"
    for command in ("check", "build"):
        result = run(command, "--content", str(content), *(["--out", str(out)] if command == "build" else []))
        assert result.code == 1, result.err
        assert any(line.startswith(f"{where}: 这是一个符号链接") for line in result.err.splitlines()), result.err
        assert "Traceback" not in result.err and "root:" not in result.err
    assert not out.exists()


def test_word_line_breaks_and_other_invisible_characters_never_reach_a_page_or_a_feed(tree: Tree) -> None:
    content = tree({
        "site.yaml": "title: 报\nbase_url: https://epaper.example.com/\n",
        "2021-12-10/01/a.md": "---\ntitle: 标题\n---\n第一句\x0b第二句\x01。\n",
    })
    out = content.parent / "out"
    result = run("build", "--content", str(content), "--out", str(out), "--no-search")
    assert result.code == 0, result.err
    assert "2021-12-10/01/a.md:4: 警告：这一行有看不见的控制字符 U+000B" in result.err
    for path in out.rglob("*"):
        if path.suffix in (".html", ".xml", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "\x0b" not in text and "\x01" not in text, path
    for feed in ("feed.xml", "rss.xml"):
        ElementTree.parse(out / feed)  # well-formed
        assert not feedparser.parse(str(out / feed)).bozo
    assert "第一句第二句。" in (out / "2021-12-10/01/a.html").read_text(encoding="utf-8")


def test_images_with_chinese_or_spaced_names_are_found_and_linked(tree: Tree) -> None:
    body = "![图片说明](<照片 1.png>)\n\n![又一张](%E7%85%A7%E7%89%87%201.png)\n\n![第三张](图二.png)"
    content = tree({"2021-12-10/01/a.md": article(body=body), "2021-12-10/01/照片 1.png": b"\x89PNG\r\n\x1a\n", "2021-12-10/01/图二.png": b"\x89PNG\r\n\x1a\n"})
    out = content.parent / "out"
    result = run("build", "--content", str(content), "--out", str(out), "--no-search")
    assert result.code == 0, result.err
    assert (out / "2021-12-10/01/照片 1.png").is_file() and (out / "2021-12-10/01/图二.png").is_file()
    page = (out / "2021-12-10/01/a.html").read_text(encoding="utf-8")
    assert page.count('src="%E7%85%A7%E7%89%87%201.png"') == 2 and 'src="%E5%9B%BE%E4%BA%8C.png"' in page


def test_a_clean_svg_is_published(tree: Tree) -> None:
    content = tree({"2021-12-10/01/a.md": article(body="![图](x.svg)"), "2021-12-10/01/x.svg": CLEAN_SVG})
    assert run("build", "--content", str(content), "--out", str(content.parent / "out"), "--no-search").code == 0


def build_seconds(folder: Path, body: str) -> float:
    content = write_tree(folder / "content", {"2021-12-10/01/a.md": article("标题", body=body)})
    start = time.perf_counter()
    result = run("build", "--content", str(content), "--out", str(folder / "out"), "--no-search", "--no-cache", "-j", "1")
    assert result.code == 0, result.err
    return time.perf_counter() - start


def test_time_stays_in_proportion_to_the_text(tmp_path: Path) -> None:
    """Headings, tables and aliases cost about what as much plain text costs, measured in one run."""
    count = 3000
    plain = build_seconds(tmp_path / "plain", "\n\n".join(f"第{i}段正文。第{i}段正文。" for i in range(count)))
    headings = build_seconds(tmp_path / "headings", "\n\n".join(f"## 第{i}个小标题" for i in range(count)))
    table = build_seconds(tmp_path / "table", "| 甲 | 乙 |\n|---|---|\n" + "\n".join(f"| {i} | 第{i}行 |" for i in range(count)))
    assert headings < 3 * plain and table < 3 * plain, (plain, headings, table)
    start = time.perf_counter()
    aliases = write_tree(tmp_path / "aliases", {"site.yaml": "title: 报\n" + ALIASES, "2021-12-10/01/a.md": article()})
    assert run("check", "--content", str(aliases)).code == 1
    assert time.perf_counter() - start < 3 * plain
