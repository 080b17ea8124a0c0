"""Starting a paper and tomorrow's issue: `new site DIR` and `new issue DATE`."""

from __future__ import annotations

from pathlib import Path

from conftest import Tree, article, run, scan_image, snapshot


def test_a_new_paper_is_a_commented_site_yaml_that_checks(tmp_path: Path) -> None:
    made = run("new", "site", str(tmp_path / "paper"), "--title", "测试: 日报")
    assert made.code == 0, made.err
    text = (tmp_path / "paper/site.yaml").read_text(encoding="utf-8")
    assert text.startswith("#") and '"测试: 日报"' in text  # quoted: a colon in the name breaks no YAML
    assert run("check", "--content", str(tmp_path / "paper")).code == 0
    again = run("new", "site", str(tmp_path / "paper"))
    assert again.code == 2 and "已经有内容" in again.err and (tmp_path / "paper/site.yaml").read_text(encoding="utf-8") == text


def test_tomorrows_issue_has_the_latest_issues_pages_and_a_draft_to_copy(tree: Tree, tmp_path: Path) -> None:
    content = tree({
        "2021-12-09/01/page.yaml": "name: 旧版名\n",
        "2021-12-09/01/a.md": article(),
        "2021-12-10/01/page.yaml": "name: 要闻\neditor: 张三\nimage: page.jpg\n",
        "2021-12-10/01/page.jpg": scan_image(),
        "2021-12-10/01/a.md": article(),
        "2021-12-10/A03/page.yaml": "name: 专版\n",
        "2021-12-10/A03/b.md": article(),
    })
    made = run("new", "issue", "2021-12-11", "--content", str(content))
    assert made.code == 0, made.err
    issue = content / "2021-12-11"
    assert sorted(p.relative_to(issue).as_posix() for p in issue.rglob("*") if p.is_file()) == ["01/moban.md", "01/page.yaml", "A03/page.yaml"]
    assert (issue / "01/page.yaml").read_text(encoding="utf-8") == "name: 要闻\neditor: 张三\n"  # the scan is the new day's
    assert (issue / "A03/page.yaml").read_text(encoding="utf-8") == "name: 专版\n"
    checked = run("check", "--content", str(content), "--drafts")
    assert checked.code == 0, checked.err
    built = run("build", "--content", str(content), "--out", str(tmp_path / "out"), "--no-search")
    assert built.code == 0 and not (tmp_path / "out/2021-12-11/01/moban.html").exists()  # a draft: never published


def test_an_issue_that_exists_is_never_written_over(tree: Tree) -> None:
    content = tree({"2021-12-10/01/a.md": article()})
    before = snapshot(content)
    result = run("new", "issue", "2021-12-10", "--content", str(content))
    assert result.code == 2 and "已经有了" in result.err and snapshot(content) == before
    assert run("new", "issue", "2021-02-30", "--content", str(content)).code == 2


def test_the_first_issue_of_a_new_paper_has_a_front_page(tmp_path: Path) -> None:
    assert run("new", "site", str(tmp_path / "paper")).code == 0
    assert run("new", "issue", "2021-12-10", "--content", str(tmp_path / "paper")).code == 0
    assert (tmp_path / "paper/2021-12-10/01/page.yaml").read_text(encoding="utf-8") == "name: 要闻\n"
    assert run("check", "--content", str(tmp_path / "paper"), "--drafts").code == 0
