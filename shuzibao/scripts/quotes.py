"""Quotation marks by region: Taiwan and Hong Kong set 「」 and 『』 where the mainland sets “” and ‘’.

The level decides the mark, not the mark typed: an outer quotation is 「」 and one inside it 『』,
and so on alternately, so “…‘…’…” becomes 「…『…』…」 and a ‘’ typed on its own becomes 「」.
Each block (a paragraph, a title) starts at the outer level, as a quotation that runs over
several paragraphs opens again at each. A ’ between two letters or digits is an apostrophe
(don’t) and stays; straight quotes ("...") are left as typed, and so is the text the caller
marks as literal (inline code, a URL).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

OPENING, CLOSING = "“‘", "”’"
MARKS = re.compile("[“”‘’]")
CORNERS = ("「", "」"), ("『", "』")  # the outer level, the one inside it
WORD = re.compile(r"[A-Za-z0-9]")


def corner(text: str, literal: Sequence[tuple[int, int]] = ()) -> str:
    """`text` with its curly quotation marks as corner brackets, the `literal` ranges kept."""
    marks = MARKS.findall(text)
    if not marks:
        return text
    if not literal and "".join(marks) == "“”" * (len(marks) // 2):  # the common case: “…” “…”, no nesting
        return _simple(text)
    chars, depth = list(text), 0
    for match in MARKS.finditer(text):
        position, mark = match.start(), match.group()
        if any(start <= position < end for start, end in literal) or _apostrophe(text, position):
            continue
        if mark in OPENING:
            chars[position] = CORNERS[depth % 2][0]
            depth += 1
        else:
            depth = max(depth - 1, 0)
            chars[position] = CORNERS[depth % 2][1]
    return "".join(chars)


def corner_all(text: str) -> str | None:
    """Many blocks at once, when every mark in them is a “ or ” and they alternate (“…”“…”):
    then each block's marks are at the outer level and a translation does it. None otherwise."""
    marks = MARKS.findall(text)
    if "".join(marks) != "“”" * (len(marks) // 2) and not (marks and marks[0] == "”" and "".join(marks[1:]) == "“”" * (len(marks) // 2)):
        return None
    return _simple(text) if marks else text


def _simple(text: str) -> str:
    return text.replace("“", "「").replace("”", "」")  # str.replace is far faster than translate on Chinese text


def _apostrophe(text: str, position: int) -> bool:
    return text[position] == "’" and 0 < position < len(text) - 1 and bool(WORD.match(text[position - 1])) and bool(WORD.match(text[position + 1]))
