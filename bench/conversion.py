"""Conversion to the traditional scripts, stock OpenCC against ours: `make bench-conversion`.

Accuracy: the news sentences of tests/fixtures/news/ (the cases where the words decide, each a
span of a sentence with its expected form), per config, on the held-out half (never tuned on)
and the tuned half, and the cases stock OpenCC gets right that ours makes wrong. Time: the
conversion stage as the build runs it (every article's title, kicker, subtitle, names and body
tokens, copied and converted run by run) over generated issues, stock OpenCC against ours
(dictionary, names, corner quotes), alternately in one process, the best of several rounds.
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from markdown_it.token import Token

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import conversion_cases as cases  # noqa: E402
from generate import generate  # noqa: E402

from shuzibao.content import load  # noqa: E402
from shuzibao.faults import Faults  # noqa: E402
from shuzibao.model import Article  # noqa: E402
from shuzibao.scripts.conversion import Converter, _convert_tokens  # noqa: E402


def accuracy_rows() -> list[str]:
    rows = ["| config | half | cases | stock OpenCC | ours | made wrong |", "|---|---|---|---|---|---|"]
    for config in cases.CONFIGS:
        for half in ("heldout.txt", "tune.txt"):
            found = cases.read(cases.NEWS / half)
            stock = cases.misses(found, _batch(Converter(config, {}, stock=True)), config)
            ours = cases.misses(found, _batch(Converter(config, {})), config)
            broken = [m for m in ours if m.case not in {s.case for s in stock}]
            name = "held out" if half == "heldout.txt" else "tuned"
            rows.append(f"| {config} | {name} | {len(found)} | {_share(found, stock)} | {_share(found, ours)} | {len(broken)} |")
    return rows


def _batch(converter: Converter) -> Callable[[list[str]], list[str]]:
    return lambda sentences: [run[0] for run in converter.many([[s] for s in sentences])]


def _share(found: list[cases.Case], misses: list[cases.Miss]) -> str:
    return f"{len(found) - len(misses)} ({(len(found) - len(misses)) / len(found):.1%})"


def stage(articles: list[Article], converter: Converter) -> float:
    """CPU seconds to convert every article as localize_issue and ConvertedBody do."""
    clock = time.process_time()
    for article in articles:
        fields = [t for t in (article.title, article.kicker, article.subtitle) if t is not None]
        converter.many([[t] for t in fields])
        for name in (*article.authors, *article.photographers):
            converter.name(name)
        _convert_tokens([_copied(t) for t in article.body], converter)
    return time.process_time() - clock


def _copied(token: Token) -> Token:
    """A copy to convert, as ConvertedBody makes one (the source stays as it is)."""
    twin = copy.copy(token)
    if token.children:
        twin.children = [copy.copy(child) for child in token.children]
    return twin


def timing_rows(days: int, rounds: int) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        generate(content, days)
        faults = Faults()
        site = load.load_site(content, faults)
        issues = [load.load_issue(content, name, site, faults) for name in load.issue_folders(content, site, faults)]
    articles = [a for issue in issues if issue is not None for a in issue.articles()]
    characters = sum(len(t.content) for a in articles for t in a.body if t.type == "inline")
    rows = [f"\n{len(articles)} articles, {characters:,} characters of body text, best of {rounds} rounds, CPU time\n", "| config | stock OpenCC | ours | ratio |", "|---|---|---|---|"]
    glossary = {"在并": "在并"}
    for config in ("s2tw", "s2hk"):
        stock, ours = Converter(config, glossary, stock=True), Converter(config, glossary, quotes=True)
        stage(articles[:50], stock), stage(articles[:50], ours)  # OpenCC's tables loaded before the clock runs
        best = {"stock": float("inf"), "ours": float("inf")}
        for _ in range(rounds):
            best["stock"] = min(best["stock"], stage(articles, stock))
            best["ours"] = min(best["ours"], stage(articles, ours))
        rows.append(f"| {config} | {best['stock']:.2f} s | {best['ours']:.2f} s | **{best['ours'] / best['stock']:.2f}x** (target 1.2x) |")
    return rows


def table(days: int = 30, rounds: int = 5) -> str:
    """The accuracy and time tables, as Markdown (bench/build.py prints it too)."""
    return "\n".join(["Conversion, cases where the words decide (tests/fixtures/news/):\n", *accuracy_rows(), *timing_rows(days, rounds)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30, help="generated issues to time the conversion on")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of stock and ours, alternately; the best of each counts")
    args = parser.parse_args()
    print(table(args.days, args.rounds))


if __name__ == "__main__":
    main()
