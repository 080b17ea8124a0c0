"""Every fault of a tree, in one run, as `path:line: message`, with a non-zero exit."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Built, Tree, article, run

# Each case: the files that break a tree, and the `path:line:` each fault must start with.
CASES = {
    "broken YAML": ({"2021-12-10/01/a.md": "---\ntitle: 标题\nauthor: [张三\n---\n正文\n"}, ["2021-12-10/01/a.md:3: YAML 写法有误：方括号 [ ] 没有闭合"]),
    "YAML value with a colon": ({"2021-12-10/01/a.md": "---\ntitle: 标题\nkicker: 注意: 这里\n---\n正文\n"}, ["2021-12-10/01/a.md:3:"]),
    "tab indentation": ({"site.yaml": "title: 报\nglossary:\n\t在并: 在并\n"}, ["site.yaml:3:"]),
    "missing title": ({"2021-12-10/01/a.md": "---\nauthor: 张三\n---\n正文\n"}, ["2021-12-10/01/a.md:2: 缺少必填字段“title”"]),
    "wrong type": ({"2021-12-10/01/a.md": article("标题", order="第一")}, ["2021-12-10/01/a.md:3: 字段“order”应是整数"]),
    "number as title": ({"2021-12-10/01/a.md": "---\ntitle: 2021\n---\n正文\n"}, ["2021-12-10/01/a.md:2: 字段“title”应是一段文字；若要写数字 2021，请加引号"]),
    "draft not a boolean": ({"2021-12-10/01/a.md": article("标题", draft="是")}, ["2021-12-10/01/a.md:3: 字段“draft”应是 true 或 false"]),
    "unknown key": ({"2021-12-10/01/a.md": "---\ntitle: 标题\ntitel: 错\n---\n正文\n"}, ["2021-12-10/01/a.md:3: 未知字段“titel”（是不是 title？）"]),
    "duplicate key": ({"2021-12-10/01/a.md": "---\ntitle: 一\ntitle: 二\n---\n正文\n"}, ["2021-12-10/01/a.md:3: 字段“title”重复出现"]),
    "no front matter": ({"2021-12-10/01/a.md": "正文没有 front matter\n"}, ["2021-12-10/01/a.md:1:"]),
    "front matter not closed": ({"2021-12-10/01/a.md": "---\ntitle: 标题\n正文\n"}, ["2021-12-10/01/a.md:1: front matter 没有结束"]),
    "empty body": ({"2021-12-10/01/a.md": "---\ntitle: 标题\n---\n\n"}, ["2021-12-10/01/a.md:4: 正文是空的"]),
    "not UTF-8": ({"2021-12-10/01/a.md": "---\ntitle: 标题\n---\n第一行\n".encode() + "第二行 GBK".encode("gbk")}, ["2021-12-10/01/a.md:5: 文件不是 UTF-8 编码"]),
    "empty file": ({"2021-12-10/01/a.md": ""}, ["2021-12-10/01/a.md: 文件是空的"]),
    "bad issue date": ({"2021-02-30/01/a.md": article()}, ["2021-02-30: “2021-02-30”不是真实的日期"]),
    "folder that is not a date": ({"2021-12-10/01/a.md": article(), "drafts/x.md": "x"}, ["drafts: 期次文件夹须以出版日期命名"]),
    "stray file at the top": ({"2021-12-10/01/a.md": article(), "notes.txt": "x"}, ["notes.txt: 内容文件夹顶层只能有"]),
    "bad page label": ({"2021-12-10/01/a.md": article(), "2021-12-10/a1/b.md": article()}, ["2021-12-10/a1: 期次文件夹里只能有 issue.yaml 和版面文件夹"]),
    "two folders for one page": ({"2021-12-10/03/a.md": article(), "2021-12-10/3/b.md": article()}, ["2021-12-10/3: 与 2021-12-10/03 都是第3版"]),
    "page without page.yaml": ({"2021-12-10/01/a.md": article(), "2021-12-10/01/page.yaml": None}, ["2021-12-10/01/page.yaml: 缺少 page.yaml"]),
    "page.yaml without name": ({"2021-12-10/01/a.md": article(), "2021-12-10/01/page.yaml": "editor: 张三\n"}, ["2021-12-10/01/page.yaml:1: 缺少必填字段“name”"]),
    "issue without pages": ({"2021-12-10/01/a.md": article(), "2021-12-11/issue.yaml": "number: 3\n"}, ["2021-12-11: 这一期还没有版面"]),
    "bad issue number": ({"2021-12-10/01/a.md": article(), "2021-12-10/issue.yaml": "number: -3\n"}, ["2021-12-10/issue.yaml:1: 字段“number”应是正整数"]),
    "non-ASCII slug": ({"2021-12-10/01/数据中心.md": article()}, ["2021-12-10/01/数据中心.md: 文件名只能用小写英文字母"]),
    "spaced slug": ({"2021-12-10/01/Big News.md": article()}, ["2021-12-10/01/Big News.md: 文件名只能用"]),
    "unknown file in a page": ({"2021-12-10/01/a.md": article(), "2021-12-10/01/a.docx": "x"}, ["2021-12-10/01/a.docx: 版面文件夹里只能有"]),
    "missing image": ({"2021-12-10/01/a.md": article(body="说明。\n\n![图](nope.jpg)")}, ["2021-12-10/01/a.md:6: 图片“nope.jpg”不存在"]),
    "remote image": ({"2021-12-10/01/a.md": article(body="![图](https://cdn.example.com/a.jpg)")}, ["2021-12-10/01/a.md:4: 图片“https://cdn.example.com/a.jpg”应是本版文件夹中的文件名"]),
    "scan named in page.yaml is missing": (
        {"2021-12-10/01/a.md": article(), "2021-12-10/01/page.yaml": "name: 要闻\nimage: page.jpg\n"},
        ["2021-12-10/01/page.yaml:2: image 指向的文件“page.jpg”不在这个版面文件夹里"],
    ),
    "bad area": ({"2021-12-10/01/a.md": article(area="[300, 10, 100, 20]")}, ["2021-12-10/01/a.md:3: 字段“area”矩形应写成"]),
    "site.yaml missing": ({"site.yaml": None, "2021-12-10/01/a.md": article()}, ["site.yaml: 缺少 site.yaml"]),
    "asset folder that is not a folder name": ({"site.yaml": "title: 报\nassets: [2021-12-10]\n"}, ["site.yaml:2: 字段“assets”应是内容文件夹顶层素材文件夹名的列表"]),
    "site.yaml without title": ({"site.yaml": "language: zh-Hans\n"}, ["site.yaml:1: 缺少必填字段“title”"]),
    "unknown OpenCC config": ({"site.yaml": "title: 报\nvariants:\n  - {code: zh-Hant, label: 繁體, opencc: s2xx}\n"}, ["site.yaml:3: 字段“variants”的 opencc 应是"]),
    # Conversion (issue 19): s2twp rewrites news vocabulary, so it is refused with what to use instead
    "s2twp is no longer offered": (
        {"site.yaml": "title: 报\nvariants:\n  - {code: zh-Hant, label: 繁體, opencc: s2twp}\n"},
        ["site.yaml:3: 字段“variants”的 opencc：s2twp 除了换字还按台湾用语换词（社区→社群、支持→支援、发布→釋出、文件→檔案），会改动新闻的原意和机构名称，已不再提供。请改用 s2tw"],
    ),
    "quotes that are neither corner nor keep": (
        {"site.yaml": "title: 报\nvariants:\n  - {code: zh-Hant, label: 繁體, opencc: s2tw, quotes: fancy}\n"},
        ["site.yaml:3: 字段“variants”的 quotes 应是 corner（引号用「」『』）或 keep（引号照原样）"],
    ),
    "glossary for a variant that does not exist": (
        {"site.yaml": "title: 报\nglossary:\n  数据中心: {zh-TW: 資料中心}\n"},
        ["site.yaml:3: 字段“glossary”词条“数据中心”写了不存在的字形版本 zh-TW"],
    ),
    "glossary with an empty form": ({"site.yaml": "title: 报\nglossary:\n  在并: ''\n"}, ["site.yaml:3: 字段“glossary”词条“在并”的译法不能为空"]),
    "article glossary for a missing variant": (
        {"2021-12-10/01/a.md": "---\ntitle: 标\nglossary:\n  余小明: {zh-HK: 余小明}\n---\n正文\n"},
        ["2021-12-10/01/a.md:4: 字段“glossary”词条“余小明”写了不存在的字形版本 zh-HK"],
    ),
    # What a Chinese input method types, each at the line to change
    "a full-width colon": ({"2021-12-10/01/a.md": "---\ntitle: 标题\nkicker：引题\n---\n正文\n"}, ["2021-12-10/01/a.md:3: 这一行的冒号是全角的“：”"]),
    "a full-width colon on the only line": ({"2021-12-10/01/a.md": "---\ntitle：标题\n---\n正文\n"}, ["2021-12-10/01/a.md:2: 这一行的冒号是全角的“：”"]),
    "indented with full-width spaces": ({"site.yaml": "title: 报\nglossary:\n\u3000\u3000在并: 在并\n"}, ["site.yaml:3: 这一行用全角空格（　）缩进"]),
    "a full-width list mark": ({"2021-12-10/01/a.md": "---\ntitle: 标题\nauthor:\n－ 张三\n---\n正文\n"}, ["2021-12-10/01/a.md:4: 这一行的列表符号是全角的“－”"]),
    "a Chinese key for the title": ({"2021-12-10/01/a.md": "---\n标题: 标\n---\n正文\n"}, ["2021-12-10/01/a.md:2: 未知字段“标题”（是不是 title？）"]),
    "a Chinese key for the kicker": ({"2021-12-10/01/a.md": "---\ntitle: 标\n引题: 引\n---\n正文\n"}, ["2021-12-10/01/a.md:3: 未知字段“引题”（是不是 kicker？）"]),
    "a Chinese key for the subtitle": ({"2021-12-10/01/a.md": "---\ntitle: 标\n副题: 副\n---\n正文\n"}, ["2021-12-10/01/a.md:3: 未知字段“副题”（是不是 subtitle？）"]),
    "a Chinese key for the author": ({"2021-12-10/01/a.md": "---\ntitle: 标\n作者: 张三\n---\n正文\n"}, ["2021-12-10/01/a.md:3: 未知字段“作者”（是不是 author？）"]),
    "a Chinese key for the photographer": ({"2021-12-10/01/a.md": "---\ntitle: 标\n摄影: 李四\n---\n正文\n"}, ["2021-12-10/01/a.md:3: 未知字段“摄影”（是不是 photographer？）"]),
    "a Chinese key for the page's name": ({"2021-12-10/01/a.md": article(), "2021-12-10/01/page.yaml": "版名: 要闻\n"}, ["2021-12-10/01/page.yaml:1: 未知字段“版名”（是不是 name？）"]),
    "an empty kicker": ({"2021-12-10/01/a.md": "---\ntitle: 标题\nkicker:\n---\n正文\n"}, ["2021-12-10/01/a.md:3: 引题为空：删去这一行，或写上引题"]),
    "an unclosed bracket before another key": ({"2021-12-10/01/a.md": "---\ntitle: 标\nauthor: [张三\nkicker: 引\n---\n正文\n"}, ["2021-12-10/01/a.md:3: YAML 写法有误"]),
    # Jumps (转版)
    "continues a part that does not exist": (
        {"2021-12-10/03/b.md": article(None, continues="01/nope"), "2021-12-10/01/a.md": article()},
        ["2021-12-10/03/b.md:2: 接续的 01/nope 不存在"],
    ),
    "continues a part in another issue": (
        {"2021-12-09/01/a.md": article(), "2021-12-10/03/b.md": article(None, continues="2021-12-09/01/a")},
        ["2021-12-10/03/b.md:2: 续文只能接同一期的稿件"],
    ),
    "continues a malformed reference": ({"2021-12-10/03/b.md": article(None, continues="第一版/a")}, ["2021-12-10/03/b.md:2: 字段“continues”应写成“版号/文件名”"]),
    "continues itself": ({"2021-12-10/03/b.md": article(None, continues="03/b")}, ["2021-12-10/03/b.md:2: 稿件不能接续自己"]),
    "continues a part on the same page": (
        {"2021-12-10/03/a.md": article(), "2021-12-10/03/b.md": article(None, continues="03/a")},
        ["2021-12-10/03/b.md:2: 接续的 03/a 在同一版上"],
    ),
    "two parts continue the same part": (
        {"2021-12-10/01/a.md": article(), "2021-12-10/02/b.md": article(None, continues="01/a"), "2021-12-10/03/c.md": article(None, continues="01/a")},
        ["2021-12-10/03/c.md:2: 01/a 已由 02/b 接续"],
    ),
    "a loop of jumps": (
        {"2021-12-10/01/a.md": article(continues="02/b"), "2021-12-10/02/b.md": article(None, continues="01/a")},
        ["2021-12-10/01/a.md:3: 转版接成了一个圈"],
    ),
    "continues a draft": (
        {"2021-12-10/01/a.md": article(draft="true"), "2021-12-10/02/b.md": article(None, continues="01/a")},
        ["2021-12-10/02/b.md:2: 接续的 01/a 是草稿"],
    ),
    "typed marker that disagrees": (
        {"2021-12-10/01/a.md": article(body="第一段。\n\n（下转第5版）"), "2021-12-10/03/b.md": article(None, continues="01/a")},
        ["2021-12-10/01/a.md:6: 正文写着“（下转第5版）”，但续文实际在第3版"],
    ),
    "typed marker with nothing behind it": (
        {"2021-12-10/01/a.md": article(body="第一段。\n\n（下转第3版）")},
        ["2021-12-10/01/a.md:6: 正文写着“（下转第3版）”，但没有对应的续文"],
    ),
    "typed 上接 marker with nothing before it": (
        {"2021-12-10/03/a.md": article(body="(上接第1版)\n\n第二段。")},
        ["2021-12-10/03/a.md:4: 正文写着“(上接第1版)”，但没有对应的前文"],
    ),
    "typed 上接 marker that disagrees": (
        {"2021-12-10/01/a.md": article(), "2021-12-10/03/b.md": article(None, body="（上接第2版）正文。", continues="01/a")},
        ["2021-12-10/03/b.md:4: 正文写着“（上接第2版）”，但前文实际在第1版"],
    ),
}


@pytest.mark.parametrize("files, expected", CASES.values(), ids=CASES.keys())
def test_fault_is_reported_with_path_and_line(tree: Tree, tmp_path: Path, files: dict[str, str | bytes | None], expected: list[str]) -> None:
    files = dict(files)
    removed = [rel for rel, data in files.items() if data is None]
    content = tree({rel: data for rel, data in files.items() if data is not None})
    for rel in removed:
        (content / rel).unlink(missing_ok=True)
    result = run("check", "--content", str(content))
    assert result.code == 1
    lines = result.err.splitlines()
    for start in expected:
        assert any(line.startswith(start) for line in lines), f"{start!r} not in:\n{result.err}"
    assert "Traceback" not in result.err


def test_every_fault_of_the_tree_is_reported_in_one_run(tree: Tree) -> None:
    content = tree({
        "site.yaml": "title: 报\ntitel: 错\n",
        "2021-12-10/01/a.md": "---\ntitle: 一\norder: 第一\n---\n正文\n",
        "2021-12-10/01/数据.md": article(),
        "2021-12-10/03/b.md": article(None, continues="01/nope"),
        "2021-13-01/01/c.md": article(),
    })
    result = run("build", "--content", str(content), "--out", str(content.parent / "out"))
    assert result.code == 1
    faults = [line for line in result.err.splitlines() if ": " in line and not line.startswith("构建失败")]
    assert [f.split(":")[0] for f in faults] == ["2021-12-10/01/a.md", "2021-12-10/01/数据.md", "2021-12-10/03/b.md", "2021-13-01", "site.yaml"]


def test_faults_with_and_without_a_line_are_listed_together(tree: Tree) -> None:
    content = tree({"2021-12-10/01/数据.md": "---\ntitle: 2021\n---\n正文\n"})
    result = run("check", "--content", str(content))
    assert result.code == 1 and "内部错误" not in result.err
    assert "2021-12-10/01/数据.md: 文件名只能用" in result.err and "2021-12-10/01/数据.md:2: 字段“title”" in result.err


def test_a_file_with_a_bom_and_crlf_line_endings_is_fine(built: Built) -> None:
    out = built({"2021-12-10/01/a.md": "\ufeff---\r\ntitle: 标题\r\n---\r\n正文。\r\n"})
    assert "标题" in (out / "2021-12-10/01/a.html").read_text(encoding="utf-8")


def test_editor_leftovers_are_ignored(built: Built) -> None:
    out = built({"2021-12-10/01/a.md": article(), "2021-12-10/01/.DS_Store": "x", "2021-12-10/01/a.md~": "x", ".git-keep": ""})
    assert (out / "2021-12-10/01/a.html").exists()


def test_a_fault_in_a_storys_head_is_not_said_again_at_its_continuation(tree: Tree) -> None:
    content = tree({"2021-12-10/01/a.md": "---\ntitle: 一\ntitel: 错\n---\n正文\n", "2021-12-10/03/b.md": article(None, continues="01/a")})
    result = run("check", "--content", str(content))
    assert result.code == 1 and "2021-12-10/01/a.md:3: 未知字段“titel”" in result.err
    assert "2021-12-10/03/b.md" not in result.err, result.err


def test_a_full_width_colon_inside_a_value_is_fine(built: Built) -> None:
    out = built({"2021-12-10/01/a.md": "---\ntitle: 注意：这里是标题\nkicker: 引题：冒号\n---\n正文\n"})
    assert "注意：这里是标题" in (out / "2021-12-10/01/a.html").read_text(encoding="utf-8")
