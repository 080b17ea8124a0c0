"""Conversion cases: sentences with the spans where the words decide, and their scoring.

A line of a case file is a sentence with one or more cases in it, `[simplified]{traditional}`:
the traditional in OpenCC's own standard forms (裏, 麪, 爲), from which each region's forms are
made by OpenCC's variant tables (t2tw, t2hk); or, where a region differs otherwise, one form per
config, `{s2tw=天臺;s2hk=天台;s2t=天臺}`. Lines starting with # are comments. Only the spans are
scored: the characters the case is about, in the sentence that gives them their meaning.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import opencc

FIXTURES = Path(__file__).parent / "fixtures"
NEWS = FIXTURES / "news"
CONFIGS = ("s2tw", "s2hk", "s2t")
CASE = re.compile(r"\[([^\]]+)\]\{([^}]+)\}")
VARIANT_TABLES = {"s2tw": "t2tw", "s2hk": "t2hk"}


@dataclass(frozen=True)
class Case:
    line: int
    sentence: str  # the simplified sentence, brackets taken out
    start: int  # where the span starts in it
    source: str
    forms: str  # as written: one standard form, or one per config


@dataclass(frozen=True)
class Miss:
    case: Case
    got: str
    expected: str


def read(path: Path) -> list[Case]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        sentence, found, position = "", [], 0
        for match in CASE.finditer(line):
            sentence += line[position : match.start()]
            found.append((len(sentence), match.group(1), match.group(2)))
            sentence += match.group(1)
            position = match.end()
        sentence += line[position:]
        if not found:
            raise ValueError(f"{path}:{number}: a line with no [case]{{form}}")
        cases += [Case(number, sentence, start, source, forms) for start, source, forms in found]
    return cases


@functools.cache
def _variants(table: str) -> Callable[[str], str]:
    convert: Callable[[str], str] = opencc.OpenCC(table).convert
    return convert


def expected(case: Case, config: str) -> str:
    if "=" in case.forms:
        return dict(part.split("=", 1) for part in case.forms.split(";"))[config]
    return _variants(VARIANT_TABLES[config])(case.forms) if config in VARIANT_TABLES else case.forms


def misses(cases: list[Case], convert: Callable[[list[str]], list[str]], config: str) -> list[Miss]:
    """The cases `convert` (sentences in, converted sentences out, in one call) gets wrong."""
    sentences = sorted({c.sentence for c in cases})
    converted = dict(zip(sentences, convert(sentences), strict=True))
    found = []
    for case in cases:
        got = converted[case.sentence][case.start : case.start + len(case.source)]
        if got != expected(case, config):
            found.append(Miss(case, got, expected(case, config)))
    return found


def files() -> Iterator[Path]:
    yield from sorted(NEWS.glob("*.txt"))
