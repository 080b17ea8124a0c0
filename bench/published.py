"""What a build publishes, by part: bytes and files per day of the archive.

    python bench/published.py dist/

Parts: the reader's pages (every script), the issues' open data (issue.json), the search index,
the page scans with their copies, article photos and PDFs, and the rest (theme, feeds, sitemap,
archive). A day is one issue; the figures are the folder's totals divided by the issues in it.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

DAY = re.compile(r"(?:^|/)\d{4}-\d{2}-\d{2}/")
COPY = re.compile(r"-[0-9a-f]{10}-\d+w\.(?:jpg|webp)$")


def part_of(path: str) -> str:
    """Which part of the site a published file belongs to."""
    if "pagefind/" in path:
        return "search index"
    if path.endswith("issue.json"):
        return "open data (issue.json)"
    if path.endswith(".html") and DAY.search(path):
        return "pages"
    if DAY.search(path) and (COPY.search(path) or path.endswith((".jpg", ".jpeg", ".png", ".webp"))):
        return "scans and photos"
    if DAY.search(path) and path.endswith(".pdf"):
        return "page PDFs"
    return "the rest (theme, feeds, sitemap, archive)"


def measure(out: Path) -> tuple[int, dict[str, tuple[int, int]]]:
    """The number of issues, and for each part its (bytes, files)."""
    days = {p.name for p in out.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}-\d{2}-\d{2}", p.name)}
    parts: dict[str, tuple[int, int]] = {}
    for path in out.rglob("*"):
        if path.is_file():
            size, files = parts.get(part_of(path.relative_to(out).as_posix()), (0, 0))
            parts[part_of(path.relative_to(out).as_posix())] = (size + path.stat().st_size, files + 1)
    return len(days), parts


def table(out: Path) -> list[str]:
    days, parts = measure(out)
    rows = ["| part | per day | files per day |", "|---|---|---|"]
    total = sum(size for size, _ in parts.values())
    for name, (size, files) in sorted(parts.items(), key=lambda item: -item[1][0]):
        rows.append(f"| {name} | {size / max(days, 1) / 1e6:.2f} MB | {files / max(days, 1):.0f} |")
    rows.append(f"| **all** | **{total / max(days, 1) / 1e6:.2f} MB** | {sum(f for _, f in parts.values()) / max(days, 1):.0f} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    print("\n".join(table(parser.parse_args().out)))


if __name__ == "__main__":
    main()
