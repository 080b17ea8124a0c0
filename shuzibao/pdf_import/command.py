"""`import`: the layout system's page PDFs into the content tree, as draft stories (see importer.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from ..faults import EXIT_FAULTS, EXIT_OK, EXIT_USAGE, print_faults


def add_parser(commands: Any, root: Path) -> None:
    cmd = commands.add_parser("import", help="import the layout system's page PDFs (one per page) as draft stories")
    cmd.add_argument("pdfs", nargs="+", type=Path, metavar="PDF", help="one PDF per page (版): 01.pdf, A01.pdf, ...")
    cmd.add_argument("--date", required=True, help="the issue's date, YYYY-MM-DD")
    cmd.add_argument("--content", type=Path, default=root / "content", help="the content folder (default: content/)")
    cmd.add_argument("--page", help="the page label, for a single PDF (default: from the file name or the page header)")
    cmd.add_argument("--force", action="store_true", help="update pages imported before (files an editor changed are kept)")
    cmd.add_argument("--ready", action="store_true", help="import the stories as published, not as drafts")


def run_import(args: argparse.Namespace) -> int:
    try:
        dt.date.fromisoformat(args.date)
    except ValueError:
        print(f"--date {args.date}: 应是真实的出版日期，写成 YYYY-MM-DD，例如 2021-12-10", file=sys.stderr)
        return EXIT_USAGE
    if not (args.content / "site.yaml").is_file():
        print(f"{args.content}: 不是内容文件夹（没有 site.yaml）：请用 --content 指定含 site.yaml 的文件夹", file=sys.stderr)
        return EXIT_USAGE
    if args.page and len(args.pdfs) > 1:
        print("--page 只能用于一个 PDF：多个 PDF 时，版号取自文件名（01.pdf）或版头（第3版）", file=sys.stderr)
        return EXIT_USAGE
    # Imported here, not with the command line: the PDF readers and pypinyin are 70 MB that every
    # build's process and worker would otherwise carry, beside Pagefind's month (issue 17).
    from .importer import Request, run

    result = run(Request(list(args.pdfs), args.date, args.content, args.page, args.force, args.ready))
    print_faults(result.faults + result.warnings)
    outcome = result.outcome
    if outcome is None:
        print(f"导入失败：{len(result.faults)} 处错误，内容文件夹没有任何改动。", file=sys.stderr)
        return EXIT_FAULTS
    for path, why in outcome.kept:
        print(f"{path}: 保留未动：{why}")
    stories = sum(len(p.stories) for p in result.pages)
    state = "已发布（--ready）" if args.ready else "草稿（draft: true），请在 make serve 预览中核对"
    print(f"导入完成：{len(result.pages)} 个版面，{stories} 篇稿件，{state}；写入 {len(outcome.written)} 个文件，保留 {len(outcome.kept)} 个 → {args.content / args.date}")
    return EXIT_FAULTS if result.faults else EXIT_OK
