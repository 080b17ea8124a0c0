"""File names from titles, in pinyin: short, URL-safe and unique in the page (the contract's slugs).

The first four characters of the title, in pinyin two by two (most Chinese words are two
characters: 数据中心 is shuju-zhongxin), Latin letters and numbers as they are (5G is 5g); -2, -3
for a second story of the same name on the page.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

MAX_SYLLABLES = 4
RUN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")


def slug(title: str, taken: set[str]) -> str:
    """A name for the title not in `taken` (which it joins)."""
    words: list[str] = []
    syllables = 0
    for run in RUN.findall(title):
        if syllables >= MAX_SYLLABLES:
            break
        if run.isascii():
            words.append(run.lower())
            syllables += 1
            continue
        sounds = lazy_pinyin(run[: MAX_SYLLABLES - syllables], style=Style.NORMAL)
        words += ["".join(sounds[i : i + 2]).replace("ü", "v") for i in range(0, len(sounds), 2)]
        syllables += len(sounds)
    base = "-".join(w for w in words if re.fullmatch(r"[a-z0-9]+", w)) or "gaojian"
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    taken.add(name)
    return name
