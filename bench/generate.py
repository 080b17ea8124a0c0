"""Generate a synthetic archive in the content contract, for benchmarks.

`python bench/generate.py OUT --days 365` writes that many daily issues ending on 2021-12-31,
8 pages x 8 articles a day, bodies of 800 to 3,000 characters made of real sentences from the
sample edition, one jump (转版) per issue, one draft in twenty articles. Seeded: the same
arguments give the same tree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_NAMES = ["要闻", "要闻", "综合新闻", "经济", "城市", "文化", "体育", "副刊"]


def sentences() -> list[str]:
    """Every sentence of the sample edition's bodies: realistic vocabulary and rhythm."""
    found = []
    for path in sorted((ROOT / "content").rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        for line in body.splitlines():
            if line and not line.startswith(("!", "#", "（")):
                found += [s for s in re.findall(r"[^。！？]+[。！？]", line) if len(s) > 8]
    return found


def body(rng: random.Random, pool: list[str]) -> str:
    target = rng.randint(800, 3000)
    paragraphs, size = [], 0
    while size < target:
        paragraph = "".join(rng.choice(pool) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph)
    return "\n\n".join(paragraphs)


def generate(out: Path, days: int, end: dt.date = dt.date(2021, 12, 31), seed: int = 2021) -> int:
    rng = random.Random(seed)
    pool = sentences()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    (out / "site.yaml").write_text(
        "title: 基准日报\nbase_url: https://epaper.example.com/\nvariants:\n  - {code: zh-Hant, label: 繁體, opencc: s2tw}\nglossary:\n  在并: 在并\n",
        encoding="utf-8",
    )
    return sum(write_issue(out, end - dt.timedelta(days=days - 1 - offset), rng, pool) for offset in range(days))


def write_issue(out: Path, day: dt.date, rng: random.Random, pool: list[str]) -> int:
    """One day's paper: 8 pages of 8 articles, the lead story jumping from page 1 to page 3."""
    for page_number in range(1, 9):
        folder = out / day.isoformat() / f"{page_number:02d}"
        folder.mkdir(parents=True)
        (folder / "page.yaml").write_text(f"name: {PAGE_NAMES[page_number - 1]}\n", encoding="utf-8")
        for n in range(1, 9):
            front = [f"title: {rng.choice(pool)[:rng.randint(8, 20)].rstrip('，。、')}", f"author: 记者{rng.choice('甲乙丙丁戊己庚辛')}", f"order: {n}"]
            if page_number == 3 and n == 8:
                front = ["continues: 01/a08", f"order: {n}"]  # the lead story's jump from page 1
            if rng.random() < 0.05 and not (page_number in (1, 3) and n == 8):
                front.append("draft: true")
            text = "---\n" + "\n".join(front) + "\n---\n" + body(rng, pool) + "\n"
            (folder / f"a{n:02d}.md").write_text(text, encoding="utf-8")
    return 64


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    print(f"{generate(args.out, args.days)} articles in {args.out}")


if __name__ == "__main__":
    main()
