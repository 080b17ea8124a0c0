"""Pagefind fed directly or from files: its Python API's custom records against the binary on
HTML documents, the same stories either way (issue 17 asked which is faster).

    python bench/pagefind_records.py [--stories 200]

The stories are made of the sample edition's paragraphs, spaced as the index sees them
(search/documents.py). Both runs are timed in this process, one after the other; the table gives
documents per second and the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pagefind_bin
from pagefind.index import IndexConfig, PagefindIndex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shuzibao.search.documents import spaced  # noqa: E402  # the repository's own code, found from here


def stories(count: int) -> list[str]:
    """Stories of eight paragraphs each, from the sample edition's longer paragraphs, seeded."""
    pool = [line for path in sorted((ROOT / "content").rglob("*.md")) for line in path.read_text(encoding="utf-8").splitlines() if len(line) > 30]
    chance = random.Random(1)
    return [spaced("".join(chance.choice(pool) for _ in range(8))) for _ in range(count)]


def from_files(texts: list[str], work: Path) -> float:
    site = work / "documents"
    site.mkdir()
    for n, text in enumerate(texts):
        meta = f'<meta data-pagefind-meta="title[content]" content="t{n}">'
        (site / f"{n}.html").write_text(f'<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">{meta}</head><body><main data-pagefind-body>{text}</main></body></html>', encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([str(pagefind_bin.get_executable()), "--site", str(site), "--output-path", str(work / "from-files"), "--silent"], check=True)
    return time.perf_counter() - start


def from_records(texts: list[str], work: Path) -> float:
    async def index_all() -> None:
        async with PagefindIndex(IndexConfig(output_path=str(work / "from-records"))) as index:
            await asyncio.gather(*(index.add_custom_record(url=f"/{n}.html", content=text, language="zh-Hans", meta={"title": f"t{n}"}) for n, text in enumerate(texts)))

    start = time.perf_counter()
    asyncio.run(index_all())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=200)
    count = parser.parse_args().stories
    texts = stories(count)
    with tempfile.TemporaryDirectory() as folder:
        files, records = from_files(texts, Path(folder)), from_records(texts, Path(folder))
    print(f"| Pagefind, {count} stories | seconds | stories per second |")
    print("|---|---|---|")
    print(f"| the binary on HTML documents (what the build does) | {files:.2f} | {count / files:.0f} |")
    print(f"| the Python API, custom records | {records:.2f} | {count / records:.0f} ({records / files:.0f}x slower) |")


if __name__ == "__main__":
    main()
