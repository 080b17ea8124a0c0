"""Pagefind fed directly or from files: its service's custom records against the binary on HTML
documents, the same stories either way (issue 17 asked which is faster).

    python bench/pagefind_records.py [--stories 1000]

The stories are made of the sample edition's paragraphs, spaced as the index sees them
(search/documents.py). Three runs, one after the other in this process:
- the binary on HTML documents laid out as the build lays them out (search/canonical.py);
- Pagefind's service (`pagefind --service`, what its Python API starts), spoken to directly:
  every record sent at once, the answers read as they come;
- the Python API itself (`pagefind.index`), on at most 100 stories: it waits 0.1 s before
  reading each answer (`PagefindService._wait_for_responses`), so it adds records ten a second
  whatever Pagefind's speed, which is what an earlier version of this benchmark measured.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import itertools
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pagefind_bin
from pagefind.index import IndexConfig, PagefindIndex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shuzibao.search.canonical import lay_out  # noqa: E402  # the repository's own code, found from here
from shuzibao.search.documents import spaced  # noqa: E402

WRAPPER_AT_MOST = 100


def stories(count: int) -> list[str]:
    """Stories of eight paragraphs each, from the sample edition's longer paragraphs, seeded."""
    pool = [line for path in sorted((ROOT / "content").rglob("*.md")) for line in path.read_text(encoding="utf-8").splitlines() if len(line) > 30]
    chance = random.Random(1)
    return [spaced("".join(chance.choice(pool) for _ in range(8))) for _ in range(count)]


def from_files(texts: list[str], work: Path) -> float:
    documents = []
    for n, text in enumerate(texts):
        meta = f'<meta data-pagefind-meta="title[content]" content="t{n}">'
        documents.append((f"{n}.html", f'<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">{meta}</head><body><main data-pagefind-body>{text}</main></body></html>'.encode()))
    lay_out(documents, work / "documents")
    start = time.perf_counter()
    subprocess.run([str(pagefind_bin.get_executable()), "--site", str(work / "documents"), "--output-path", str(work / "from-files"), "--silent"], check=True)
    return time.perf_counter() - start


def from_service(texts: list[str], work: Path) -> float:
    """The service's protocol: base64 of a JSON message, then a comma, each way."""
    start = time.perf_counter()
    service = subprocess.Popen([str(pagefind_bin.get_executable()), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert service.stdin is not None and service.stdout is not None
    answers: list[dict[str, Any]] = []
    arrived = threading.Condition()

    def read(stream: Any) -> None:
        pending = b""
        while chunk := stream.read1(1 << 16):
            *complete, pending = (pending + chunk).split(b",")
            with arrived:
                answers.extend(json.loads(base64.b64decode(message)) for message in complete)
                arrived.notify_all()

    reader = threading.Thread(target=read, args=(service.stdout,))
    reader.start()

    numbers = itertools.count()

    def send(payload: dict[str, Any]) -> None:
        assert service.stdin is not None
        service.stdin.write(base64.b64encode(json.dumps({"message_id": next(numbers), "payload": payload}).encode()) + b",")

    def answered(count: int) -> dict[str, Any]:
        assert service.stdin is not None
        service.stdin.flush()
        with arrived:
            arrived.wait_for(lambda: len(answers) >= count)
        return answers[count - 1]

    send({"type": "NewIndex", "config": None})
    answered(1)
    for n, text in enumerate(texts):
        send({"type": "AddRecord", "index_id": 0, "url": f"/{n}.html", "content": text, "language": "zh-Hans", "meta": {"title": f"t{n}"}, "filters": None, "sort": None})
    send({"type": "WriteFiles", "index_id": 0, "output_path": str(work / "from-service")})
    last = answered(len(texts) + 2)
    service.stdin.close()
    service.wait()
    reader.join()
    assert last["payload"]["type"] == "WriteFiles", last
    assert not [a for a in answers if a["payload"]["type"] == "Error"]
    return time.perf_counter() - start


def from_wrapper(texts: list[str], work: Path) -> float:
    async def index_all() -> None:
        async with PagefindIndex(IndexConfig(output_path=str(work / "from-wrapper"))) as index:
            await asyncio.gather(*(index.add_custom_record(url=f"/{n}.html", content=text, language="zh-Hans", meta={"title": f"t{n}"}) for n, text in enumerate(texts)))

    start = time.perf_counter()
    asyncio.run(index_all())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000)
    count = parser.parse_args().stories
    texts = stories(count)
    with tempfile.TemporaryDirectory() as folder:
        files, service = from_files(texts, Path(folder)), from_service(texts, Path(folder))
        few = texts[:WRAPPER_AT_MOST]
        wrapper = from_wrapper(few, Path(folder))
    print(f"| Pagefind 1.5, {count} stories | seconds | stories per second |")
    print("|---|---|---|")
    print(f"| the binary on HTML documents (what the build does) | {files:.2f} | {count / files:.0f} |")
    print(f"| its service, custom records, spoken to directly | {service:.2f} | {count / service:.0f} ({service / files:.2f}x the binary's time) |")
    print(f"| its Python API, custom records ({len(few)} stories) | {wrapper:.2f} | {len(few) / wrapper:.0f} (its 0.1 s wait per answer) |")


if __name__ == "__main__":
    main()
