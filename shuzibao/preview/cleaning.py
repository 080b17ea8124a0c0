"""`clean`: what the program keeps for itself (the image cache, the previews' folders, the build
cache beside the output), emptied. Never the output, nor anything an editor wrote."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from ..build import cache, scan_copies
from ..faults import EXIT_OK
from .rebuild import PREVIEW_NAME, remove_preview


def add_parser(commands: Any, root: Path) -> None:
    clean_cmd = commands.add_parser("clean", help="remove the image cache, the previews' folders and the build cache (never the output)")
    clean_cmd.add_argument("--out", type=Path, default=root / "dist", help="the output folder whose build cache to remove (default: dist/)")


def run_clean(out: Path, base: Path) -> int:
    """Empty what the program keeps for itself: the image cache and the previews' folders in the
    user's cache folder `base`, and the build cache beside the output. Never the output itself,
    nor anything an editor wrote; a preview that is running keeps its folder."""
    parts = [clean_images(base), clean_opencc(base), clean_previews(base), clean_build_cache(out)]
    lines = [line for line, _ in parts]
    if os.environ.get(scan_copies.BUDGET_VARIABLE) and scan_copies.budget_setting() is None:
        lines.append(f"  注意：{scan_copies.BUDGET_VARIABLE}=“{os.environ[scan_copies.BUDGET_VARIABLE]}”不是兆字节数，图片缓存按默认上限处理")
    print(f"已清除，共释放 {amount(sum(size for _, size in parts))}：", *lines, sep="\n")
    print(f"输出文件夹 {out} 和内容文件夹没有改动；下次构建会重新生成版面图的缩小图（图片缓存上限 {amount(scan_copies.cache_budget())}）。")
    return EXIT_OK


def clean_opencc(base: Path) -> tuple[str, int]:
    """OpenCC's configurations with our dictionaries, written once per dictionary (scripts/dictionary.py)."""
    size = tree_bytes(base / "opencc")
    remove_tree(base / "opencc")
    return f"  繁简转换配置 {base / 'opencc'}：{amount(size)}", size


def clean_images(base: Path) -> tuple[str, int]:
    size = tree_bytes(base / "images")
    remove_tree(base / "images")
    return f"  图片缓存 {base / 'images'}：{amount(size)}", size


def clean_previews(base: Path) -> tuple[str, int]:
    """Every preview's folder but those of previews running now (their lock says so)."""
    size, removed, kept = 0, 0, []
    for folder in sorted(base.glob("preview-*")):
        bytes_in = tree_bytes(folder)
        if not PREVIEW_NAME.fullmatch(folder.name):  # what a removal cut short left
            shutil.rmtree(folder, ignore_errors=True)
        elif remove_preview(folder):
            removed += 1
        else:
            kept.append(folder.name)
            continue
        size += bytes_in
    running = f"（{'、'.join(kept)} 正由运行中的预览使用，未删除）" if kept else ""
    return f"  预览文件夹 {base}/preview-*：{removed} 个，{amount(size)}{running}", size


def clean_build_cache(out: Path) -> tuple[str, int]:
    """The build cache and the conversions kept for the next build (scripts/memory.py)."""
    built, converted = cache.location(out), cache.conversions_location(out)
    files = (built, built.with_name(built.name + ".tmp"))
    size = sum(tree_bytes(path) for path in [*files, converted] if path.exists())
    for path in files:
        path.unlink(missing_ok=True)
    remove_tree(converted)
    return f"  构建缓存 {built}（和繁简转换的结果 {converted.name}）：{amount(size)}", size


def tree_bytes(path: Path) -> int:
    """The bytes of the files in a folder and its subfolders (or of one file); links not followed."""
    if path.is_symlink() or path.is_file():
        return path.lstat().st_size
    return sum((Path(folder) / name).lstat().st_size for folder, _, names in os.walk(path) for name in names)


def remove_tree(path: Path) -> None:
    """Remove a folder of ours (a link: only the link), renamed away first, so that a build
    starting meanwhile makes a new one; and what an earlier removal cut short left."""
    away = path.with_name(f"{path.name}.removing-{os.getpid()}")
    if path.is_symlink():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(away, ignore_errors=True)
        path.rename(away)
    for leftover in path.parent.glob(f"{path.name}.removing-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def amount(size: int) -> str:
    """Bytes as a person reads them: 0 B, 12 KB, 350 MB, 1.2 GB."""
    for unit, step in (("GB", 1 << 30), ("MB", 1 << 20)):
        if size >= step:
            return f"{size / step:.1f}".removesuffix(".0") + f" {unit}"
    return f"{round(size / 1024)} KB" if size >= 1024 else f"{size} B"
