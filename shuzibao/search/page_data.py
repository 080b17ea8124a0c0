"""What the search page needs besides the index: the shards and filters it offers, the table that
folds a query in any script to the source script, and the glossary's forms mapped back.

The index holds the source script's text (documents.py), so a query typed in either script is
folded to the source script (發展 -> 发展) by a character table read off OpenCC's own tables, and
finds the same stories on every site.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable

import opencc

from ..model import Variant, page_sort_key
from ..scripts.conversion import glossary_for
from ..scripts.site_words import Words

FOLD_CONFIGS = ("t2s", "tw2s", "hk2s")
FOLD_FILE = "search/fold.json"  # one copy, shared by every script's search page


def scope(months: Iterable[str], labels: Iterable[str], words: Words) -> str:
    """What the search page offers, as JSON: the shards newest first, and the pages to filter by
    (the index's filter value, which every script shares, and the script's own words for it)."""
    shards = [{"id": m, "year": words["year"].format(int(m[:4])), "month": words.month(int(m[:4]), int(m[5:]))} for m in sorted(set(months), reverse=True)]
    pages = [[label, words.page(label)] for label in sorted(set(labels), key=page_sort_key)]
    return json.dumps({"shards": shards, "pages": pages}, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


@functools.lru_cache(maxsize=1)
def fold_table() -> str:
    """Every traditional form OpenCC knows -> the simplified characters it can stand for, as JSON.

    Read off OpenCC's own tables (t2s, tw2s, hk2s over all CJK ideographs), so it does not depend
    on the content. A form that simplified text also uses as itself (乾 in 乾隆, 著 in 著作: it
    is in GB 2312) stands for both, and the search tries both spellings."""
    chars = [chr(c) for c in [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)]]
    sources: dict[str, set[str]] = {}
    for config in FOLD_CONFIGS:
        for char, simple in zip(chars, opencc.OpenCC(config).convert("\n".join(chars)).split("\n"), strict=True):
            if simple != char and len(simple) == 1:
                sources.setdefault(char, set()).add(simple)
    for char, simple in sources.items():
        if _in_gb2312(char):
            simple.add(char)
    table = {char: "".join(sorted(simple)) for char, simple in sorted(sources.items())}
    return json.dumps(table, ensure_ascii=False, separators=(",", ":"))


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def glossary_phrases(glossaries: list[dict[str, dict[str, str]]], variant: Variant) -> str:
    """The variant's glossary forms -> their source phrases (資料中心 -> 数据中心), as JSON for the search page."""
    phrases = {form: phrase for phrase, form in glossary_for(variant, *glossaries).items() if form != phrase}
    data = json.dumps(phrases, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return data.replace("<", "\\u003c")  # it sits in a <script> element


