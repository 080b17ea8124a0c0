"""shuzibao: turns a newsroom's archive of Markdown articles into a static 数字报 (digital edition)."""

from __future__ import annotations

import sys
from pathlib import Path

__version__ = "0.1.0"
EXIT_MACHINE = 3  # faults.EXIT_BUG: the program's or the machine's fault, never the content's


def command(root: Path | None = None) -> int:
    """The command line, for `shuzibao`, `python -m shuzibao` and build.py: the libraries it
    needs are imported here, so that a Python without them gets one line saying what to do."""
    try:
        from .cli import main
    except ModuleNotFoundError as missing:
        if (missing.name or "").startswith("shuzibao"):
            raise
        print(
            f"这个 Python 没有装本程序需要的库（{missing.name}）：请用 make serve、make build，"
            "或用虚拟环境里的 Python 运行（.venv/bin/python build.py …；Windows 上 .venv\\Scripts\\python build.py …），"
            "第一次使用请先按 README 安装。",
            file=sys.stderr,
        )
        return EXIT_MACHINE
    return main(root=root)


def console() -> None:
    """The `shuzibao` console script, for the working folder."""
    sys.exit(command())
