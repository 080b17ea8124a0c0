"""What our conversion changed and why: `shuzibao convert --explain 文本 --variant zh-Hant`.

Stock OpenCC and ours convert the same text; each run of characters where they differ is named
with what made the difference: a glossary phrase, a byline's name, the quotation marks, or the
dictionary entry (file and line) whose phrase covers it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from .conversion import Converter
from .dictionary import Entry, entries
from .quotes import MARKS


@dataclass(frozen=True)
class Difference:
    start: int
    end: int
    source: str
    stock: str
    ours: str
    reason: str


@dataclass(frozen=True)
class Explanation:
    stock: str
    ours: str
    differences: list[Difference]


def explain(text: str, config: str, glossary: dict[str, str], quotes: bool) -> Explanation:
    stock = Converter(config, {}, stock=True).text(text)
    ours_converter = Converter(config, glossary, quotes)
    ours = ours_converter.text(text)
    if len(stock) != len(text) or len(ours) != len(text):  # a glossary form of another length: the texts as a whole
        return Explanation(stock, ours, [] if stock == ours else [Difference(0, len(text), text, stock, ours, "词表（glossary）的写法长短不同，整段对照")])
    reasons = [_reason(text, i, config, glossary, ours_converter) if stock[i] != ours[i] else None for i in range(len(text))]
    found: list[Difference] = []
    for i, reason in enumerate(reasons):
        if reason is None:
            continue
        if found and found[-1].end == i and found[-1].reason == reason:
            last = found.pop()
            found.append(Difference(last.start, i + 1, text[last.start : i + 1], stock[last.start : i + 1], ours[last.start : i + 1], reason))
        else:
            found.append(Difference(i, i + 1, text[i], stock[i], ours[i], reason))
    return Explanation(stock, ours, found)


def _reason(text: str, i: int, config: str, glossary: dict[str, str], converter: Converter) -> str:
    for phrase, form in sorted(glossary.items(), key=lambda item: -len(item[0])):
        start = text.find(phrase)
        while start >= 0:
            if start <= i < start + len(phrase):
                return f"词表（glossary）：{phrase} → {form}"
            start = text.find(phrase, start + 1)
    for start, end, form in converter.name_spans(text):
        if start <= i < end:
            return f"人名（署名）：{text[start:end]} → {form}"
    if MARKS.match(text[i]):
        return "引号（quotes: corner）：“”‘’ → 「」『』"
    entry = _entry(text, i, config)
    if entry is not None:
        return f"词典 {entry.file}:{entry.line}：{entry.phrase} → {entry.form}"
    near = _entry(text, i, config, reach=4)
    return f"OpenCC 的分词随词典 {near.file}:{near.line}（{near.phrase}）而变" if near else "OpenCC 的分词随本报词典而变"


def _entry(text: str, i: int, config: str, reach: int = 0) -> Entry | None:
    """The longest entry whose phrase covers position i (or comes within `reach` of it)."""
    table = _table(config)
    longest = max((len(p) for p in table), default=0)
    best: Entry | None = None
    for start in range(max(0, i - longest - reach + 1), min(i + reach, len(text) - 1) + 1):
        for end in range(start + 1, min(len(text), start + longest) + 1):
            entry = table.get(text[start:end])
            if entry and end + reach > i >= start - reach and (best is None or len(entry.phrase) > len(best.phrase)):
                best = entry
    return best


@functools.cache
def _table(config: str) -> dict[str, Entry]:
    return {entry.phrase: entry for entry in entries(config)}
