"""What the build promises about its output: all or nothing, byte-identical, never someone else's folder."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, article, run, snapshot, write_tree
from shuzibao.cli import main


def test_a_failed_build_leaves_the_published_output_byte_for_byte(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", {"2021-12-10/01/a.md": article("第一版")})
    out = tmp_path / "out"
    assert run("build", "--content", str(content), "--out", str(out)).code == 0
    before = snapshot(out)
    (content / "2021-12-11/01").mkdir(parents=True)
    (content / "2021-12-11/01/page.yaml").write_text("name: 要闻\n", encoding="utf-8")
    (content / "2021-12-11/01/b.md").write_text("---\ntitel: 错\n---\n正文\n", encoding="utf-8")
    result = run("build", "--content", str(content), "--out", str(out))
    assert result.code == 1 and "已发布的" in result.err
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.cache", ".out.conversions", ".out.search", "content", "out"]  # no staging folder left behind


def build_with_article_template(tmp_path: Path, content: Path, out: Path, replacement: str) -> tuple[int, str]:
    """Build with a copy of the templates whose article.html shows `replacement` for the headline."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "templates", project / "templates")
    (project / "theme").symlink_to(ROOT / "theme")
    changed = (ROOT / "templates/article.html").read_text().replace("{{ article.headline }}", replacement, 1)
    (project / "templates/article.html").write_text(changed)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["build", "--content", str(content), "--out", str(out)], root=project)
    return code, err.getvalue()


def test_a_broken_template_fails_the_build_without_touching_the_output(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", {"2021-12-10/01/a.md": article()})
    out = tmp_path / "out"
    out.mkdir()
    (out / ".shuzibao-output").write_text("")
    (out / "index.html").write_text("old")
    code, err = build_with_article_template(tmp_path, content, out, "{{ article.headline")
    assert code == 1
    assert re.match(r"templates/article.html:\d+: 模板错误", err)
    assert (out / "index.html").read_text() == "old"


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path: Path) -> None:
    content = ROOT / "content"
    first, second = tmp_path / "one", tmp_path / "two"
    assert run("build", "--content", str(content), "--out", str(first)).code == 0
    assert run("build", "--content", str(content), "--out", str(second)).code == 0
    assert snapshot(first, marker=False) == snapshot(second, marker=False)
    assert len(snapshot(first)) > 20


