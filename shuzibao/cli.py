"""The command line: `build`, `check`, `serve`, `import`, `clean` and `new`; each command's work
lives in its stage (pdf_import/command.py, preview/cleaning.py, content/starting.py). Exit 0 on
success, 1 on content faults, 2 on wrong usage, 3 on a fault of the program or the machine."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeRemainingColumn
from rich.progress import Progress as RichProgress

from .build.pipeline import Progress, Project, Report, SearchFailed, build, check
from .build.staging import PublishFailed
from .content import starting
from .faults import EXIT_BUG, EXIT_FAULTS, EXIT_OK, EXIT_USAGE, ContentError, print_faults
from .pdf_import import command as importing
from .preview import cleaning
from .preview.rebuild import Preview, Watching, build_forever, preview_folder, prune_previews
from .preview.server import DEFAULT_PORT, CannotListen, LiveState, address, listen
from .scripts import command as converting  # `convert`: a text as the build converts it, --explain


def parser(root: Path) -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="build.py", description="Build the digital edition (数字报) from a content tree.")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def content_option(command: argparse.ArgumentParser) -> None:
        command.add_argument("--content", type=Path, default=root / "content", help="the content folder (default: content/)")

    build_cmd = commands.add_parser("build", help="build the site into the output folder")
    content_option(build_cmd)
    build_cmd.add_argument("--out", type=Path, default=root / "dist", help="the output folder (default: dist/)")
    build_cmd.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    build_cmd.add_argument("--no-search", action="store_true", help="skip the search index (pages are the same)")
    build_cmd.add_argument("--no-cache", action="store_true", help="ignore the build cache: build everything (and cache it anew)")
    build_cmd.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: every core)")
    build_cmd.add_argument("-v", "--verbose", action="store_true", help="print how long each phase took")
    build_cmd.add_argument("--strict", action="store_true", help="a warning fails the build, as a fault does")

    check_cmd = commands.add_parser("check", help="validate the content tree, write nothing")
    content_option(check_cmd)
    check_cmd.add_argument("--drafts", action="store_true", help="check as a build with drafts would")
    check_cmd.add_argument("--strict", action="store_true", help="a warning fails the check, as a fault does")

    serve_cmd = commands.add_parser("serve", help="build with drafts and preview on http://127.0.0.1:8000/")
    content_option(serve_cmd)
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve_cmd.add_argument("--port", type=port_number, default=None, help=f"port (default: {DEFAULT_PORT}, or the next free one; 0 picks any free one)")
    serve_cmd.add_argument("--poll", action="store_true", help="poll for changes (network drives, containers)")
    importing.add_parser(commands, root)
    cleaning.add_parser(commands, root)
    converting.add_parser(commands, root)
    new_cmd = commands.add_parser("new", help="start tomorrow's issue (new issue DATE) or a new paper (new site DIR)")
    kinds = new_cmd.add_subparsers(dest="kind", required=True, metavar="KIND")
    issue_cmd = kinds.add_parser("issue", help="the issue folder, its pages as the latest issue has them, and an article to copy")
    issue_cmd.add_argument("date", help="the issue's date, YYYY-MM-DD")
    content_option(issue_cmd)
    site_cmd = kinds.add_parser("site", help="a new paper's content folder with a commented site.yaml")
    site_cmd.add_argument("folder", type=Path, help="the new content folder")
    site_cmd.add_argument("--title", default="某某日报", help="the paper's name (default: 某某日报)")
    return main


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    """The command, for the project folder `root`: its content/ and dist/ are the defaults, and
    its templates/ and theme/, where it has them, the site's look (build.py passes its own folder,
    python -m shuzibao the working folder)."""
    root = root or Path.cwd()
    args = parser(root).parse_args(argv)
    try:
        if args.command == "build":
            options = {"drafts": args.drafts, "search": not args.no_search, "use_cache": not args.no_cache, "jobs": args.jobs, "strict": args.strict, "discard_later": True}
            return run_build(project(root, args.content, args.out), args.verbose, **options)
        if args.command == "check":
            return run_check(args.content, args.drafts, args.strict)
        if args.command == "clean":
            return cleaning.run_clean(args.out, user_cache())
        if args.command == "import":
            return importing.run_import(args)
        if args.command == "convert":
            return converting.run_convert(args)
        if args.command == "new":
            return run_new(args)
        return run_serve(root, args.content, args.host, args.port, args.poll)
    except KeyboardInterrupt:
        return EXIT_OK
    except Exception as error:  # an editor never sees a traceback; a developer can ask for one
        if os.environ.get("SHUZIBAO_DEBUG"):
            raise
        print(f"内部错误（程序的问题，不是稿件的问题）：{type(error).__name__}: {error}", file=sys.stderr)
        print("请把这一行告诉技术同事；设置 SHUZIBAO_DEBUG=1 可看到详细信息。", file=sys.stderr)
        return EXIT_BUG


def project(root: Path, content: Path, out: Path) -> Project:
    """The folder `root`'s own templates/ and theme/, where it has them, else the program's."""
    templates, theme = (root / name if (root / name).is_dir() else own for name, own in zip(("templates", "theme"), program_files(), strict=True))
    return Project(content=content, out=out, templates=templates, theme=theme, images=user_cache() / "images")


def program_files() -> tuple[Path, Path]:
    """The templates and theme the program comes with: inside the package once installed
    (pyproject.toml puts them there), beside it in a checkout (the repository's own)."""
    package = Path(__file__).resolve().parent
    for base in (package, package.parent):
        if (base / "templates").is_dir() and (base / "theme").is_dir():
            return base / "templates", base / "theme"
    raise FileNotFoundError(f"templates/ and theme/ are neither inside nor beside {package}: install the program again")


def user_cache() -> Path:
    """This machine's cache folder for the tool: what any build or preview may reuse."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "shuzibao"


def run_build(proj: Project, verbose: bool, **options: Any) -> int:
    try:
        with progress_shown() as progress:
            report = build(proj, progress=progress, **options)
    except ContentError as error:
        print_faults(error.faults)
        what = f"{len(error.faults)} 处错误" if not all(f.warning for f in error.faults) else f"{len(error.faults)} 条警告（--strict：警告也算作错误）"
        print(f"构建失败：{what}，已发布的 {proj.out} 保持不变。", file=sys.stderr)
        return EXIT_FAULTS
    except SearchFailed as error:
        print(f"搜索索引生成失败（Pagefind）：{'; '.join(error.args[0])}", file=sys.stderr)
        print(f"已发布的 {proj.out} 保持不变。", file=sys.stderr)
        return EXIT_BUG
    except PublishFailed as error:
        print(f"发布失败：{error}。已发布的 {proj.out} 保持不变；请检查文件夹的权限和磁盘空间后再构建。", file=sys.stderr)
        return EXIT_BUG
    print_faults(report.warnings)
    print(summary(report, proj.out))
    if verbose:
        print("  " + "，".join(f"{name} {seconds:.2f} 秒" for name, seconds in report.timings.items()))
    return EXIT_OK


def summary(report: Report, out: Path) -> str:
    how = "增量构建（只重写有变化的文件）" if report.cached else "构建"
    return (
        f"{how}完成：{report.issues} 期，{report.pages} 个版面，{report.articles} 篇稿件，"
        f"写入 {report.files} 个文件{f'（新处理 {report.scans_made} 张版面图）' if report.scans_made else ''}，用时 {report.seconds:.2f} 秒 → {out}"
    )


def run_check(content: Path, drafts: bool, strict: bool = False) -> int:
    try:
        report = check(content, drafts, strict=strict)
    except ContentError as error:
        print_faults(error.faults)
        what = f"{len(error.faults)} 处错误" if not all(f.warning for f in error.faults) else f"{len(error.faults)} 条警告（--strict：警告也算作错误）"
        print(f"检查未通过：{what}。", file=sys.stderr)
        return EXIT_FAULTS
    print_faults(report.warnings)
    print(f"检查通过：{report.issues} 期，{report.pages} 个版面，{report.articles} 篇稿件。")
    return EXIT_OK


def run_new(args: argparse.Namespace) -> int:
    try:
        if args.kind == "site":
            made = [starting.new_site(args.folder, args.title)]
            then = f"下一步：shuzibao new issue {dt.date.today().isoformat()} --content {args.folder}"
        else:
            made = starting.new_issue(args.content, args.date)
            then = f"下一步：复制 {made[1].name} 写稿件，用 make serve（或 shuzibao serve）预览" if len(made) > 1 else ""
    except starting.Refused as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    print("已新建：", *(f"  {path}" for path in made), then, sep="\n")
    return EXIT_OK


PHASES = {"issues": "读取、检查、生成", "search": "搜索索引"}
STEPS = {"issues": "期", "search": "个索引"}


@contextlib.contextmanager
def progress_shown() -> Iterator[Progress]:
    """What a long build is doing: on a terminal a bar per phase (done of all, time left, with
    rich); in a log (CI, a redirect), a plain line at every tenth of a phase of ten steps or more
    (a shorter one is over before a line would help)."""
    if not sys.stderr.isatty():
        last: dict[str, int] = {}

        def line(phase: str, done: int, total: int) -> None:
            tenth = done * 10 // max(total, 1)
            if total >= 10 and tenth != last.get(phase):
                last[phase] = tenth
                print(f"{PHASES[phase]}：{done}/{total} {STEPS[phase]}", file=sys.stderr, flush=True)

        yield line
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("剩余"), TimeRemainingColumn())
    with RichProgress(*columns, console=Console(stderr=True), transient=True) as shown:
        tasks: dict[str, TaskID] = {}

        def bar(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = shown.add_task(PHASES[phase], total=total)
            shown.update(tasks[phase], completed=done, total=total)

        yield bar


def port_number(text: str) -> int:
    """--port: 0 to 65535 (0: any free one)."""
    if not text.isdecimal() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"端口必须是 0 到 65535 之间的整数（0 表示任选一个空闲端口），“{text}”不是")
    return int(text)


def run_serve(root: Path, content: Path, host: str, port: int | None, poll: bool) -> int:
    """Build with drafts into a private folder (never dist/, which may be published), serve it,
    and rebuild what changed whenever a file in content/, templates/ or theme/ is saved. With
    no --port, a busy default port means the next free one; a host or port that cannot be
    listened on is a usage error."""
    if not content.is_dir():
        print(f"{content}: 内容文件夹不存在：请用 --content 指定含 site.yaml 的文件夹", file=sys.stderr)
        return EXIT_FAULTS
    watching = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(EXIT_OK))  # stopped by a service manager: save the cache as Ctrl-C does
    with preview_folder(content, user_cache()) as folder:
        proj = project(root, content, folder / "site")
        proj.out.mkdir(exist_ok=True)
        live = LiveState()
        try:
            server = listen(proj.out, host, port, live)
        except CannotListen as error:
            print(error, file=sys.stderr)
            return EXIT_USAGE
        if port is None and server.server_port != DEFAULT_PORT:
            print(f"端口 {DEFAULT_PORT} 已被占用，改用 {server.server_port}。", flush=True)
        threading.Thread(target=prune_previews, args=(user_cache(),), daemon=True).start()  # gigabytes to remove: not in the way
        preview = Preview(proj, live, say=lambda line: print(line, flush=True))
        try:
            preview.rebuild()
            watching = Watching(proj, poll)
            threading.Thread(target=build_forever, args=(preview, watching), daemon=True).start()
            print(f"预览：{address(server)}  （保存文件即自动刷新；Ctrl-C 停止）", flush=True)
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            if watching is not None:
                watching.stop()
            preview.close()  # no Pagefind left running
        return EXIT_OK