def test_the_build_refuses_to_replace_a_folder_it_did_not_make(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", {"2021-12-10/01/a.md": article()})
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete")
    result = run("build", "--content", str(content), "--out", str(precious))
    assert result.code == 1 and "不是本工具生成的" in result.err
    assert (precious / "thesis.txt").read_text() == "do not delete"


def test_a_rebuild_replaces_the_whole_output(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", {"2021-12-10/01/a.md": article(), "2021-12-10/01/b.md": article()})
    out = tmp_path / "out"
    run("build", "--content", str(content), "--out", str(out))
    (content / "2021-12-10/01/b.md").unlink()
    run("build", "--content", str(content), "--out", str(out))
    assert not (out / "2021-12-10/01/b.html").exists()


def test_cli_exit_codes_help_and_summary(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", {"2021-12-10/01/a.md": article(), "2021-12-10/03/b.md": article()})
    ok = run("build", "--content", str(content), "--out", str(tmp_path / "out"))
    assert ok.code == 0
    assert ok.out.startswith("构建完成：1 期，2 个版面，2 篇稿件，写入 ")
    assert run("check", "--content", str(content)).code == 0
    assert run("frobnicate").code == 2
    assert run("build", "--no-such-option").code == 2
    assert run("check", "--content", str(tmp_path / "nowhere")).code == 1


def test_the_command_itself_prints_help_and_no_traceback(tmp_path: Path) -> None:
    help_ = subprocess.run([sys.executable, "build.py", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert help_.returncode == 0 and "build" in help_.stdout and "check" in help_.stdout and "serve" in help_.stdout
    bad = write_tree(tmp_path / "content", {"2021-12-10/01/a.md": b"\xff\xfe not utf-8"})
    result = subprocess.run([sys.executable, "build.py", "build", "--content", str(bad), "--out", str(tmp_path / "o")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "2021-12-10/01/a.md:1: 文件不是 UTF-8 编码" in result.stderr


def test_a_build_on_several_cores_equals_a_build_on_one(tmp_path: Path) -> None:
    files = {f"2021-12-{day:02d}/0{page}/a{n}.md": article(f"第{day}日第{page}版第{n}篇") for day in range(1, 8) for page in (1, 2) for n in (1, 2)}
    files["2021-12-03/02/b.md"] = article(None, body="续文。", continues="01/a1")
    content = write_tree(tmp_path / "content", files)
    from shuzibao.cli import project

    one = project(ROOT, content, tmp_path / "one")
    many = project(ROOT, content, tmp_path / "many")
    from shuzibao.build.pipeline import build

    build(one, jobs=1)
    build(many, jobs=2)
    assert snapshot(one.out, marker=False) == snapshot(many.out, marker=False)


def test_a_template_that_breaks_on_some_article_names_its_line(tmp_path: Path) -> None:
    files = {f"2021-12-{day:02d}/01/a.md": article(f"第{day}日") for day in range(1, 6)}
    content = write_tree(tmp_path / "content", files)
    code, err = build_with_article_template(tmp_path, content, tmp_path / "out", "{{ article.headline.no_such_thing.again }}")
    assert code == 1
    assert re.match(r"templates/article.html:\d+: 模板错误", err), err
    assert not (tmp_path / "out").exists()


def test_no_search_skips_only_the_index(tmp_path: Path) -> None:
    with_search, without = tmp_path / "with", tmp_path / "without"
    assert run("build", "--out", str(with_search)).code == 0
    assert run("build", "--out", str(without), "--no-search").code == 0
    pages = {k: v for k, v in snapshot(with_search, marker=False).items() if "pagefind/" not in k}
    assert pages == snapshot(without, marker=False)
    assert any("pagefind/" in k for k in snapshot(with_search))


def test_workers_spawned_as_on_windows_and_macos_build_what_forked_ones_build(tmp_path: Path) -> None:
    """Windows and macOS start workers with spawn (no fork): the job goes to them pickled."""
    files = {f"2021-12-{day:02d}/0{page}/a{n}.md": article(f"第{day}日第{page}版第{n}篇") for day in range(1, 9) for page in (1, 2) for n in (1, 2)}
    files["2021-12-03/02/b.md"] = article(None, body="续文。", continues="01/a1")
    content = write_tree(tmp_path / "content", {"site.yaml": "title: 报\nbase_url: https://e.example.com/\n", **files})
    from shuzibao.build.pipeline import build
    from shuzibao.cli import project

    forked, spawned = project(ROOT, content, tmp_path / "forked"), project(ROOT, content, tmp_path / "spawned")
    build(forked, jobs=2, start_method="fork")
    build(spawned, jobs=2, start_method="spawn")
    assert snapshot(forked.out, marker=False) == snapshot(spawned.out, marker=False)
    for day in range(1, 9):  # a cached build that reads every issue again, on spawned workers too
        (content / f"2021-12-{day:02d}/01/a1.md").write_text(article(f"改过的第{day}日"), encoding="utf-8")
    assert build(forked, jobs=2, start_method="fork").cached and build(spawned, jobs=2, start_method="spawn").cached
    assert snapshot(forked.out, marker=False) == snapshot(spawned.out, marker=False)


def test_a_long_build_shows_its_progress_on_a_terminal_and_plain_lines_in_a_log(tmp_path: Path) -> None:
    import pty

    files = {f"2021-11-{day:02d}/01/a.md": article(f"第{day}日") for day in range(1, 25)}
    content = write_tree(tmp_path / "content", files)
    command = [sys.executable, "build.py", "build", "--content", str(content), "--no-cache", "-j", "1"]
    logged = subprocess.run([*command, "--out", str(tmp_path / "logged")], cwd=ROOT, capture_output=True, text=True)
    assert logged.returncode == 0, logged.stderr
    steps = [line for line in logged.stderr.splitlines() if line.startswith("读取、检查、生成：")]
    assert steps[-1] == "读取、检查、生成：24/24 期" and 5 <= len(steps) <= 12  # a line at every tenth, not one per issue
    assert "\x1b[" not in logged.stderr  # no escape codes in a log
    screen, terminal = pty.openpty()
    shown = subprocess.Popen([*command, "--out", str(tmp_path / "shown")], cwd=ROOT, stdout=terminal, stderr=terminal)
    os.close(terminal)
    seen = b""
    with contextlib.suppress(OSError):  # the terminal closes when the build ends
        while chunk := os.read(screen, 4096):
            seen += chunk
    assert shown.wait() == 0
    text = seen.decode("utf-8", "replace")
    assert "读取、检查、生成" in text and "━" in text and "\x1b[" in text  # a bar, drawn in place
    assert "读取、检查、生成：" not in text  # not the log's lines
